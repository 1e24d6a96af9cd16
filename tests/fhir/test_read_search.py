"""Read and search: every resource parses as its fhir.resources R4B model, for every role, and
each role finds exactly what the REST API lets it see."""

import pytest

from appointments.models import Appointment
from tests.fhir.conftest import FHIR_JSON, outcome_code, parsed, slot_query

pytestmark = pytest.mark.django_db

ROLES = ["patient_api", "doctor_api", "receptionist_api", "admin_api"]
CLINICAL = ["Encounter", "Condition", "Procedure", "MedicationRequest"]
TYPES = ["Patient", "Practitioner", "PractitionerRole", "Schedule", "Slot", "Appointment", *CLINICAL]


def search(api, resource_type: str, query: str = ""):
    response = api.get(f"/fhir/{resource_type}?{query}")
    return response


def search_query(clinic, resource_type: str) -> str:
    if resource_type == "Slot":
        return slot_query(clinic.doctor)
    return "_count=100&_include=Appointment:patient" if resource_type == "Appointment" else "_count=100"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource_type", TYPES)
def test_every_resource_of_every_search_and_read_parses_for_every_role(request, clinic, role, resource_type):
    api = request.getfixturevalue(role)
    response = search(api, resource_type, search_query(clinic, resource_type))

    if role == "receptionist_api" and resource_type in CLINICAL:
        assert response.status_code == 403
        assert outcome_code(response) == "forbidden"
        return
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith(FHIR_JSON)
    body = response.json()
    bundle = parsed(body)
    assert bundle.type == "searchset"
    assert body["entry"], f"{role} found no {resource_type}"
    for entry in body["entry"]:
        parsed(entry["resource"])  # each entry on its own, `_include`d Patients too
        if entry["search"]["mode"] == "include":
            assert (resource_type, entry["resource"]["resourceType"]) == ("Appointment", "Patient")
            continue
        assert entry["resource"]["resourceType"] == resource_type
        read = api.get(f"/fhir/{resource_type}/{entry['resource']['id']}")
        assert read.status_code == 200, read.content
        assert read.json() == entry["resource"]
        assert read["ETag"] == f'W/"{entry["resource"]["meta"]["versionId"]}"'
        parsed(read.json())


def patients_found(api, resource_type: str) -> set[str]:
    response = search(api, resource_type, "_count=100")
    assert response.status_code == 200, response.content
    found = set()
    for entry in response.json().get("entry", []):
        resource = entry["resource"]
        if resource_type == "Patient":
            found.add(f"Patient/{resource['id']}")
        elif resource_type == "Appointment":
            found |= {p["actor"]["reference"] for p in resource["participant"] if "Patient/" in p["actor"]["reference"]}
        else:
            found.add(resource["subject"]["reference"])
    return found


@pytest.mark.parametrize("resource_type", ["Patient", "Appointment", *CLINICAL])
def test_role_matrix_patient_own_doctor_theirs_admin_all(clinic, patient_api, doctor_api, admin_api, resource_type):
    own, other = f"Patient/{clinic.patient.pk}", f"Patient/{clinic.other_patient.pk}"

    assert patients_found(patient_api, resource_type) == {own}
    assert patients_found(doctor_api, resource_type) == {own}
    assert patients_found(admin_api, resource_type) == {own, other}


@pytest.mark.parametrize("resource_type", CLINICAL)
def test_receptionist_sees_no_clinical_resource(clinic, receptionist_api, resource_type):
    listed = receptionist_api.get(f"/fhir/{resource_type}")
    read = receptionist_api.get(f"/fhir/{resource_type}/{clinic.visit.pk}")

    assert listed.status_code == 403
    assert read.status_code == 404
    assert outcome_code(read) == "not-found"


def test_receptionist_reads_demographics_and_appointments(clinic, receptionist_api):
    patients = patients_found(receptionist_api, "Patient")

    assert patients == {f"Patient/{clinic.patient.pk}", f"Patient/{clinic.other_patient.pk}"}
    assert patients_found(receptionist_api, "Appointment") == patients


@pytest.mark.parametrize("api_name", ["patient_api", "doctor_api"])
def test_out_of_scope_resources_answer_404(request, clinic, api_name):
    api = request.getfixturevalue(api_name)

    for url in (
        f"/fhir/Patient/{clinic.other_patient.pk}",
        f"/fhir/Appointment/{clinic.other_visit.pk}",
        f"/fhir/Encounter/{clinic.other_visit.pk}",
        f"/fhir/Condition/{clinic.other_treatment.pk}",
        f"/fhir/Procedure/{clinic.other_treatment.pk}",
        f"/fhir/MedicationRequest/{clinic.other_prescription.items.get().pk}",
    ):
        response = api.get(url)
        assert response.status_code == 404, url
        assert outcome_code(response) == "not-found"


def test_national_id_shown_to_staff_only(clinic, admin_api, doctor_api):
    clinic.patient.national_id = "NAT-1"
    clinic.patient.save()
    url = f"/fhir/Patient/{clinic.patient.pk}"

    staff_view = {i["value"] for i in admin_api.get(url).json()["identifier"]}
    doctor_view = {i["value"] for i in doctor_api.get(url).json()["identifier"]}

    assert "NAT-1" in staff_view
    assert "NAT-1" not in doctor_view


def test_appointment_search_by_patient_date_status_and_include(clinic, admin_api):
    query = (
        f"patient=Patient/{clinic.patient.pk}&date=ge2030-01-01&date=lt2032-01-01&status=fulfilled"
        "&_include=Appointment:patient"
    )
    body = admin_api.get(f"/fhir/Appointment?{query}").json()

    matches = [e for e in body["entry"] if e["search"]["mode"] == "match"]
    included = [e for e in body["entry"] if e["search"]["mode"] == "include"]
    assert [e["resource"]["id"] for e in matches] == [str(clinic.visit.pk)]
    assert [e["resource"]["id"] for e in included] == [str(clinic.patient.pk)]
    assert body["total"] == 1
    assert matches[0]["resource"]["status"] == "fulfilled"


def test_paging_links_lead_through_every_match(clinic, admin_api):
    first = admin_api.get("/fhir/Appointment?_count=1").json()
    links = {link["relation"]: link["url"] for link in first["link"]}
    second = admin_api.get(links["next"].replace("http://testserver", "")).json()

    assert first["total"] == Appointment.objects.count()
    assert first["entry"][0]["resource"]["id"] != second["entry"][0]["resource"]["id"]


def test_patient_search_parameters(clinic, admin_api):
    user = clinic.patient.user
    for query in (
        f"family={user.last_name}",
        f"given={user.first_name}",
        f"name:contains={user.last_name[1:]}",
        f"identifier={clinic.patient.pk}",
        "identifier=NAT-2",
        "gender=unknown",
    ):
        body = admin_api.get(f"/fhir/Patient?{query}").json()
        assert body["entry"], query
        assert all(parsed(e["resource"]) for e in body["entry"])


def test_treatment_without_procedure_is_a_condition_only(clinic, admin_api):
    clinic.treatment.procedure = ""
    clinic.treatment.save()

    assert admin_api.get(f"/fhir/Condition/{clinic.treatment.pk}").status_code == 200
    assert admin_api.get(f"/fhir/Procedure/{clinic.treatment.pk}").status_code == 404
