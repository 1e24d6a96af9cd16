"""What responses let others keep: Cache-Control on patient data and tokens, the
Content-Security-Policy, and what the Silk profiler may store."""

import pytest
from rest_framework.test import APIClient

from tests.factories import (
    PASSWORD,
    AppointmentFactory,
    PatientFactory,
    PrescriptionFactory,
    SpecializationFactory,
    TreatmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# --- Cache-Control: no-store --------------------------------------------------------------------------


def test_every_response_with_patient_data_or_tokens_says_no_store(admin_api, patient_api, patient):
    UserFactory(username="dora")
    appointment = AppointmentFactory(patient=patient)
    prescription = PrescriptionFactory(appointment=AppointmentFactory(patient=patient, status="completed"))
    responses = {
        "token": APIClient().post("/api/token/", {"username": "dora", "password": PASSWORD}, format="json"),
        "list": admin_api.get("/api/patients/"),
        "detail": admin_api.get(f"/api/patients/{patient.pk}/"),
        "history": admin_api.get(f"/api/patients/{patient.pk}/history/"),
        "profile": patient_api.get("/api/profile/"),
        "ics": patient_api.get(f"/api/appointments/{appointment.pk}/ics/"),
        "pdf": patient_api.get(f"/api/prescriptions/{prescription.pk}/pdf/"),
        "csv": admin_api.get("/api/reports/summary/", HTTP_ACCEPT="text/csv"),
        "error": admin_api.get("/api/patients/999999/"),
    }

    statuses = {name: response.status_code for name, response in responses.items()}
    assert statuses == {**dict.fromkeys(responses, 200), "error": 404}
    assert {name: response["Cache-Control"] for name, response in responses.items()} == dict.fromkeys(
        responses, "no-store"
    )


# --- Content-Security-Policy ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/health/", "/admin/login/", "/api/docs/", "/api/redoc/", "/account/verify-email/"]
)
def test_every_page_carries_a_content_security_policy_without_inline_scripts(anon, path):
    policy = anon.get(path)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))

    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_swagger_ui_loads_its_start_up_script_as_a_file(anon):
    page = anon.get("/api/docs/").content.decode()

    assert "<script>" not in page
    script = anon.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


# --- Silk ---------------------------------------------------------------------------------------------------


@pytest.fixture
def silk(settings):
    from django.db.models.sql.compiler import SQLCompiler
    from silk.collector import DataCollector
    from silk.models import Request

    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "silk.middleware.SilkyMiddleware"]
    settings.ROOT_URLCONF = "tests.urls_with_silk"
    yield Request
    # Silk wraps every query of the process from its first request on, and remembers the last
    # request: undo both, or later tests count its queries as theirs.
    if hasattr(SQLCompiler, "_execute_sql"):
        SQLCompiler.execute_sql = SQLCompiler._execute_sql
        del SQLCompiler._execute_sql
    DataCollector().clear()


def test_silk_never_records_the_auth_endpoints(silk, anon, client_for):
    UserFactory(username="dora")
    anon.post("/api/token/", {"username": "dora", "password": PASSWORD}, format="json")
    anon.post("/api/auth/password/reset/", {"email": "dora@example.com"}, format="json")
    client_for(UserFactory(doctor=True)).post("/api/auth/mfa/totp/")
    anon.get("/api/doctors/1/calendar.ics", {"token": "a-feed-secret"})

    assert silk.objects.count() == 0


def test_silk_stores_no_response_body_and_masks_secrets_in_request_bodies(silk, admin_api):
    doctor = admin_api.post(
        "/api/doctors/",
        {
            "user": {"username": "dr.new", "email": "dr.new@example.com", "password": "a-long-unusual-phrase"},
            "specialization": SpecializationFactory().pk,
            "licence_number": "LIC-SECRET-1",
        },
        format="json",
    )
    admin_api.get(f"/api/doctors/{doctor.json().get('id', 0)}/")

    stored = list(silk.objects.all())
    assert len(stored) == 2
    for request in stored:
        assert request.response.body == ""
        assert request.response.raw_body in ("", None)
        for text in (request.body, request.raw_body or "", request.encoded_headers):
            assert "a-long-unusual-phrase" not in text
            assert "Bearer" not in text


def test_silk_records_nothing_of_patient_data(silk, admin_api, client_for):
    from silk.models import SQLQuery

    patient = PatientFactory(national_id="AB-123456")
    visit = AppointmentFactory(patient=patient, status="completed")
    TreatmentFactory(appointment=visit)
    PrescriptionFactory(appointment=visit)

    for path in ("", f"{patient.pk}/", f"{patient.pk}/history/", "?search=AB-123456"):
        admin_api.get(f"/api/patients/{path}")
    admin_api.patch(f"/api/patients/{patient.pk}/", {"national_id": "XY-999999"}, format="json")
    admin_api.get("/api/treatments/")
    admin_api.get("/api/prescriptions/")
    admin_api.get(f"/api/reports/patients/{patient.pk}/")
    client_for(patient.user).get("/api/profile/")

    assert silk.objects.count() == 0
    for query in SQLQuery.objects.all():
        assert "AB-123456" not in query.query and "XY-999999" not in query.query
