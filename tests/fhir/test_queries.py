"""A search costs the same queries whatever `_count` is, for every role that searches clinical
records: the selectors prefetch."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments.models import Status
from tests.factories import AppointmentFactory, DoctorFactory, PrescriptionFactory, TreatmentFactory
from tests.fhir.conftest import slot_query

pytestmark = pytest.mark.django_db

TYPES = [
    "Patient",
    "Practitioner",
    "PractitionerRole",
    "Schedule",
    "Slot",
    "Appointment",
    "Encounter",
    "Condition",
    "Procedure",
    "MedicationRequest",
]


def queries(api, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as context:
        response = api.get(url)
    assert response.status_code == 200, response.content
    counted = [q for q in context.captured_queries if "config_throttlecounter" not in q["sql"]]
    return len(counted), len(response.json().get("entry", []))


def more_rows(clinic, role: str) -> None:
    """Rows of several patients and doctors the role sees, so a page of 100 holds more than one of
    each (a query per row would show)."""
    for _ in range(3):
        if role == "patient_api":
            visit = AppointmentFactory(doctor=DoctorFactory(), patient=clinic.patient, status=Status.COMPLETED)
        elif role == "doctor_api":
            visit = AppointmentFactory(doctor=clinic.doctor, status=Status.COMPLETED)
        else:
            visit = AppointmentFactory(status=Status.COMPLETED)
        TreatmentFactory(appointment=visit)
        PrescriptionFactory(appointment=visit, items=2)


@pytest.mark.parametrize("role", ["admin_api", "doctor_api", "patient_api"])
@pytest.mark.parametrize("resource_type", TYPES)
def test_query_count_is_the_same_for_count_1_and_100(request, clinic, role, resource_type):
    api = request.getfixturevalue(role)
    more_rows(clinic, role)
    query = {"Slot": slot_query(clinic.doctor), "Appointment": "_include=Appointment:patient"}.get(resource_type, "")

    small, small_entries = queries(api, f"/fhir/{resource_type}?{query}&_count=1")
    large, large_entries = queries(api, f"/fhir/{resource_type}?{query}&_count=100")

    if (role, resource_type) == ("patient_api", "Patient"):
        assert small_entries == large_entries == 1  # a patient sees one Patient: their own
    else:
        assert large_entries > small_entries
    assert small == large
