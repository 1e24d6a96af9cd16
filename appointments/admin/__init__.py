"""The appointments app's admin: appointments and their events, the day sheet, booking and the
lifecycle steps (appointments.py, day_sheet.py, forms.py, actions.py, filters.py), and what can
take booked time away (schedule.py)."""

from appointments.admin import appointments, schedule

__all__ = ["appointments", "schedule"]
