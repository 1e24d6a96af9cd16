"""Schemathesis against our own OpenAPI schema: every operation, as an admin, a doctor and a
patient, with valid and invalid input. No 5xx, no body that breaks the schema, no status code
the schema does not list. A fixed seed and a bounded number of examples keep it repeatable and
within a minute or two; FUZZ_EXAMPLES=200 runs a deeper search.
"""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import User
from appointments.models import Status
from config.wsgi import application
from tests.factories import (
    AppointmentFactory,
    AssignmentFactory,
    DoctorFactory,
    PatientFactory,
    PrescriptionFactory,
    TreatmentFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    # Called straight through WSGI, Django would close the test's database connection at the end
    # of each request; Django's own test client switches that off the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def people(db, monkeypatch):
    """One of each role with data around them, so ids in paths find something now and then."""
    # A fuzzer is not a password guesser: lift the rate limits for this run only.
    for scope in list(api_settings.DEFAULT_THROTTLE_RATES):
        monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, scope, "1000000/min")
    admin = UserFactory(admin=True, username="fuzz-admin")
    doctor = DoctorFactory(weekly_hours=True, user__username="fuzz-doctor")
    patient = PatientFactory(user__username="fuzz-patient")
    AssignmentFactory(doctor=doctor, patient=patient)
    visit = AppointmentFactory(doctor=doctor, patient=patient, status=Status.COMPLETED)
    TreatmentFactory(appointment=visit)
    PrescriptionFactory(appointment=visit)
    AppointmentFactory(doctor=doctor, patient=patient)
    return {"admin": admin.pk, "doctor": doctor.user_id, "patient": patient.user_id}


def _our_schema() -> dict:
    # Generated when the module is collected, as /api/schema/ serves it (without a request, which
    # would pass the rate limit and so need the database).
    spec = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(spec))


schema = schemathesis.openapi.from_dict(_our_schema())
schema.app = application


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_contract(case, people):
    for role in ("admin", "doctor", "patient"):  # the same input, as each role in turn
        # A fresh token each time: an example may have changed the password (and so revoked it).
        user = User.objects.get(pk=people[role])
        case.call_and_validate(headers={"Authorization": f"Bearer {AccessToken.for_user(user)}"}, checks=CHECKS)
