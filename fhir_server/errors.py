"""Every error under /fhir/ is an OperationOutcome.

The REST API's handler (config.exceptions) still decides the status: domain errors, constraint
refusals, an unreachable database (503 with Retry-After), throttling. This module only reshapes
its body, so both interfaces answer the same status for the same cause.
"""

from django.http import Http404
from fhir.resources.R4B.operationoutcome import OperationOutcome
from rest_framework import exceptions, status
from rest_framework.response import Response

from config.errors import Conflict, DomainError, NotAllowed
from config.exceptions import api_exception_handler
from fhir_server.conf import system

# The FHIR issue type for each status the REST handler can answer.
ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    409: "conflict",
    412: "multiple-matches",
    413: "too-costly",
    415: "not-supported",
    422: "business-rule",
    429: "throttled",
    503: "transient",
}


class FHIRError(exceptions.APIException):
    """An error of the FHIR layer itself (a search parameter, a resource it cannot take)."""

    def __init__(self, diagnostics: str, *, status_code: int = 400, code: str = "invalid"):
        super().__init__(diagnostics)
        self.status_code, self.issue_code, self.diagnostics = status_code, code, diagnostics


def outcome(*, diagnostics: str, code: str, severity: str = "error", detail_code: str | None = None) -> dict:
    issue = {"severity": severity, "code": code, "diagnostics": diagnostics}
    if detail_code:
        issue["details"] = {"coding": [{"system": system("error-code"), "code": detail_code}], "text": diagnostics}
    return OperationOutcome.model_validate({"resourceType": "OperationOutcome", "issue": [issue]}).model_dump(
        mode="json", exclude_none=True
    )


def flatten(data) -> str:
    """DRF's error body as one sentence: {"start": ["Pick a slot."]} -> "start: Pick a slot." """
    if isinstance(data, dict):
        if "detail" in data:
            return str(data["detail"])
        return " ".join(
            f"{flatten(value)}" if key == "non_field_errors" else f"{key}: {flatten(value)}"
            for key, value in data.items()
        )
    if isinstance(data, list):
        return " ".join(flatten(item) for item in data)
    return str(data)


def _domain_response(exc: DomainError) -> Response:
    """Services' refusals: a taken slot 409 `conflict`, a booking rule 422 `business-rule`."""
    if isinstance(exc, Conflict):
        status_code, code = status.HTTP_409_CONFLICT, "conflict"
    elif isinstance(exc, NotAllowed):
        status_code, code = status.HTTP_403_FORBIDDEN, "forbidden"
    else:
        status_code, code = status.HTTP_422_UNPROCESSABLE_ENTITY, "business-rule"
    message = f"{exc.field}: {exc.message}" if exc.field else exc.message
    return Response(outcome(diagnostics=message, code=code, detail_code=exc.code), status=status_code)


def fhir_exception_handler(exc, context):
    if isinstance(exc, FHIRError):
        body = outcome(diagnostics=exc.diagnostics, code=exc.issue_code)
        return Response(body, status=exc.status_code)
    if isinstance(exc, DomainError):
        return _domain_response(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("No such resource, or not one you may see.")
    response = api_exception_handler(exc, context)
    if response is None:
        return None  # a bug: Django's 500 handler answers
    data = response.data
    detail_code = data.get("code") if isinstance(data, dict) and isinstance(data.get("code"), str) else None
    if detail_code is None and isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        detail_code = codes if isinstance(codes, str) else None
    response.data = outcome(
        diagnostics=flatten(data),
        code=ISSUE_CODES.get(response.status_code, "processing"),
        detail_code=detail_code,
    )
    return response
