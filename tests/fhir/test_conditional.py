"""Conditional requests and replays: If-Match on the cancelling PUT, If-None-Exist on create, and
Idempotency-Key on $book."""

from datetime import datetime

import pytest

from appointments.models import Appointment, Status
from tests.fhir.conftest import outcome_code, parsed
from tests.fhir.test_booking import appointment_for, first_slot, post

pytestmark = pytest.mark.django_db


def cancelling(current: dict) -> dict:
    return current | {"status": "cancelled", "cancelationReason": {"text": "Cannot come"}}


@pytest.mark.parametrize("stale", ['W/"1"', "*-not-an-etag", None])
def test_cancelling_put_with_an_if_match_that_does_not_match_is_412(clinic, patient_api, stale):
    url = f"/fhir/Appointment/{clinic.upcoming.pk}"
    read = patient_api.get(url)
    if stale is None:  # the ETag of a read, and the appointment changed since
        stale = read["ETag"]
        clinic.upcoming.reason = "Changed at the desk"
        clinic.upcoming.save()

    response = patient_api.put(url, cancelling(read.json()), format="json", HTTP_IF_MATCH=stale)

    assert response.status_code == 412, response.content
    assert outcome_code(response) == "conflict"
    clinic.upcoming.refresh_from_db()
    assert clinic.upcoming.status == Status.SCHEDULED
    assert not clinic.upcoming.events.filter(action="cancelled").exists()


def test_if_none_exist_matching_several_appointments_is_412_and_books_nothing(clinic, patient_api):
    slot = first_slot(patient_api, clinic.doctor)
    before = Appointment.objects.count()

    response = post(
        patient_api,
        "/fhir/Appointment",
        appointment_for(slot),
        HTTP_IF_NONE_EXIST=f"patient=Patient/{clinic.patient.pk}",
    )

    assert response.status_code == 412, response.content
    assert outcome_code(response) == "multiple-matches"
    assert Appointment.objects.count() == before


def test_if_none_exist_matching_nothing_books(clinic, patient_api):
    slot = first_slot(patient_api, clinic.doctor)
    condition = f"patient=Patient/{clinic.patient.pk}&date={slot['start'][:10]}&status=booked"
    assert not Appointment.objects.filter(start__date=slot["start"][:10], patient=clinic.patient).exists()

    response = post(patient_api, "/fhir/Appointment", appointment_for(slot), HTTP_IF_NONE_EXIST=condition)

    assert response.status_code == 201, response.content
    booked = Appointment.objects.get(pk=response.json()["id"])
    assert (booked.patient, booked.status) == (clinic.patient, Status.SCHEDULED)
    assert parsed(response.json()).start == datetime.fromisoformat(slot["start"])


def test_if_none_exist_with_an_unknown_parameter_is_400(clinic, patient_api):
    slot = first_slot(patient_api, clinic.doctor)

    response = post(patient_api, "/fhir/Appointment", appointment_for(slot), HTTP_IF_NONE_EXIST="foo=bar")

    assert response.status_code == 400
    outcome_code(response)


def book_parameters(slot: dict, **extra) -> dict:
    return {
        "resourceType": "Parameters",
        "parameter": [{"name": "appt-resource", "resource": appointment_for(slot, **extra)}],
    }


def test_idempotency_key_on_book_replays_the_answer_and_books_once(clinic, patient_api):
    slot = first_slot(patient_api, clinic.doctor)
    body = book_parameters(slot)
    before = Appointment.objects.count()

    first = post(patient_api, "/fhir/Appointment/$book", body, HTTP_IDEMPOTENCY_KEY="book-1")
    again = post(patient_api, "/fhir/Appointment/$book", body, HTTP_IDEMPOTENCY_KEY="book-1")
    other = post(
        patient_api, "/fhir/Appointment/$book", book_parameters(slot, description="x"), HTTP_IDEMPOTENCY_KEY="book-1"
    )

    assert (first.status_code, again.status_code) == (201, 201), again.content
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert other.status_code == 422
    assert outcome_code(other) == "business-rule"
    assert other.json()["issue"][0]["details"]["coding"][0]["code"] == "idempotency_key_reused"
    assert Appointment.objects.count() == before + 1
    booked = Appointment.objects.get(pk=first.json()["entry"][0]["resource"]["id"])
    assert booked.start == datetime.fromisoformat(slot["start"])


def test_idempotency_key_on_create_replays_etag_and_location(clinic, patient_api):
    body = appointment_for(first_slot(patient_api, clinic.doctor))

    first = post(patient_api, "/fhir/Appointment", body, HTTP_IDEMPOTENCY_KEY="create-1")
    again = post(patient_api, "/fhir/Appointment", body, HTTP_IDEMPOTENCY_KEY="create-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert (again["ETag"], again["Location"]) == (first["ETag"], first["Location"])
