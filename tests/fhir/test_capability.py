"""The CapabilityStatement lists exactly what is implemented, and each search parameter it lists
is exercised here."""

from datetime import date

import pytest

from fhir_server.mapping import REGISTRY
from tests.fhir.conftest import parsed, slot_query

pytestmark = pytest.mark.django_db


def samples(clinic) -> dict[tuple[str, str], str]:
    """One working query for each (type, search parameter)."""
    patient, doctor, user = clinic.patient, clinic.doctor, clinic.patient.user
    slots = slot_query(doctor)
    return {
        ("Patient", "_id"): f"_id={patient.pk}",
        ("Patient", "identifier"): f"identifier={patient.pk}",
        ("Patient", "name"): f"name={user.first_name}",
        ("Patient", "family"): f"family={user.last_name}",
        ("Patient", "given"): f"given={user.first_name}",
        ("Patient", "birthdate"): "birthdate=ge1900",
        ("Patient", "gender"): "gender=unknown",
        ("Practitioner", "_id"): f"_id={doctor.pk}",
        ("Practitioner", "name"): f"name={doctor.user.last_name}",
        ("Practitioner", "family"): f"family={doctor.user.last_name}",
        ("Practitioner", "given"): f"given={doctor.user.first_name}",
        ("PractitionerRole", "_id"): f"_id={doctor.pk}",
        ("PractitionerRole", "specialty"): f"specialty={doctor.specialization_id}",
        ("PractitionerRole", "practitioner"): f"practitioner=Practitioner/{doctor.pk}",
        ("Schedule", "_id"): f"_id={doctor.pk}",
        ("Schedule", "actor"): f"actor=PractitionerRole/{doctor.pk}",
        ("Slot", "_id"): f"{slots}&_id=0-0-000000000000",
        ("Slot", "schedule"): slots,
        ("Slot", "start"): slots,
        ("Slot", "service-type"): f"{slots}&service-type={doctor.offered_visit_types.get().visit_type_id}",
        ("Slot", "status"): f"{slots}&status=free",
        ("Appointment", "_id"): f"_id={clinic.visit.pk}",
        ("Appointment", "patient"): f"patient=Patient/{patient.pk}",
        ("Appointment", "practitioner"): f"practitioner=Practitioner/{doctor.pk}",
        ("Appointment", "date"): "date=ge2030-01-01",
        ("Appointment", "status"): "status=booked,fulfilled",
        ("Encounter", "_id"): f"_id={clinic.visit.pk}",
        ("Encounter", "patient"): f"patient=Patient/{patient.pk}",
        ("Condition", "_id"): f"_id={clinic.treatment.pk}",
        ("Condition", "patient"): f"patient=Patient/{patient.pk}",
        ("Procedure", "_id"): f"_id={clinic.treatment.pk}",
        ("Procedure", "patient"): f"patient=Patient/{patient.pk}",
        ("MedicationRequest", "_id"): f"_id={clinic.prescription.items.get().pk}",
        ("MedicationRequest", "patient"): f"patient=Patient/{patient.pk}",
    }


def test_metadata_is_a_capability_statement_without_a_token(anon):
    response = anon.get("/fhir/metadata")

    assert response.status_code == 200
    statement = parsed(response.json())
    assert statement.fhirVersion == "4.0.1"


def test_capability_statement_lists_exactly_what_the_tests_exercise(clinic, anon, admin_api):
    clinic.patient.date_of_birth = date(1980, 5, 17)
    clinic.patient.save()
    rest = anon.get("/fhir/metadata").json()["rest"][0]
    listed = {(r["type"], p["name"]) for r in rest["resource"] for p in r.get("searchParam", [])}
    interactions = {r["type"]: {i["code"] for i in r["interaction"]} for r in rest["resource"]}
    appointment = next(r for r in rest["resource"] if r["type"] == "Appointment")

    assert [r["type"] for r in rest["resource"]] == list(REGISTRY)
    assert listed == set(samples(clinic))
    assert interactions.pop("Appointment") == {"read", "search-type", "create", "update"}
    assert set(map(frozenset, interactions.values())) == {frozenset({"read", "search-type"})}
    assert [o["name"] for o in appointment["operation"]] == ["book"]
    assert appointment["searchInclude"] == ["Appointment:patient"]
    for (resource_type, name), query in samples(clinic).items():
        response = admin_api.get(f"/fhir/{resource_type}?{query}")
        assert response.status_code == 200, (resource_type, name, response.content)
        if name != "_id" or resource_type != "Slot":
            assert response.json().get("entry"), (resource_type, name)
