"""Booking and cancelling through FHIR: the booking and cancel services decide, so the same rules
and the same answers as the REST API, shaped as FHIR."""

import pytest

from appointments.models import ACTIVE_STATUSES, Appointment, Status
from tests.factories import PatientFactory
from tests.fhir.conftest import outcome_code, parsed, slot_query

pytestmark = pytest.mark.django_db


def first_slot(api, doctor) -> dict:
    body = api.get(f"/fhir/Slot?{slot_query(doctor)}&_count=5").json()
    return body["entry"][0]["resource"]


def appointment_for(slot: dict, patient=None, **extra) -> dict:
    participant = [{"actor": {"reference": f"Patient/{patient.pk}"}, "status": "accepted"}] if patient else []
    return {
        "resourceType": "Appointment",
        "status": "booked",
        "slot": [{"reference": f"Slot/{slot['id']}"}],
        "participant": participant
        or [
            {
                "actor": {"reference": slot["schedule"]["reference"].replace("Schedule", "Practitioner")},
                "status": "accepted",
            }
        ],
        **extra,
    }


def post(api, url, body, **headers):
    return api.post(url, body, format="json", **headers)


def test_patient_books_a_slot_by_id(clinic, patient_api):
    slot = first_slot(patient_api, clinic.doctor)

    response = post(patient_api, "/fhir/Appointment", appointment_for(slot, description="Cough"))

    assert response.status_code == 201, response.content
    body = response.json()
    parsed(body)
    booked = Appointment.objects.get(pk=body["id"])
    assert (booked.doctor, booked.patient, booked.reason) == (clinic.doctor, clinic.patient, "Cough")
    assert body["start"] == slot["start"] and body["status"] == "booked"
    assert response["Location"].endswith(f"/fhir/Appointment/{booked.pk}/_history/{body['meta']['versionId']}")


def test_receptionist_books_with_start_practitioner_and_appointment_type(clinic, receptionist_api):
    slot = first_slot(receptionist_api, clinic.doctor)
    body = {
        "resourceType": "Appointment",
        "status": "booked",
        "start": slot["start"],
        "end": slot["end"],
        "appointmentType": slot["serviceType"][0],
        "participant": [
            {"actor": {"reference": f"Patient/{clinic.other_patient.pk}"}, "status": "accepted"},
            {"actor": {"reference": f"Practitioner/{clinic.doctor.pk}"}, "status": "accepted"},
        ],
    }

    response = post(receptionist_api, "/fhir/Appointment", body)

    assert response.status_code == 201, response.content
    assert Appointment.objects.get(pk=response.json()["id"]).patient == clinic.other_patient


def test_book_operation_with_parameters_answers_a_bundle(clinic, patient_api):
    slot = first_slot(patient_api, clinic.doctor)
    parameters = {
        "resourceType": "Parameters",
        "parameter": [{"name": "appt-resource", "resource": appointment_for(slot)}],
    }

    response = post(patient_api, "/fhir/Appointment/$book", parameters)

    assert response.status_code == 201, response.content
    bundle = response.json()
    parsed(bundle)
    assert bundle["entry"][0]["resource"]["resourceType"] == "Appointment"


def test_book_refused_with_409_conflict_when_slot_taken(clinic, patient_api, client_for):
    slot = first_slot(patient_api, clinic.doctor)
    assert post(patient_api, "/fhir/Appointment", appointment_for(slot)).status_code == 201
    someone_else = client_for(PatientFactory().user)

    response = post(someone_else, "/fhir/Appointment/$book", appointment_for(slot))

    assert response.status_code == 409
    assert outcome_code(response) == "conflict"
    assert response.json()["issue"][0]["details"]["coding"][0]["code"] == "doctor_busy"


def test_book_rule_refusal_is_422_business_rule_with_diagnostics(clinic, patient_api):
    slot = first_slot(patient_api, clinic.doctor)
    off_grid = slot["start"][:14] + "07" + slot["start"][16:]
    body = appointment_for(slot)
    body.pop("slot")
    body.update(
        start=off_grid, participant=[{"actor": {"reference": f"Practitioner/{clinic.doctor.pk}"}, "status": "accepted"}]
    )

    response = post(patient_api, "/fhir/Appointment", body)

    assert response.status_code == 422, response.content
    assert outcome_code(response) == "business-rule"
    assert "start" in response.json()["issue"][0]["diagnostics"]


@pytest.mark.parametrize(
    "change",
    [
        {"status": "proposed"},
        {"comment": "unexpected element"},
        {"slot": [{"reference": "Slot/nonsense"}]},
        {"end": "2099-01-01T00:00:00Z"},
    ],
)
def test_bad_booking_body_is_refused_and_books_nothing(clinic, patient_api, change):
    slot = first_slot(patient_api, clinic.doctor)
    before = Appointment.objects.count()

    response = post(patient_api, "/fhir/Appointment", appointment_for(slot) | change)

    assert response.status_code == 400, response.content
    outcome_code(response)
    assert Appointment.objects.count() == before


def test_patient_cannot_book_for_another_patient(clinic, patient_api):
    slot = first_slot(patient_api, clinic.doctor)

    response = post(patient_api, "/fhir/Appointment", appointment_for(slot, patient=clinic.other_patient))

    assert response.status_code == 400
    assert Appointment.objects.filter(patient=clinic.other_patient, status__in=ACTIVE_STATUSES).count() == 0


def test_idempotency_key_replays_the_first_answer(clinic, patient_api):
    slot = first_slot(patient_api, clinic.doctor)
    body = appointment_for(slot)

    first = post(patient_api, "/fhir/Appointment", body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(patient_api, "/fhir/Appointment", body, HTTP_IDEMPOTENCY_KEY="k-1")
    other = post(patient_api, "/fhir/Appointment", body | {"description": "x"}, HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert other.status_code == 422
    outcome_code(other)
    assert Appointment.objects.filter(pk=first.json()["id"]).count() == 1


def test_if_none_exist_returns_the_existing_appointment(clinic, patient_api):
    slot = first_slot(patient_api, clinic.doctor)
    created = post(patient_api, "/fhir/Appointment", appointment_for(slot)).json()
    condition = f"patient=Patient/{clinic.patient.pk}&date={created['start'].replace('+', '%2B')}"
    count = Appointment.objects.count()

    response = post(patient_api, "/fhir/Appointment", appointment_for(slot), HTTP_IF_NONE_EXIST=condition)

    assert response.status_code == 200, response.content
    assert response.json()["id"] == created["id"]
    assert Appointment.objects.count() == count


def test_put_with_status_cancelled_cancels_through_the_service(clinic, doctor_api):
    url = f"/fhir/Appointment/{clinic.upcoming.pk}"
    current = doctor_api.get(url).json()

    response = doctor_api.put(
        url,
        current | {"status": "cancelled", "cancelationReason": {"text": "Doctor ill"}},
        format="json",
        HTTP_IF_MATCH=f'W/"{current["meta"]["versionId"]}"',
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    clinic.upcoming.refresh_from_db()
    assert (clinic.upcoming.status, clinic.upcoming.cancellation_reason) == (Status.CANCELLED, "Doctor ill")
    assert clinic.upcoming.events.filter(action="cancelled", actor=clinic.doctor.user).exists()


@pytest.mark.parametrize(
    "change", [{"description": "Another reason"}, {"start": "2040-01-01T09:00:00+00:00"}, {"status": "fulfilled"}]
)
def test_put_changing_anything_but_the_cancellation_is_400(clinic, doctor_api, change):
    url = f"/fhir/Appointment/{clinic.upcoming.pk}"
    current = doctor_api.get(url).json()

    response = doctor_api.put(url, current | change | {"cancelationReason": {"text": "x"}}, format="json")

    assert response.status_code == 400, response.content
    clinic.upcoming.refresh_from_db()
    assert clinic.upcoming.status == Status.SCHEDULED


def test_cancelling_a_finished_visit_is_409(clinic, admin_api):
    url = f"/fhir/Appointment/{clinic.visit.pk}"
    current = admin_api.get(url).json()

    response = admin_api.put(url, current | {"status": "cancelled", "cancelationReason": {"text": "x"}}, format="json")

    assert response.status_code == 409
    assert outcome_code(response) == "conflict"


def test_minimal_cancelling_put_needs_only_id_status_reason_and_participants(clinic, patient_api):
    body = {
        "resourceType": "Appointment",
        "id": str(clinic.upcoming.pk),
        "status": "cancelled",
        "cancelationReason": {"text": "Cannot come"},
        "participant": [
            {"actor": {"reference": f"Patient/{clinic.patient.pk}"}, "status": "declined"},
            {"actor": {"reference": f"Practitioner/{clinic.doctor.pk}"}, "status": "declined"},
        ],
    }

    response = patient_api.put(f"/fhir/Appointment/{clinic.upcoming.pk}", body, format="json")
    swapped = body | {"participant": [{"actor": {"reference": f"Patient/{clinic.other_patient.pk}"}}]}
    refused = patient_api.put(
        f"/fhir/Appointment/{clinic.visit.pk}", swapped | {"id": str(clinic.visit.pk)}, format="json"
    )

    assert response.status_code == 200, response.content
    clinic.upcoming.refresh_from_db()
    assert clinic.upcoming.status == Status.CANCELLED
    assert refused.status_code == 400
