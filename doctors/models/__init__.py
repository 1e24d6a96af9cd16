"""The doctors app's models: who the doctors are (doctors.py), when they work (hours.py) and the
visits they offer (visit_types.py)."""

from doctors.models.doctors import (
    SLOT_MINUTES_MAX,
    SLOT_MINUTES_MIN,
    Doctor,
    Specialization,
    clinic_time_zone,
    hash_calendar_token,
    validate_time_zone,
)
from doctors.models.hours import ClinicClosure, ScheduleOverride, ScheduleOverridePeriod, TimeOff, Weekday, WorkingHours
from doctors.models.visit_types import DoctorVisitType, VisitType

__all__ = [
    "SLOT_MINUTES_MAX",
    "SLOT_MINUTES_MIN",
    "ClinicClosure",
    "Doctor",
    "DoctorVisitType",
    "ScheduleOverride",
    "ScheduleOverridePeriod",
    "Specialization",
    "TimeOff",
    "VisitType",
    "Weekday",
    "WorkingHours",
    "clinic_time_zone",
    "hash_calendar_token",
    "validate_time_zone",
]
