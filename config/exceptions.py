"""The one place where exceptions become HTTP responses.

Domain errors, Django's ValidationError (from full_clean) and IntegrityError from a named
constraint are converted to DRF exceptions, then DRF's own handler shapes the response, so the
body format and transaction rollback stay DRF's.
"""

import logging
from functools import cache

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import DomainError

logger = logging.getLogger(__name__)


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the data."
    default_code = "conflict"

    def __init__(self, message: str, code: str, extra: dict | None = None):
        super().__init__(message, code)
        # A dict detail is rendered as is: {"detail": ..., "code": ..., and anything extra, such as
        # the ids of the appointments in the way, kept as numbers}.
        self.detail = {"detail": exceptions.ErrorDetail(message, code), "code": code, **(extra or {})}


class ServiceUnavailable(exceptions.APIException):
    """The database cannot be reached, or did not answer in time: try again shortly."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The service cannot reach its database just now; try again in a few seconds."
    default_code = "service_unavailable"
    wait = 5  # seconds, sent as Retry-After

    def __init__(self):
        super().__init__()
        self.detail = {
            "detail": exceptions.ErrorDetail(self.default_detail, self.default_code),
            "code": self.default_code,
        }


# PostgreSQL's answers to transactions that got in each other's way: retrying succeeds.
RETRYABLE_SQLSTATES = {"40P01": "deadlock detected", "40001": "serialization failure", "55P03": "lock not available"}
# PostgreSQL's classes of "cannot serve you now": connection exception, operator intervention
# (a statement cancelled by its timeout, a shutdown), insufficient resources, system error.
UNAVAILABLE_SQLSTATE_CLASSES = ("08", "57", "53", "58")
# SQLite's: a lock held past the timeout, a file it cannot open or read.
UNAVAILABLE_SQLITE_WORDS = ("locked", "unable to open", "disk i/o", "readonly")


def _unavailable(exc: Exception) -> bool:
    if isinstance(exc, InterfaceError):
        return True  # the connection is gone
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate[:2] in UNAVAILABLE_SQLSTATE_CLASSES
    if type(cause).__module__.startswith("psycopg"):
        return True  # no answer from the server at all: it could not be reached
    return any(word in str(exc).lower() for word in UNAVAILABLE_SQLITE_WORDS)


def database_trouble(exc: Exception) -> exceptions.APIException | None:
    """409 for two transactions that got in each other's way, 503 for a database that cannot be
    reached or did not answer in time; None for anything else (a bug stays a 500)."""
    if not isinstance(exc, OperationalError | InterfaceError):
        return None
    if getattr(exc.__cause__, "sqlstate", None) in RETRYABLE_SQLSTATES:
        logger.warning("A transaction lost to a concurrent one: %s", exc)
        return ConflictError("Someone changed this at the same moment; try again.", "concurrent_update")
    if not _unavailable(exc):
        return None
    logger.error("Database unavailable: %s", exc)
    return ServiceUnavailable()


@cache
def _named_constraints() -> dict[str, tuple[str, str]]:
    """Constraint name -> (message, code) for every constraint declared on our models."""
    found = {}
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            message = str(constraint.get_violation_error_message())
            found[constraint.name] = (message, constraint.violation_error_code or "conflict")
    return found


def _from_integrity_error(exc: IntegrityError) -> exceptions.APIException | None:
    text = str(exc)
    for name, (message, code) in _named_constraints().items():
        if name in text:
            return ConflictError(message, code)
    if "unique" in text.lower():
        # A race past a serializer's uniqueness check: someone else just saved the same value.
        return ConflictError("This record was just created or changed by someone else; reload and retry.", "conflict")
    return None


def to_api_exception(exc: Exception) -> Exception:
    if isinstance(exc, DomainError):
        if exc.status_code == status.HTTP_409_CONFLICT:
            return ConflictError(exc.message, exc.code, exc.extra)
        if exc.status_code == status.HTTP_403_FORBIDDEN:
            return exceptions.PermissionDenied(exc.message, exc.code)
        return exceptions.ValidationError({exc.field or "non_field_errors": [exc.message]}, exc.code)
    if isinstance(exc, DjangoValidationError):
        errors = as_serializer_error(exc)
        # One shape for object-level errors: Django's "__all__" is DRF's "non_field_errors".
        if NON_FIELD_ERRORS in errors:
            errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
        return exceptions.ValidationError(errors)
    if isinstance(exc, ProtectedError | RestrictedError):
        return ConflictError("This record is still referred to by others, so it cannot be deleted.", "in_use")
    if isinstance(exc, IntegrityError):
        converted = _from_integrity_error(exc)
        if converted is not None:
            logger.info("Constraint refused a write: %s", exc)
            return converted
    return database_trouble(exc) or exc


def api_exception_handler(exc, context):
    return drf_exception_handler(to_api_exception(exc), context)
