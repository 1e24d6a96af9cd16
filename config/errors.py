"""Domain errors: what services raise when a rule refuses an operation.

Services never see HTTP; the exception handler (config/exceptions.py) turns these into responses:
400 `{"field": ["message"]}` / `{"non_field_errors": [...]}`, 403 `{"detail"}`, and
409 `{"detail", "code"}`.
"""


class DomainError(Exception):
    """A rule refused the operation; `message` is written for the person who asked."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field
        # More for the client to act on, beside the message (409 bodies carry it: the ids of the
        # appointments in the way, say).
        self.extra = extra or {}


class NotAllowed(DomainError):
    """The caller can see the object but may not do this to it (403)."""

    status_code = 403
    default_code = "permission_denied"


class Conflict(DomainError):
    """The request clashes with the current state of the data (409)."""

    status_code = 409
    default_code = "conflict"


class SlotUnavailable(Conflict):
    default_code = "doctor_busy"


class PatientBusy(Conflict):
    default_code = "patient_busy"


class InvalidTransition(Conflict):
    default_code = "invalid_transition"
