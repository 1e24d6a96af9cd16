"""Nothing a client sends is dropped in silence: a field an endpoint does not take from this caller
answers 400 naming it. One test walks every request body the OpenAPI schema documents; the
others replay the silent drops integrators met before, through HTTP."""

from datetime import UTC, datetime

import pytest
import time_machine
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIRequestFactory

from accounts.auth_serializers import LoginSerializer, TokenObtainSerializer
from appointments.models import Appointment, Status
from patients.models import Assignment, Patient
from tests.factories import AppointmentFactory, DoctorFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db

UNKNOWN = "zzz_not_a_field"
# The schema shows POST /api/token/ with a plain description of its body; the view validates
# with simplejwt's serializer subclass, which is the one that must refuse.
DESCRIBES = {LoginSerializer: TokenObtainSerializer}


def _request_bodies():
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    components = {component.name: component.object for component in generator.registry._components.values()}
    bodies = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                ref = content["schema"].get("$ref") or content["schema"].get("items", {}).get("$ref")
                serializer = components[ref.rsplit("/", 1)[-1]]
                bodies[f"{method.upper()} {path}"] = (type(serializer), method == "patch")
    return bodies


BODIES = _request_bodies()


def test_the_walk_covers_every_write_endpoint():
    # A guard on the walk itself: if the schema stopped describing bodies, the test below would
    # pass over nothing.
    assert len(BODIES) >= 40
    assert "POST /api/appointments/" in BODIES
    assert "PATCH /api/profile/" in BODIES


@pytest.mark.parametrize("operation", sorted(BODIES))
def test_every_request_body_refuses_a_field_it_does_not_take(operation):
    serializer_class, partial = BODIES[operation]
    serializer_class = DESCRIBES.get(serializer_class, serializer_class)
    request = APIRequestFactory().post("/")
    request.user = UserFactory(admin=True)

    serializer = serializer_class(data={UNKNOWN: "x"}, partial=partial, context={"request": request})

    assert not serializer.is_valid()
    assert UNKNOWN in serializer.errors, serializer.errors
    assert "the fields you may send are" in str(serializer.errors[UNKNOWN][0])


@time_machine.travel(datetime(2030, 1, 7, 6, 0, tzinfo=UTC), tick=False)
@pytest.mark.parametrize("field", ["status", "notes", "start"])
def test_a_patients_patch_of_a_field_they_may_not_change_is_refused_by_name(patient_api, patient, field):
    appointment = AppointmentFactory(patient=patient)
    value = {"status": Status.CONFIRMED, "notes": "mine", "start": "2030-02-01T09:00:00Z"}[field]

    response = patient_api.patch(f"/api/appointments/{appointment.pk}/", {field: value}, format="json")

    assert response.status_code in (400, 403)
    assert field in response.data or field in str(response.data.get("detail", ""))
    fresh = Appointment.objects.get(pk=appointment.pk)
    assert (fresh.status, fresh.notes, fresh.start) == (appointment.status, appointment.notes, appointment.start)


def test_registering_a_patient_with_a_top_level_phone_is_refused_not_emptied(admin_api):
    body = {
        "user": {"username": "walkin", "first_name": "Wal", "last_name": "Kin"},
        "phone": "+44 20 7946 0001",
    }

    response = admin_api.post("/api/patients/", body, format="json")

    assert response.status_code == 400
    assert list(response.data) == ["phone"]
    assert not Patient.objects.filter(user__username="walkin").exists()
    body["user"]["phone"] = body.pop("phone")
    created = admin_api.post("/api/patients/", body, format="json")
    assert created.status_code == 201
    assert created.data["phone"] == "+44 20 7946 0001"


def test_an_assignment_with_reason_instead_of_reason_for_assignment_is_refused(admin_api):
    doctor, patient = DoctorFactory(), PatientFactory()

    response = admin_api.post(
        "/api/assignments/", {"doctor": doctor.pk, "patient": patient.pk, "reason": "Diabetes care"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.data) == ["reason"]
    assert "reason_for_assignment" in response.data["reason"][0]
    assert not Assignment.objects.exists()


def test_a_login_with_an_unknown_field_is_refused_by_name(anon, patient_account):
    response = anon.post(
        "/api/token/", {"username": patient_account.username, "password": "x", "remember_me": True}, format="json"
    )

    assert response.status_code == 400
    assert list(response.data) == ["remember_me"]


@pytest.mark.parametrize(
    ("path", "body", "field", "message"),
    [
        (
            "/api/appointments/",
            {"doctor": 999999, "start": "2030-01-07T09:00:00Z"},
            "doctor",
            "No doctor with id 999999 that you can book with.",
        ),
        (
            "/api/assignments/",
            {"doctor": 999999, "patient": 999999},
            "doctor",
            "No doctor with id 999999 who is active.",
        ),
    ],
)
def test_an_unknown_id_is_told_in_a_plain_sentence(admin_api, path, body, field, message):
    response = admin_api.post(path, body, format="json")

    assert response.status_code == 400
    assert response.data[field] == [message]


@pytest.mark.parametrize("debug", [True, False])
def test_an_unknown_url_under_api_answers_json_404_with_debug_on_or_off(anon, settings, debug):
    settings.DEBUG = debug

    response = anon.get("/api/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_missing_trailing_slash_under_api_still_redirects(anon, settings):
    settings.DEBUG = True

    response = anon.get("/api/health")

    assert response.status_code == 301
    assert response["Location"].endswith("/api/health/")


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("/api/appointments/", {"doctr": "5"}, "doctr"),
        ("/api/doctors/", {"specialisation": "cardiology"}, "specialisation"),
        ("/api/users/", {"": "true"}, "(a parameter without a name)"),
        ("/api/reports/summary/", {"from": "2026-01-01"}, "from"),
    ],
)
def test_a_query_parameter_a_list_does_not_know_is_refused_by_name(admin_api, path, params, name):
    # A typo in a filter's name would otherwise answer every row, as if the filter had been applied.
    response = admin_api.get(path, params)

    assert response.status_code == 400
    assert list(response.data) == [name]


def test_the_parameters_a_list_knows_still_work_together(admin_api, doctor):
    params = {"doctor": doctor.pk, "status": "scheduled", "search": "x", "ordering": "start", "page": 1}

    assert admin_api.get("/api/appointments/", params | {"page_size": 5, "format": "json"}).status_code == 200
