"""Appointment: the visits, read through appointments.selectors, and what a booking or a
cancellation sent as FHIR asks of the booking and cancel services (which keep every rule)."""

from datetime import datetime

from django.db.models import Q
from fhir.resources.R4B.appointment import Appointment as FHIRAppointment
from pydantic import ValidationError

from appointments.models import Status
from appointments.selectors import appointment_list_for_user
from doctors.selectors import doctor_list_for_user, visit_type_list_for_user
from fhir_server.errors import FHIRError
from fhir_server.mapping.base import (
    Context,
    ResourceType,
    code_of,
    doctor_display,
    id_param,
    instant,
    person_name,
    ref,
    specialty_concept,
    visit_type_concept,
)
from fhir_server.mapping.patient import PatientType
from fhir_server.mapping.scheduling import parse_slot_id
from fhir_server.search import SearchParam, datetime_q, id_q, number_id, reference_id, token
from patients.selectors import patient_list_for_user

STATUS_TO_FHIR = {
    Status.SCHEDULED: "booked",
    Status.CONFIRMED: "booked",
    Status.CHECKED_IN: "arrived",
    Status.COMPLETED: "fulfilled",
    Status.CANCELLED: "cancelled",
    Status.NO_SHOW: "noshow",
}
BOOK_OPERATION = {
    "name": "book",
    "definition": "https://profiles.ihe.net/ITI/Scheduling/OperationDefinition/appointment-book",
    "documentation": (
        "POST Appointment/$book with a Parameters resource (parameter `appt-resource` or `appointment` holding the "
        "Appointment), a Bundle holding it, or the Appointment itself; the same booking as POST Appointment. "
        "201 with a searchset Bundle holding the booked Appointment; 409 when the slot is taken."
    ),
}
# What a booking may carry; anything else is refused by name, never dropped silently.
BOOKING_ELEMENTS = {
    "resourceType",
    "meta",
    "text",
    "status",
    "slot",
    "start",
    "end",
    "minutesDuration",
    "participant",
    "appointmentType",
    "serviceType",
    "description",
}


def _status_q(value: str, modifier: str) -> Q:
    ours = [status for status, fhir in STATUS_TO_FHIR.items() if fhir == token(value)[1]]
    return ~Q(status__in=ours) if modifier == "not" else Q(status__in=ours)


def participants(appointment) -> list[dict]:
    cancelled = appointment.status == Status.CANCELLED
    doctor_status = (
        "declined" if cancelled else "needs-action" if appointment.status == Status.SCHEDULED else "accepted"
    )
    return [
        {
            "actor": ref("Patient", appointment.patient_id, person_name(appointment.patient.user)),
            "required": "required",
            "status": "declined" if cancelled else "accepted",
        },
        {
            "actor": ref("Practitioner", appointment.doctor_id, doctor_display(appointment.doctor)),
            "required": "required",
            "status": doctor_status,
        },
    ]


class AppointmentType(ResourceType):
    name = "Appointment"
    model = FHIRAppointment
    audit_object_type = "appointment"
    interactions = ("read", "search-type", "create", "update")
    operations = (BOOK_OPERATION,)
    includes = ("Appointment:patient",)
    ordering = ("start", "pk")
    documentation = (
        "Visits. Create: status=booked with one slot reference (Slot/{id}), or start + a Practitioner participant "
        "(+ appointmentType, default the doctor's default visit type), and the Patient participant (a patient may "
        "leave it out); Idempotency-Key and If-None-Exist are honoured. Update: only a cancellation, a PUT of the "
        "same Appointment with status=cancelled and a cancelationReason; any other change is 400."
    )
    params = {
        "_id": id_param(),
        "patient": SearchParam(
            "patient", "reference", "Patient/{id}.", lambda v, m: id_q(reference_id(v, "Patient"), "patient_id")
        ),
        "practitioner": SearchParam(
            "practitioner",
            "reference",
            "Practitioner/{id}.",
            lambda v, m: id_q(reference_id(v, "Practitioner"), "doctor_id"),
        ),
        "date": SearchParam(
            "date", "date", "The start (eq, ge, gt, le, lt; dates in the clinic's zone).", datetime_q("start")
        ),
        "status": SearchParam(
            "status", "token", "booked, arrived, fulfilled, cancelled, noshow (:not too).", _status_q
        ),
    }

    def queryset(self, ctx: Context):
        return appointment_list_for_user(user=ctx.user)

    def build(self, appointment, ctx: Context) -> dict:
        zone = appointment.doctor.zone
        return {
            "status": STATUS_TO_FHIR[appointment.status],
            "cancelationReason": {"text": appointment.cancellation_reason}
            if appointment.status == Status.CANCELLED and appointment.cancellation_reason
            else None,
            "appointmentType": visit_type_concept(appointment.visit_type),
            "specialty": [specialty_concept(appointment.doctor.specialization)],
            "description": appointment.reason or None,
            "start": instant(appointment.start, zone),
            "end": instant(appointment.end, zone),
            "minutesDuration": int((appointment.end - appointment.start).total_seconds() // 60),
            "created": appointment.created_at,
            "participant": participants(appointment),
        }

    def include(self, ctx: Context, query, page: list) -> list[dict]:
        if "Appointment:patient" not in query.includes or not page:
            return []
        patients = PatientType()
        rows = list(patients.queryset(ctx).filter(pk__in={a.patient_id for a in page}).order_by("pk"))
        patients.audit(ctx, rows)
        return [patients.render(patient, ctx) for patient in rows]


# --- Booking -----------------------------------------------------------------------------------------


def parse_appointment(data) -> dict:
    """The body as an Appointment (checked by the fhir.resources model), in its JSON form."""
    if not isinstance(data, dict) or data.get("resourceType") != "Appointment":
        raise FHIRError("Send an Appointment resource (resourceType: Appointment).", code="structure")
    try:
        return FHIRAppointment.model_validate(data).model_dump(mode="json", exclude_none=True)
    except (ValidationError, ValueError) as error:
        raise FHIRError(f"Not a valid Appointment: {error}", code="structure") from None


def appointment_from_book(data) -> dict:
    """$book's input: Parameters (appt-resource or appointment), a Bundle holding an
    Appointment, or an Appointment."""
    if isinstance(data, dict) and data.get("resourceType") == "Parameters":
        for parameter in data.get("parameter") or []:
            if isinstance(parameter, dict) and parameter.get("name") in ("appt-resource", "appointment"):
                return parse_appointment(parameter.get("resource"))
        raise FHIRError("Parameters need an `appt-resource` (or `appointment`) parameter holding the Appointment.")
    if isinstance(data, dict) and data.get("resourceType") == "Bundle":
        resources = [e.get("resource") for e in data.get("entry") or [] if isinstance(e, dict)]
        found = [r for r in resources if isinstance(r, dict) and r.get("resourceType") == "Appointment"]
        if len(found) != 1:
            raise FHIRError("The Bundle must hold exactly one Appointment.")
        return parse_appointment(found[0])
    return parse_appointment(data)


def _actor(resource: dict, *kinds: str) -> list[tuple[str, str]]:
    found = []
    for participant in resource.get("participant") or []:
        reference = (participant.get("actor") or {}).get("reference", "")
        kind, _, pk = reference.rstrip("/").rpartition("/")
        kind = kind.rsplit("/", 1)[-1]
        if kind not in ("Patient", "Practitioner", "PractitionerRole"):
            raise FHIRError(f"Participant {reference!r}: only Patient, Practitioner and PractitionerRole take part.")
        if kind in kinds:
            found.append((kind, pk))
    return found


def _one(scoped, pk: str, what: str):
    number = number_id(pk)
    found = scoped.filter(pk=number).first() if number is not None else None
    if found is None:
        raise FHIRError(f"{what}/{pk} does not exist, or is not one you may book with.")
    return found


def booking_request(ctx: Context, resource: dict) -> dict:
    """The booking service's arguments for this Appointment: who, with whom, what and when.
    Ids are looked up among what the caller may see, as in the REST API."""
    unknown = sorted(set(resource) - BOOKING_ELEMENTS)
    if unknown:
        raise FHIRError(f"Booking does not take {', '.join(unknown)}; leave them out.")
    if resource.get("status") != "booked":
        raise FHIRError("Book with status=booked.")
    doctor_ids = {pk for _, pk in _actor(resource, "Practitioner", "PractitionerRole")}
    patient_ids = {pk for _, pk in _actor(resource, "Patient")}
    if len(patient_ids) > 1 or len(doctor_ids) > 1:
        raise FHIRError("An appointment has one Patient and one Practitioner.")
    slots = resource.get("slot") or []
    visit_type_code = None
    if slots:
        if len(slots) != 1:
            raise FHIRError("Book one slot at a time.")
        parsed = parse_slot_id(reference_id(slots[0].get("reference", ""), "Slot"))
        if parsed is None:
            raise FHIRError(f"{slots[0].get('reference')!r} is not a Slot of this server.")
        doctor_id, visit_type_id, start = parsed
        if doctor_ids and doctor_ids != {str(doctor_id)}:
            raise FHIRError("The Practitioner participant is not the slot's.")
        doctor_ids, visit_type_code = {str(doctor_id)}, visit_type_id
    else:
        try:
            start = datetime.fromisoformat(resource["start"])
        except (KeyError, ValueError):
            raise FHIRError("Give a slot reference, or start (with its offset).") from None
        for concept in [resource.get("appointmentType"), *(resource.get("serviceType") or [])]:
            for coding in (concept or {}).get("coding") or []:
                code = code_of(f"{coding.get('system', '')}|{coding.get('code', '')}", "visit-type")
                if code is not None:
                    visit_type_code = code
    request = {"start": start, "reason": resource.get("description", "")}
    if doctor_ids:
        request["doctor"] = _one(doctor_list_for_user(user=ctx.user), doctor_ids.pop(), "Practitioner")
    if patient_ids:
        request["patient"] = _one(patient_list_for_user(user=ctx.user), patient_ids.pop(), "Patient")
    if visit_type_code is not None:
        request["visit_type"] = _one(visit_type_list_for_user(user=ctx.user), str(visit_type_code), "visit type")
    return request


def check_end(resource: dict, appointment) -> None:
    """An `end` or `minutesDuration` sent must be the visit type's; raised inside the booking's
    transaction, so a mismatch books nothing."""
    minutes = int((appointment.end - appointment.start).total_seconds() // 60)
    end = resource.get("end")
    if (end and datetime.fromisoformat(end) != appointment.end) or resource.get("minutesDuration", minutes) != minutes:
        raise FHIRError(f"A {appointment.visit_type.name} lasts {minutes} minutes; fix end or leave it out.")


# --- Cancelling ---------------------------------------------------------------------------------------

# Elements a cancelling PUT may change, besides status and the reason: the participants' own
# statuses follow the appointment's.
_CANCEL_FREE = {"resourceType", "id", "meta", "text", "status", "cancelationReason", "participant"}


def cancellation_reason(current: dict, sent: dict) -> str | None:
    """The reason of a cancelling PUT; None when the PUT changes nothing. Any change other than the
    status (to cancelled) and the reason is a 400."""
    changed = sorted(
        name
        for name in set(current) | set(sent)
        if name not in _CANCEL_FREE and name in sent and not _same(name, current.get(name), sent[name])
    )
    if _actors(sent) != _actors(current):
        changed.append("participant")
    if changed:
        raise FHIRError(f"PUT only cancels an appointment; it cannot change {', '.join(changed)}.")
    if sent.get("status") == current["status"]:
        return None
    if sent.get("status") != "cancelled":
        raise FHIRError("PUT only cancels an appointment: send status=cancelled with a cancelationReason.")
    reason = sent.get("cancelationReason") or {}
    text = reason.get("text") or next((c.get("display") for c in reason.get("coding") or [] if c.get("display")), "")
    if not text.strip():
        raise FHIRError("Say why in cancelationReason.text.")
    return text


def _actors(resource: dict) -> list[str]:
    return sorted((p.get("actor") or {}).get("reference", "") for p in resource.get("participant") or [])


def _same(name: str, current, sent) -> bool:
    if name in ("start", "end", "created") and isinstance(current, str) and isinstance(sent, str):
        try:
            return datetime.fromisoformat(current) == datetime.fromisoformat(sent)
        except ValueError:
            return False
    return current == sent
