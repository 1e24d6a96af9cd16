"""Every read answers what the OpenAPI schema says it answers, on real records (the fuzzer's random
ids mostly find nothing): each GET operation is called with the ids of records that exist, as an
admin, and its response validated against the schema."""

import json
from datetime import UTC, datetime

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from accounts.models import AuditEvent
from accounts.services import tokens_for_user
from appointments.models import AppointmentEvent, Status
from config.wsgi import application
from doctors.models import ClinicClosure, ScheduleOverride
from tests.factories import (
    AppointmentFactory,
    AssignmentFactory,
    DoctorFactory,
    PatientFactory,
    PrescriptionFactory,
    TimeOffFactory,
    TreatmentFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wsgi_keeps_the_test_connection")]

schema = schemathesis.openapi.from_dict(
    json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
)
schema.app = application
READS = sorted(
    operation.path
    for operation in (result.ok() for result in schema.get_all_operations())
    if operation.method.upper() == "GET"
)


@pytest.fixture
def ids():
    """A record behind every id a read takes, with the states that shape responses: a booked visit
    (its first event has no previous status), a completed one with a treatment and a prescription."""
    admin = UserFactory(admin=True)
    doctor = DoctorFactory(weekly_hours=True)
    patient = PatientFactory()
    assignment = AssignmentFactory(doctor=doctor, patient=patient)
    booked = AppointmentFactory(doctor=doctor, patient=patient)
    visit = AppointmentFactory(doctor=doctor, patient=patient, status=Status.COMPLETED)
    treatment = TreatmentFactory(appointment=visit)
    prescription = PrescriptionFactory(appointment=visit)
    time_off = TimeOffFactory(
        doctor=doctor, start=datetime(2031, 2, 3, 9, tzinfo=UTC), end=datetime(2031, 2, 3, 12, tzinfo=UTC)
    )
    override = ScheduleOverride.objects.create(doctor=doctor, date="2031-01-04", closed=True)
    closure = ClinicClosure.objects.create(name="Holiday", start_date="2031-01-01", end_date="2031-01-01")
    AppointmentEvent.objects.create(appointment=booked, action="booked", to_status=Status.SCHEDULED)
    event = AuditEvent.objects.create(actor=admin, action="read", object_type="patient", object_id=str(patient.pk))
    return {
        "admin": admin,
        "values": {
            "/api/appointments/{id}/": booked.pk,
            "/api/appointments/{id}/events/": booked.pk,
            "/api/appointments/{id}/ics/": booked.pk,
            "/api/assignments/{id}/": assignment.pk,
            "/api/audit-events/{id}/": event.pk,
            "/api/closures/{id}/": closure.pk,
            "/api/doctors/{id}/": doctor.pk,
            "/api/doctors/{id}/slots/": doctor.pk,
            "/api/doctors/{id}/visit-types/": doctor.pk,
            "/api/doctors/{id}/working-hours/": doctor.pk,
            "/api/doctors/{doctor_pk}/time-off/": doctor.pk,
            "/api/doctors/{doctor_pk}/schedule-overrides/": doctor.pk,
            "/api/patients/{id}/": patient.pk,
            "/api/patients/{id}/history/": patient.pk,
            "/api/prescriptions/{id}/": prescription.pk,
            "/api/prescriptions/{id}/pdf/": prescription.pk,
            "/api/reports/patients/{id}/": patient.pk,
            "/api/treatments/{id}/": treatment.pk,
            "/api/treatments/{id}/revisions/": treatment.pk,
            "/api/users/{id}/": admin.pk,
            "/api/specializations/{id}/": doctor.specialization_id,
            "/api/visit-types/{id}/": doctor.offered_visit_types.first().visit_type_id,
        },
        "nested": {
            "/api/doctors/{doctor_pk}/time-off/{id}/": {"doctor_pk": doctor.pk, "id": time_off.pk},
            "/api/doctors/{doctor_pk}/schedule-overrides/{id}/": {"doctor_pk": doctor.pk, "id": override.pk},
        },
    }


@pytest.mark.parametrize("path", READS)
def test_every_read_of_a_real_record_answers_as_the_schema_says(ids, path):
    if path == "/api/doctors/{id}/calendar.ics":
        pytest.skip("its key is a secret token in the URL, tested in tests/notifications/test_calendars.py")
    operation = schema[path]["GET"]
    parameters = ids["nested"].get(path) or {
        name: ids["values"][path] for name in ("id", "doctor_pk") if "{" + name + "}" in path
    }
    case = operation.Case(path_parameters=parameters)
    access = tokens_for_user(user=ids["admin"])["access"]

    response = case.call(headers={"Authorization": f"Bearer {access}"})

    assert response.status_code == 200, (path, response.text[:300])
    case.validate_response(response, checks=[status_code_conformance, response_schema_conformance])


@pytest.mark.parametrize("path", ["/api/doctors/", "/api/appointments/", "/api/patients/"])
def test_a_null_character_in_search_is_a_400_on_the_search_field(admin_api, path):
    response = admin_api.get(path, {"search": "a\x00b"})

    assert response.status_code == 400
    assert response.data == {"search": ["Null characters are not allowed."]}


def test_every_operation_with_query_parameters_documents_the_414_of_a_long_url():
    spec = SchemaGenerator().get_schema(request=None, public=True)
    missing = [
        (method, path)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if any(parameter["in"] == "query" for parameter in operation.get("parameters", []))
        and "414" not in operation["responses"]
    ]

    assert missing == []
