"""The appointments app's admin: appointments and their events (appointments.py), and what can
take booked time away (schedule.py)."""

from appointments.admin import appointments, schedule

__all__ = ["appointments", "schedule"]
