"""A search costs the same queries whatever `_count` is: the selectors prefetch."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PrescriptionFactory, TreatmentFactory
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


@pytest.mark.parametrize("resource_type", TYPES)
def test_query_count_is_the_same_for_count_1_and_100(clinic, admin_api, resource_type):
    for _ in range(3):
        TreatmentFactory()
        PrescriptionFactory(items=2)
    query = slot_query(clinic.doctor) if resource_type == "Slot" else "_include=Appointment:patient"
    if resource_type != "Appointment" and resource_type != "Slot":
        query = ""

    small, small_entries = queries(admin_api, f"/fhir/{resource_type}?{query}&_count=1")
    large, large_entries = queries(admin_api, f"/fhir/{resource_type}?{query}&_count=100")

    assert large_entries > small_entries
    assert small == large
