"""Headers under /fhir/: `Cache-Control: no-store` on every answer (patient data, and errors too),
and CORS for the configured origins as for /api/, errors included."""

from unittest import mock

import pytest

from tests.fhir.conftest import outcome_code
from tests.fhir.test_booking import appointment_for, first_slot, post

pytestmark = pytest.mark.django_db

PORTAL = "https://portal.clinic.example"


def test_every_fhir_answer_says_no_store(clinic, anon, patient_api, admin_api):
    slot = first_slot(patient_api, clinic.doctor)
    upcoming = f"/fhir/Appointment/{clinic.upcoming.pk}"
    current = patient_api.get(upcoming).json()
    responses = {
        "metadata": anon.get("/fhir/metadata"),
        "read": patient_api.get(f"/fhir/Patient/{clinic.patient.pk}"),
        "search": admin_api.get("/fhir/Appointment?_include=Appointment:patient"),
        "clinical": patient_api.get("/fhir/MedicationRequest"),
        "slots": patient_api.get(f"/fhir/Slot/{slot['id']}"),
        "create": post(patient_api, "/fhir/Appointment", appointment_for(slot)),
        "cancel": patient_api.put(
            upcoming, current | {"status": "cancelled", "cancelationReason": {"text": "x"}}, format="json"
        ),
        "401": anon.get("/fhir/Patient"),
        "404": patient_api.get(f"/fhir/Patient/{clinic.other_patient.pk}"),
        "400": patient_api.get("/fhir/Patient?foo=bar"),
        "unknown url": anon.get("/fhir/nothing/here/at/all"),
    }

    statuses = {name: response.status_code for name, response in responses.items()}
    assert statuses == {
        **dict.fromkeys(responses, 200),
        "create": 201,
        "401": 401,
        "404": 404,
        "400": 400,
        "unknown url": 404,
    }
    assert {name: response["Cache-Control"] for name, response in responses.items()} == dict.fromkeys(
        responses, "no-store"
    )


def test_a_crash_under_fhir_is_an_operation_outcome_with_no_store_and_cors(settings, admin_api):
    settings.CORS_ALLOWED_ORIGINS = [PORTAL]
    admin_api.raise_request_exception = False

    with mock.patch("fhir_server.mapping.patient.patient_list_for_user", side_effect=RuntimeError("SELECT secret")):
        response = admin_api.get("/fhir/Patient", HTTP_ORIGIN=PORTAL)

    assert response.status_code == 500
    assert outcome_code(response) == "exception"
    assert "secret" not in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert response["Access-Control-Allow-Origin"] == PORTAL


def test_cors_preflight_under_fhir_allows_only_the_configured_origins(settings, anon):
    settings.CORS_ALLOWED_ORIGINS = [PORTAL]
    preflight = {"HTTP_ACCESS_CONTROL_REQUEST_METHOD": "POST", "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "authorization"}

    allowed = anon.options("/fhir/Appointment/$book", HTTP_ORIGIN=PORTAL, **preflight)
    other = anon.options("/fhir/Appointment/$book", HTTP_ORIGIN="https://evil.example", **preflight)

    assert allowed["Access-Control-Allow-Origin"] == PORTAL
    assert "POST" in allowed["Access-Control-Allow-Methods"]
    assert "authorization" in allowed["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Credentials" not in allowed
    assert "Access-Control-Allow-Origin" not in other


def test_cors_headers_on_fhir_answers_and_errors_for_an_allowed_origin(settings, clinic, anon, patient_api):
    settings.CORS_ALLOWED_ORIGINS = [PORTAL]

    answers = [
        anon.get("/fhir/metadata", HTTP_ORIGIN=PORTAL),
        patient_api.get(f"/fhir/Patient/{clinic.patient.pk}", HTTP_ORIGIN=PORTAL),
        anon.get("/fhir/Patient", HTTP_ORIGIN=PORTAL),  # 401: the client must be able to read why
    ]
    elsewhere = patient_api.get(f"/fhir/Patient/{clinic.patient.pk}", HTTP_ORIGIN="https://evil.example")

    assert [response.status_code for response in answers] == [200, 200, 401]
    assert [response["Access-Control-Allow-Origin"] for response in answers] == [PORTAL] * 3
    assert "Access-Control-Allow-Origin" not in elsewhere


def test_by_default_no_origin_is_allowed_under_fhir(anon):
    response = anon.get("/fhir/metadata", HTTP_ORIGIN="https://anywhere.example")

    assert "Access-Control-Allow-Origin" not in response
