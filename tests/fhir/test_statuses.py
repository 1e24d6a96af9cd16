"""Every status of our rows is returned as its FHIR status, and each resource so returned (by a
search, a read or a cancelling PUT) validates as its fhir.resources model."""

import pytest

from appointments.models import Status
from tests.fhir.conftest import parsed

pytestmark = pytest.mark.django_db

ROLES = ["patient_api", "doctor_api", "receptionist_api", "admin_api"]


def found(api, resource_type: str) -> dict[str, dict]:
    response = api.get(f"/fhir/{resource_type}?_count=100")
    assert response.status_code == 200, response.content
    resources = [entry["resource"] for entry in response.json()["entry"]]
    for resource in resources:
        parsed(resource)
    return {resource["id"]: resource for resource in resources}


def test_every_appointment_status_is_mapped_and_validates(clinic, patient_api):
    appointments = found(patient_api, "Appointment")

    visits = {name: getattr(clinic, name) for name in ("visit", "upcoming", "arrived", "no_show", "cancelled")}

    assert {name: appointments[str(visit.pk)]["status"] for name, visit in visits.items()} == {
        "visit": "fulfilled",
        "upcoming": "booked",
        "arrived": "arrived",
        "no_show": "noshow",
        "cancelled": "cancelled",
    }
    cancelled = appointments[str(clinic.cancelled.pk)]
    assert cancelled["cancelationReason"] == {"text": "Moved away"}
    assert {p["status"] for p in cancelled["participant"]} == {"declined"}
    assert "cancelationReason" not in appointments[str(clinic.no_show.pk)]


def test_encounters_are_the_visits_that_took_place(clinic, doctor_api):
    encounters = found(doctor_api, "Encounter")

    assert {pk: e["status"] for pk, e in encounters.items()} == {
        str(clinic.visit.pk): "finished",
        str(clinic.arrived.pk): "arrived",
    }
    assert "end" not in encounters[str(clinic.arrived.pk)]["period"]


def test_treatment_entered_in_error_is_so_as_condition_and_procedure(clinic, patient_api):
    conditions, procedures = found(patient_api, "Condition"), found(patient_api, "Procedure")
    wrong, right = str(clinic.erroneous_treatment.pk), str(clinic.treatment.pk)

    assert conditions[wrong]["verificationStatus"]["coding"][0]["code"] == "entered-in-error"
    assert conditions[right]["verificationStatus"]["coding"][0]["code"] == "confirmed"
    assert (procedures[wrong]["status"], procedures[right]["status"]) == ("entered-in-error", "completed")


def test_every_prescription_status_is_a_medication_request_status(clinic, patient_api):
    requests = found(patient_api, "MedicationRequest")

    def of(prescription) -> dict:
        return requests[str(prescription.items.get().pk)]

    assert of(clinic.prescription)["status"] == "active"
    assert "statusReason" not in of(clinic.prescription)
    assert (of(clinic.cancelled_prescription)["status"], of(clinic.cancelled_prescription)["statusReason"]) == (
        "cancelled",
        {"text": "Dose too high"},
    )
    assert of(clinic.erroneous_prescription)["status"] == "entered-in-error"
    assert of(clinic.cancelled_prescription)["meta"]["lastUpdated"].startswith(
        clinic.cancelled_prescription.cancelled_at.date().isoformat()
    )


@pytest.mark.parametrize("role", ROLES)
def test_cancelling_put_answers_a_valid_appointment_for_every_role(request, clinic, role):
    api = request.getfixturevalue(role)
    url = f"/fhir/Appointment/{clinic.upcoming.pk}"
    current = api.get(url).json()

    unchanged = api.put(url, current, format="json")
    cancelled = api.put(url, current | {"status": "cancelled", "cancelationReason": {"text": "Ill"}}, format="json")

    assert (unchanged.status_code, cancelled.status_code) == (200, 200), cancelled.content
    assert parsed(unchanged.json()).status == "booked"
    assert parsed(cancelled.json()).status == "cancelled"
    assert cancelled.json()["cancelationReason"] == {"text": "Ill"}
    assert cancelled["ETag"] == f'W/"{cancelled.json()["meta"]["versionId"]}"'
    clinic.upcoming.refresh_from_db()
    assert clinic.upcoming.status == Status.CANCELLED
