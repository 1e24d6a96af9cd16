"""The one place where exceptions become HTTP responses.

Domain errors, Django's ValidationError (from full_clean) and IntegrityError from a named
constraint are converted to DRF exceptions, then DRF's own handler shapes the response, so the
body format and transaction rollback stay DRF's.
"""

import logging
from functools import cache

from django.apps import apps
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
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
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, ProtectedError | RestrictedError):
        return ConflictError("This record is still referred to by others, so it cannot be deleted.", "in_use")
    if isinstance(exc, IntegrityError):
        converted = _from_integrity_error(exc)
        if converted is not None:
            logger.info("Constraint refused a write: %s", exc)
            return converted
    return exc


def api_exception_handler(exc, context):
    return drf_exception_handler(to_api_exception(exc), context)
