"""Under /fhir/ every error is an OperationOutcome, with the REST API's status for the same cause."""

import pytest

from tests.fhir.conftest import FHIR_JSON, outcome_code

pytestmark = pytest.mark.django_db


def test_no_token_is_401_operation_outcome(anon):
    response = anon.get("/fhir/Patient")

    assert response.status_code == 401
    assert response["Content-Type"].startswith(FHIR_JSON)
    assert outcome_code(response) == "login"


@pytest.mark.parametrize("url", ["/fhir/", "/fhir/Observation", "/fhir/Patient/1/_history/1", "/fhir/a/b/c"])
def test_unknown_urls_and_types_are_404_operation_outcome(patient_api, url):
    response = patient_api.get(url)

    assert response.status_code == 404
    assert outcome_code(response) in ("not-found", "not-supported")


@pytest.mark.parametrize(
    "query", ["foo=bar", "name:fuzzy=x", "_sort=name", "_count=0", "_count=101", "birthdate=xx2020"]
)
def test_unknown_or_bad_search_parameters_are_400(patient_api, query):
    response = patient_api.get(f"/fhir/Patient?{query}")

    assert response.status_code == 400
    outcome_code(response)


def test_lenient_handling_ignores_unknown_parameters(patient_api, patient):
    response = patient_api.get("/fhir/Patient?foo=bar", HTTP_PREFER="handling=lenient")

    assert response.status_code == 200
    assert "foo" not in response.json()["link"][0]["url"]


def test_xml_is_406(patient_api):
    response = patient_api.get("/fhir/Patient?_format=xml")

    assert response.status_code == 406
    outcome_code(response)


def test_methods_not_offered_are_405(patient_api, patient):
    assert patient_api.delete(f"/fhir/Patient/{patient.pk}").status_code == 405
    response = patient_api.post("/fhir/Patient", {"resourceType": "Patient"}, format="json")
    assert response.status_code == 405
    outcome_code(response)


def test_malformed_json_is_400(patient_api):
    response = patient_api.generic("POST", "/fhir/Appointment", "{nope", content_type=FHIR_JSON)

    assert response.status_code == 400
    outcome_code(response)


@pytest.mark.parametrize("resource_id", ["abc", "99999999", "1" * 40, "1-2-3"])
def test_ids_that_match_nothing_are_404(patient_api, resource_id):
    for resource_type in ("Patient", "Slot", "Appointment"):
        response = patient_api.get(f"/fhir/{resource_type}/{resource_id}")
        assert response.status_code == 404
        outcome_code(response)


def test_schema_does_not_list_fhir(anon):
    schema = anon.get("/api/schema/?format=json")

    assert schema.status_code == 200
    assert not [path for path in schema.json()["paths"] if "fhir" in path]


@pytest.mark.parametrize("authorization", ["Bearer not-a-token", "Bearer a.b.c", "Basic dXNlcjpwYXNz", "Bearer"])
def test_a_bad_token_is_401_operation_outcome(anon, authorization):
    response = anon.get("/fhir/Patient", HTTP_AUTHORIZATION=authorization)

    assert response.status_code == 401
    assert response["Content-Type"].startswith(FHIR_JSON)
    assert outcome_code(response) == "login"
