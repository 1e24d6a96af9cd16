"""GET /fhir/metadata: the CapabilityStatement, built from the registry of what is implemented."""

from django.conf import settings
from django.utils import timezone
from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from fhir_server.conf import FHIR_VERSION, MAX_COUNT
from fhir_server.http import MEDIA_TYPE
from fhir_server.mapping import REGISTRY

COMMON_PARAMETERS = [
    {"name": "_count", "type": "number", "documentation": f"Page size, 1 to {MAX_COUNT} (default 20)."},
    {"name": "_offset", "type": "number", "documentation": "Where the page starts (follow the `next` link)."},
    {"name": "_format", "type": "string", "documentation": "json only."},
]


def _resource(handler) -> dict:
    entry = {
        "type": handler.name,
        "documentation": handler.documentation,
        "interaction": [{"code": code} for code in handler.interactions],
        "readHistory": False,
        "updateCreate": False,
        "searchParam": [
            {"name": param.name, "type": param.type, "documentation": param.documentation}
            for param in handler.params.values()
        ],
    }
    if "create" in handler.interactions:
        entry["conditionalCreate"] = True
    if handler.includes:
        entry["searchInclude"] = list(handler.includes)
    if handler.operations:
        entry["operation"] = [dict(operation) for operation in handler.operations]
    return entry


def capability_statement(base: str) -> dict:
    data = {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": timezone.now(),
        "publisher": settings.CLINIC_NAME,
        "kind": "instance",
        "software": {"name": "Hospital appointments API (FHIR interface)"},
        "implementation": {"description": f"{settings.CLINIC_NAME} FHIR R4 server", "url": base},
        "fhirVersion": FHIR_VERSION,
        "format": ["json", MEDIA_TYPE],
        "rest": [
            {
                "mode": "server",
                "documentation": (
                    "Searches are strict: an unknown parameter is 400 (send Prefer: handling=lenient to have it "
                    "ignored). Every error is an OperationOutcome. POSTs that create honour Idempotency-Key."
                ),
                "security": {
                    "cors": True,
                    "description": (
                        "Send Authorization: Bearer <access token> from POST /api/token/, as for the REST API; "
                        "what each role may see and do is the REST API's."
                    ),
                },
                "resource": [_resource(handler) for handler in REGISTRY.values()],
                "searchParam": COMMON_PARAMETERS,
            }
        ],
    }
    return CapabilityStatement.model_validate(data).model_dump(mode="json", exclude_none=True)
