"""One module per resource family; REGISTRY is what the server implements, and the
CapabilityStatement is built from it, so the two cannot drift apart."""

from fhir_server.mapping.appointment import AppointmentType
from fhir_server.mapping.base import ResourceType
from fhir_server.mapping.clinical import ConditionType, EncounterType, MedicationRequestType, ProcedureType
from fhir_server.mapping.patient import PatientType
from fhir_server.mapping.practitioner import PractitionerRoleType, PractitionerType
from fhir_server.mapping.scheduling import ScheduleType, SlotType

REGISTRY: dict[str, ResourceType] = {
    handler.name: handler
    for handler in (
        PatientType(),
        PractitionerType(),
        PractitionerRoleType(),
        ScheduleType(),
        SlotType(),
        AppointmentType(),
        EncounterType(),
        ConditionType(),
        ProcedureType(),
        MedicationRequestType(),
    )
}
