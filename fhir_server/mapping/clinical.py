"""The clinical records: Encounter (a visit that took place), Condition (a treatment's diagnosis,
ICD-10), Procedure (a treatment's procedure, when one is recorded) and MedicationRequest (one per
prescription item). Read through the appointments, treatments and prescriptions selectors; the
front desk sees none of them."""

from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.procedure import Procedure

from appointments.models import Status
from fhir_server.conf import ACT_CODE, CONDITION_CATEGORY, CONDITION_VERIFICATION, ICD10, UCUM, system
from fhir_server.mapping.base import (
    Context,
    ResourceType,
    doctor_display,
    id_param,
    instant,
    person_name,
    ref,
    visit_type_concept,
)
from fhir_server.search import SearchParam, id_q, reference_id
from fhir_server.selectors import encounters_for_user, prescription_items_for_user
from prescriptions.models import Prescription
from treatments.models import Treatment
from treatments.selectors import treatment_list_for_user


def patient_param(lookup: str) -> SearchParam:
    return SearchParam("patient", "reference", "Patient/{id}.", lambda v, m: id_q(reference_id(v, "Patient"), lookup))


class EncounterType(ResourceType):
    name = "Encounter"
    model = Encounter
    clinical = True
    audit_object_type = "appointment"
    documentation = "Visits that took place: checked in (arrived) or completed (finished). Same id as the Appointment."
    params = {"_id": id_param(), "patient": patient_param("patient_id")}
    ordering = ("start", "pk")

    def queryset(self, ctx: Context):
        return encounters_for_user(user=ctx.user)

    def build(self, appointment, ctx: Context) -> dict:
        zone = appointment.doctor.zone
        finished = appointment.status == Status.COMPLETED
        period = {"start": instant(appointment.start, zone)}
        if finished:
            period["end"] = instant(appointment.end, zone)
        return {
            "status": "finished" if finished else "arrived",
            "class": {"system": ACT_CODE, "code": "AMB", "display": "ambulatory"},
            "type": [visit_type_concept(appointment.visit_type)],
            "subject": ref("Patient", appointment.patient_id, person_name(appointment.patient.user)),
            "participant": [
                {"individual": ref("Practitioner", appointment.doctor_id, doctor_display(appointment.doctor))}
            ],
            "appointment": [ref("Appointment", appointment.pk)],
            "period": period,
            "reasonCode": [{"text": appointment.reason}] if appointment.reason else None,
        }


class TreatmentBased(ResourceType):
    clinical = True
    audit_object_type = "treatment"
    params = {"_id": id_param(), "patient": patient_param("appointment__patient_id")}
    ordering = ("-created_at", "-pk")

    def queryset(self, ctx: Context):
        return treatment_list_for_user(user=ctx.user)

    def patient_of(self, treatment):
        return treatment.appointment.patient_id

    def common(self, treatment) -> dict:
        appointment = treatment.appointment
        return {
            "subject": ref("Patient", appointment.patient_id, person_name(appointment.patient.user)),
            "encounter": ref("Encounter", appointment.pk),
        }


class ConditionType(TreatmentBased):
    name = "Condition"
    model = Condition
    documentation = "Each treatment's diagnosis, coded in ICD-10 when the doctor gave a code. Same id as the treatment."

    def build(self, treatment, ctx: Context) -> dict:
        in_error = treatment.status == Treatment.Status.ENTERED_IN_ERROR
        code = {"text": treatment.diagnosis}
        if treatment.icd10_code:
            code["coding"] = [{"system": ICD10, "code": treatment.icd10_code, "display": treatment.diagnosis}]
        verification = "entered-in-error" if in_error else "confirmed"
        return {
            **self.common(treatment),
            "verificationStatus": {"coding": [{"system": CONDITION_VERIFICATION, "code": verification}]},
            "category": [{"coding": [{"system": CONDITION_CATEGORY, "code": "encounter-diagnosis"}]}],
            "code": code,
            "recordedDate": treatment.created_at,
            "asserter": ref(
                "Practitioner", treatment.appointment.doctor_id, doctor_display(treatment.appointment.doctor)
            ),
            "note": [{"text": treatment.clinical_notes}] if treatment.clinical_notes else None,
        }


class ProcedureType(TreatmentBased):
    name = "Procedure"
    model = Procedure
    documentation = "Each treatment's procedure, when one was recorded. Same id as the treatment (and its Condition)."

    def queryset(self, ctx: Context):
        return super().queryset(ctx).exclude(procedure="")

    def build(self, treatment, ctx: Context) -> dict:
        appointment = treatment.appointment
        in_error = treatment.status == Treatment.Status.ENTERED_IN_ERROR
        return {
            **self.common(treatment),
            "status": "entered-in-error" if in_error else "completed",
            "code": {"text": treatment.procedure},
            "performedDateTime": instant(appointment.start, appointment.doctor.zone),
            "performer": [{"actor": ref("Practitioner", appointment.doctor_id, doctor_display(appointment.doctor))}],
            "reasonReference": [ref("Condition", treatment.pk)],
            "followUp": [{"text": treatment.follow_up}] if treatment.follow_up else None,
        }


MEDICATION_STATUSES = {
    Prescription.Status.ACTIVE: "active",
    Prescription.Status.CANCELLED: "cancelled",
    Prescription.Status.ENTERED_IN_ERROR: "entered-in-error",
}


class MedicationRequestType(ResourceType):
    name = "MedicationRequest"
    model = MedicationRequest
    clinical = True
    audit_object_type = "prescription_item"
    documentation = "One per prescription item; groupIdentifier is the prescription."
    params = {"_id": id_param(), "patient": patient_param("prescription__patient_id")}
    ordering = ("-prescription__issued_at", "pk")

    def queryset(self, ctx: Context):
        return prescription_items_for_user(user=ctx.user)

    def patient_of(self, item):
        return item.prescription.patient_id

    def last_updated(self, item):
        prescription = item.prescription
        return prescription.cancelled_at or prescription.issued_at

    def build(self, item, ctx: Context) -> dict:
        prescription = item.prescription
        dosage = f"{item.strength}, {item.get_route_display().lower()}, {item.frequency}, for {item.duration_days} days"
        return {
            "groupIdentifier": {"system": system("prescription"), "value": str(prescription.pk)},
            "status": MEDICATION_STATUSES[prescription.status],
            "statusReason": {"text": prescription.cancellation_reason} if prescription.cancellation_reason else None,
            "intent": "order",
            "medicationCodeableConcept": {"text": f"{item.medication_name} {item.strength}"},
            "subject": ref("Patient", prescription.patient_id, person_name(prescription.patient.user)),
            "encounter": ref("Encounter", prescription.appointment_id),
            "authoredOn": prescription.issued_at,
            "requester": ref("Practitioner", prescription.doctor_id, doctor_display(prescription.doctor)),
            "note": [{"text": prescription.notes}] if prescription.notes else None,
            "dosageInstruction": [
                {
                    "text": dosage,
                    "patientInstruction": item.instructions or None,
                    "route": {"text": item.get_route_display()},
                }
            ],
            "dispenseRequest": {
                "quantity": {"value": item.quantity},
                "numberOfRepeatsAllowed": item.refills,
                "expectedSupplyDuration": {"value": item.duration_days, "unit": "days", "system": UCUM, "code": "d"},
            },
        }
