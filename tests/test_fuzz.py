"""Schemathesis against our own OpenAPI schema with every check it has: every operation as an
admin, a receptionist, a doctor and a patient, with valid and invalid input (no 5xx, no body or
header that breaks the schema, no status code it does not list, invalid input refused, valid input
accepted where the schema can say what valid is, no request with bad credentials let through);
then chains of calls linked through the ids they return (the stateful phase). A fixed seed and a
bounded number of examples keep it repeatable and within a few minutes; FUZZ_EXAMPLES=200 runs a
deeper search.
"""

import json
import os

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.settings import api_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.models import User
from accounts.services import tokens_for_user
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

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz, pytest.mark.usefixtures("wsgi_keeps_the_test_connection")]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
# Every check schemathesis has runs on every operation, except where a documented design says
# otherwise; each exception names the operations and the reason.
#
# positive_data_acceptance ("a request the schema allows is accepted") is off for:
# - every write: each is checked against the data and the clock, not only its shape: a name or
#   username must not be taken, a password must pass the validators, an id must be a record the
#   caller may use, a visit must be in the right state, a start must be a free slot in the future,
#   a link or token must be one this server signed. The schema states these rules in words; a
#   JSON schema cannot state them as constraints, and a random body breaks one of them.
# - reads over a range of days: date_to must not be before date_from, and a range has a maximum
#   length; OpenAPI cannot relate two parameters.
WRITES = {"post", "put", "patch", "delete"}


def excluded_checks(case) -> list:
    parameters = {parameter.name for parameter in case.operation.query}
    if case.method.lower() in WRITES or {"date_from", "date_to"} <= parameters:
        return [positive_data_acceptance]
    return []


ROLES = ("admin", "receptionist", "doctor", "patient")


@pytest.fixture
def people(db, monkeypatch):
    """One of each role with data around them, so ids in paths find something now and then."""
    # A fuzzer is not a password guesser: lift the rate limits for this run only.
    for scope in list(api_settings.DEFAULT_THROTTLE_RATES):
        monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, scope, "1000000/min")
    admin = UserFactory(admin=True, username="fuzz-admin")
    receptionist = UserFactory(receptionist=True, username="fuzz-desk")
    doctor = DoctorFactory(weekly_hours=True, user__username="fuzz-doctor")
    patient = PatientFactory(user__username="fuzz-patient")
    AssignmentFactory(doctor=doctor, patient=patient)
    visit = AppointmentFactory(doctor=doctor, patient=patient, status=Status.COMPLETED)
    TreatmentFactory(appointment=visit)
    PrescriptionFactory(appointment=visit)
    AppointmentFactory(doctor=doctor, patient=patient)
    return {"admin": admin.pk, "receptionist": receptionist.pk, "doctor": doctor.user_id, "patient": patient.user_id}


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
    excluded = excluded_checks(case)
    for role in ROLES:  # the same input, as each role in turn
        # A fresh token each time: an example may have changed the password (and so revoked it).
        access = tokens_for_user(user=User.objects.get(pk=people[role]))["access"]
        case.call_and_validate(headers={"Authorization": f"Bearer {access}"}, excluded_checks=excluded)


# --- The stateful phase: calls chained through the links schemathesis infers from the schema -----
# (POST /api/appointments/ -> GET/PATCH/cancel/... /api/appointments/{id}/, and so on), with every
# check, as an admin and as a doctor, on the throwaway accounts of `people` (chains change passwords,
# deactivate users and cancel visits: all rolled back with the test's transaction).


class Workflow(schema.as_state_machine()):
    user_id = 0
    answered: list[tuple[str, int]] = []

    def get_call_kwargs(self, case):
        # A new session for each call: a step may have logged out or changed the password.
        access = tokens_for_user(user=User.objects.get(pk=self.user_id))["access"]
        return {"headers": {"Authorization": f"Bearer {access}"}}

    def after_call(self, response, case):
        super().after_call(response, case)
        self.answered.append((f"{case.method} {case.path}", response.status_code))

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        case.validate_response(
            response,
            additional_checks=additional_checks,
            excluded_checks=excluded_checks(case),
            headers=kwargs.get("headers"),
            transport_kwargs=kwargs or None,
            recorder=self.recorder,
        )


@pytest.mark.parametrize("role", ["admin", "doctor"])
def test_chains_of_calls_keep_the_contract(people, role):
    Workflow.user_id = people[role]
    Workflow.answered = []

    Workflow.run(
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=6,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )

    assert Workflow.answered
    if role == "admin":  # who may do most, so the chains reach records made earlier in them
        linked = [(operation, status) for operation, status in Workflow.answered if "{" in operation]
        assert any(200 <= status < 300 for _operation, status in linked), Workflow.answered
