"""The CapabilityStatement lists exactly what is implemented, and each search parameter it lists
is exercised here."""

from datetime import date

import pytest

from fhir_server.mapping import REGISTRY
from tests.fhir.conftest import parsed, slot_query

pytestmark = pytest.mark.django_db


NOWHERE = 999_999_999  # an id no row has


def samples(clinic, slot_id: str) -> dict[tuple[str, str], tuple[str, str]]:
    """For each (type, search parameter): a query that finds something, and one that differs only
    in that parameter's value and matches nothing."""
    patient, doctor, user = clinic.patient, clinic.doctor, clinic.patient.user
    slots, past = slot_query(doctor), "start=ge2020-01-06&start=lt2020-01-13"
    schedule = f"schedule=Schedule/{doctor.pk}"
    return {
        ("Patient", "_id"): (f"_id={patient.pk}", f"_id={NOWHERE}"),
        ("Patient", "identifier"): (f"identifier={patient.pk}", "identifier=NAT-404"),
        ("Patient", "name"): (f"name={user.first_name}", "name=Zzyzx"),
        ("Patient", "family"): (f"family={user.last_name}", "family=Zzyzx"),
        ("Patient", "given"): (f"given={user.first_name}", "given=Zzyzx"),
        ("Patient", "birthdate"): ("birthdate=ge1900", "birthdate=lt1900"),
        ("Patient", "gender"): ("gender=unknown", "gender=female"),
        ("Practitioner", "_id"): (f"_id={doctor.pk}", f"_id={NOWHERE}"),
        ("Practitioner", "name"): (f"name={doctor.user.last_name}", "name=Zzyzx"),
        ("Practitioner", "family"): (f"family={doctor.user.last_name}", "family=Zzyzx"),
        ("Practitioner", "given"): (f"given={doctor.user.first_name}", "given=Zzyzx"),
        ("PractitionerRole", "_id"): (f"_id={doctor.pk}", f"_id={NOWHERE}"),
        ("PractitionerRole", "specialty"): (f"specialty={doctor.specialization_id}", f"specialty={NOWHERE}"),
        ("PractitionerRole", "practitioner"): (
            f"practitioner=Practitioner/{doctor.pk}",
            f"practitioner=Practitioner/{NOWHERE}",
        ),
        ("Schedule", "_id"): (f"_id={doctor.pk}", f"_id={NOWHERE}"),
        ("Schedule", "actor"): (f"actor=PractitionerRole/{doctor.pk}", f"actor=PractitionerRole/{NOWHERE}"),
        ("Slot", "_id"): (f"{slots}&_id={slot_id}", f"{slots}&_id={doctor.pk}-1-203001010000"),
        ("Slot", "schedule"): (slots, slots.replace(schedule, f"schedule=Schedule/{NOWHERE}")),
        ("Slot", "start"): (slots, f"{schedule}&{past}"),
        ("Slot", "service-type"): (
            f"{slots}&service-type={doctor.offered_visit_types.get().visit_type_id}",
            f"{slots}&service-type={NOWHERE}",
        ),
        ("Slot", "status"): (f"{slots}&status=free", f"{slots}&status=busy"),
        ("Appointment", "_id"): (f"_id={clinic.visit.pk}", f"_id={NOWHERE}"),
        ("Appointment", "patient"): (f"patient=Patient/{patient.pk}", f"patient=Patient/{NOWHERE}"),
        ("Appointment", "practitioner"): (
            f"practitioner=Practitioner/{doctor.pk}",
            f"practitioner=Practitioner/{NOWHERE}",
        ),
        ("Appointment", "date"): ("date=ge2030-01-01", "date=lt2000-01-01"),
        ("Appointment", "status"): ("status=booked,fulfilled", "status=proposed"),
        ("Encounter", "_id"): (f"_id={clinic.visit.pk}", f"_id={clinic.upcoming.pk}"),  # not a visit that took place
        ("Encounter", "patient"): (f"patient=Patient/{patient.pk}", f"patient=Patient/{NOWHERE}"),
        ("Condition", "_id"): (f"_id={clinic.treatment.pk}", f"_id={NOWHERE}"),
        ("Condition", "patient"): (f"patient=Patient/{patient.pk}", f"patient=Patient/{NOWHERE}"),
        ("Procedure", "_id"): (f"_id={clinic.treatment.pk}", f"_id={NOWHERE}"),
        ("Procedure", "patient"): (f"patient=Patient/{patient.pk}", f"patient=Patient/{NOWHERE}"),
        ("MedicationRequest", "_id"): (f"_id={clinic.prescription.items.get().pk}", f"_id={NOWHERE}"),
        ("MedicationRequest", "patient"): (f"patient=Patient/{patient.pk}", f"patient=Patient/{NOWHERE}"),
    }


def test_metadata_is_a_capability_statement_without_a_token(anon):
    response = anon.get("/fhir/metadata")

    assert response.status_code == 200
    statement = parsed(response.json())
    assert statement.fhirVersion == "4.0.1"


def test_capability_statement_lists_exactly_what_the_tests_exercise(clinic, anon, admin_api):
    clinic.patient.date_of_birth = date(1980, 5, 17)
    clinic.patient.save()
    slot_id = admin_api.get(f"/fhir/Slot?{slot_query(clinic.doctor)}").json()["entry"][1]["resource"]["id"]
    rest = anon.get("/fhir/metadata").json()["rest"][0]
    listed = {(r["type"], p["name"]) for r in rest["resource"] for p in r.get("searchParam", [])}
    interactions = {r["type"]: {i["code"] for i in r["interaction"]} for r in rest["resource"]}
    appointment = next(r for r in rest["resource"] if r["type"] == "Appointment")

    assert [r["type"] for r in rest["resource"]] == list(REGISTRY)
    assert listed == set(samples(clinic, slot_id))
    assert {p["name"] for p in rest["searchParam"]} == {"_count", "_offset", "_format"}
    assert interactions.pop("Appointment") == {"read", "search-type", "create", "update"}
    assert set(map(frozenset, interactions.values())) == {frozenset({"read", "search-type"})}
    assert [o["name"] for o in appointment["operation"]] == ["book"]
    assert appointment["searchInclude"] == ["Appointment:patient"]


@pytest.mark.parametrize("role", ["admin_api", "patient_api"])
def test_each_listed_search_parameter_finds_and_narrows(request, clinic, role):
    """The matching value finds something; a value that matches nothing finds nothing, so the
    parameter is applied, not ignored."""
    api = request.getfixturevalue(role)
    clinic.patient.date_of_birth = date(1980, 5, 17)
    clinic.patient.save()
    slot_id = api.get(f"/fhir/Slot?{slot_query(clinic.doctor)}").json()["entry"][1]["resource"]["id"]

    for (resource_type, name), (matching, non_matching) in samples(clinic, slot_id).items():
        found = api.get(f"/fhir/{resource_type}?{matching}")
        none = api.get(f"/fhir/{resource_type}?{non_matching}")
        assert (found.status_code, none.status_code) == (200, 200), (resource_type, name, none.content)
        assert found.json().get("entry"), (resource_type, name, matching)
        assert (none.json()["total"], none.json().get("entry")) == (0, None), (resource_type, name, non_matching)
    assert api.get(f"/fhir/Slot?{slot_query(clinic.doctor)}&_id={slot_id}").json()["total"] == 1
