"""OpenAPI helpers: the error bodies of the contract, documented on every operation.

`add_error_responses` is a drf-spectacular post-processing hook: each operation gets the error
statuses it can really answer (400 when it takes input, 401/403 unless public, 404 on paths with
an id or a page, 429 everywhere), so clients and schemathesis see no undocumented status code.
"""

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any string of up to 255 characters, new for each new request. A retry with the same key and body within "
        "24 hours returns the first answer and creates nothing; the same key with another body is 422; while the "
        "first is still running, 409 idempotency_in_progress."
    ),
)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, plus the Idempotency-Key header on every operation that honours it
    (the view method is wrapped by config.idempotency.idempotent)."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        name = getattr(self.view, "action", None) or self.method.lower()
        if getattr(getattr(self.view, name, None), "idempotent", False):
            parameters = [*parameters, IDEMPOTENCY_KEY]
        return parameters


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(help_text="doctor_busy, patient_busy, invalid_transition, ...")


CONFLICT = OpenApiResponse(ConflictSerializer, description="Conflicts with the current state of the data")
ICS_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description="iCalendar (text/calendar)")

_DETAIL = {"$ref": "#/components/schemas/ErrorDetail"}
_CONFLICT = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail", "code"],
}
_VALIDATION = {
    "type": "object",
    "description": 'Field name (or "non_field_errors") -> messages; nested for nested fields.',
    "additionalProperties": {},
}


def _response(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "ErrorDetail",
        {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
    )
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            is_public = {} in operation.get("security", [{}]) or not operation.get("security")
            takes_input = method in ("post", "put", "patch") or any(
                parameter.get("in") == "query" for parameter in operation.get("parameters", [])
            )
            if takes_input:
                responses.setdefault("400", _response("Invalid input", _VALIDATION))
            if any(parameter.get("in") == "query" for parameter in operation.get("parameters", [])):
                # gunicorn refuses a request line over 4,094 bytes before Django sees it.
                responses.setdefault("414", {"description": "URL too long: send fewer or shorter query parameters"})
            if method in ("post", "put", "patch"):
                responses.setdefault("413", _response("Request body too large", _DETAIL))
            if not is_public:
                responses.setdefault("401", _response("Not authenticated", _DETAIL))
                responses.setdefault("403", _response("Not allowed for this role", _DETAIL))
            parameters = {parameter.get("name") for parameter in operation.get("parameters", [])}
            if "{" in path or method != "get" or "page" in parameters:
                responses.setdefault("404", _response("Not found, not visible to you, or no such page", _DETAIL))
            if path.startswith("/api/token/"):
                responses.setdefault("401", _response("Wrong credentials, or an invalid or expired token", _DETAIL))
            if "Idempotency-Key" in parameters:
                responses.setdefault(
                    "409", _response("A request with this Idempotency-Key is still running", _CONFLICT)
                )
                responses.setdefault("422", _response("This Idempotency-Key was used with another body", _DETAIL))
            responses.setdefault("429", _response("Too many requests", _DETAIL))
            responses.setdefault(
                "503", _response("The database cannot be reached just now (see Retry-After)", _CONFLICT)
            )
    return result


# Query parameters that take a record's id: ids start at 1 and fit a 64-bit integer.
ID_PARAMETERS = {"doctor", "patient", "appointment", "actor", "visit_type"}
LARGEST_ID = 2**63 - 1
MAX_FEE = 10**8  # doctors.filters: fees are at most 12 digits, 2 after the point


def tighten_inputs(result, generator, request, public):
    """Say in the schema what the API enforces: request bodies take no field they do not list
    (config.serializers.StrictInputMixin answers 400 naming it), id parameters start at 1, fees
    are not negative."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") != "query":
                    continue
                if parameter["name"] in ID_PARAMETERS and schema.get("type") == "integer":
                    parameter["schema"] = {"type": "integer", "format": "int64", "minimum": 1, "maximum": LARGEST_ID}
                elif parameter["name"] in ("min_fee", "max_fee"):
                    schema.update(minimum=0, maximum=MAX_FEE, multipleOf=0.01)
    return result
