"""Every write to appointments, one transaction each (docs/ARCHITECTURE.md, "Booking rules").

booking: book and reschedule, under the booking rules. lifecycle: confirm, check in, complete,
cancel, no-show, and edits. absences: time off, date overrides and clinic closures, which must
not orphan booked visits. reminders: claim the due reminders once and queue them. common: locks,
the no-overlap save, and the history every change writes.
"""

from appointments.services.absences import (
    clinic_closure_create,
    schedule_override_create,
    schedule_override_delete,
    schedule_override_update,
    time_off_create,
)
from appointments.services.booking import appointment_book, appointment_reschedule
from appointments.services.lifecycle import TRANSITIONS, appointment_transition, appointment_update
from appointments.services.reminders import reminders_queue_due

__all__ = [
    "TRANSITIONS",
    "appointment_book",
    "appointment_reschedule",
    "appointment_transition",
    "appointment_update",
    "clinic_closure_create",
    "reminders_queue_due",
    "schedule_override_create",
    "schedule_override_delete",
    "schedule_override_update",
    "time_off_create",
]
