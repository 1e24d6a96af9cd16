"""The lifecycle: every transition allowed and refused, for each role, and rescheduling."""

from datetime import timedelta

import pytest

from appointments.models import Status
from tests.appointments.lifecycle_support import VISIT, act, at, status_of
from tests.factories import AppointmentFactory, DoctorFactory, PatientFactory

pytestmark = pytest.mark.django_db


# --- Allowed moves ----------------------------------------------------------------------------------


def test_the_whole_visit_from_booking_to_completion(doctor_api, appointment):
    with at(-24):
        confirmed = act(doctor_api, appointment, "confirm")
    with at(-0.25):
        checked_in = act(doctor_api, appointment, "check-in")
    with at(0.5):
        completed = act(doctor_api, appointment, "complete")

    assert [r.status_code for r in (confirmed, checked_in, completed)] == [200, 200, 200]
    assert completed.data["status"] == "completed"
    events = list(appointment.events.values_list("action", "from_status", "to_status", "actor"))
    assert events == [
        ("confirmed", "scheduled", "confirmed", appointment.doctor.user_id),
        ("checked_in", "confirmed", "checked_in", appointment.doctor.user_id),
        ("completed", "checked_in", "completed", appointment.doctor.user_id),
    ]


def test_an_admin_runs_any_doctors_visit(admin_api, appointment):
    with at(-1):
        assert act(admin_api, appointment, "confirm").status_code == 200
        assert act(admin_api, appointment, "check-in").status_code == 200


def test_no_show_after_the_start(doctor_api, appointment):
    with at(0.5):
        response = act(doctor_api, appointment, "no-show")

    assert response.status_code == 200
    assert status_of(appointment) == Status.NO_SHOW


def test_no_show_before_the_start_is_refused(doctor_api, appointment):
    with at(-0.1):
        response = act(doctor_api, appointment, "no-show")

    assert response.status_code == 400
    assert "after it has started" in response.data["non_field_errors"][0]
    assert status_of(appointment) == Status.SCHEDULED


@pytest.mark.parametrize(("hours", "expected"), [(-10, 200), (-24, 400), (13, 200), (15, 400)])
def test_check_in_only_on_the_day(doctor_api, appointment, hours, expected):
    appointment.status = Status.CONFIRMED
    appointment.save()

    with at(hours):
        response = act(doctor_api, appointment, "check-in")

    assert response.status_code == expected


# --- Illegal moves: 409 invalid_transition ----------------------------------------------------


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.CONFIRMED, "confirm"),
        (Status.CHECKED_IN, "confirm"),
        (Status.SCHEDULED, "check-in"),
        (Status.CHECKED_IN, "check-in"),
        (Status.SCHEDULED, "complete"),
        (Status.CONFIRMED, "complete"),
        (Status.COMPLETED, "complete"),
        (Status.COMPLETED, "cancel"),
        (Status.CHECKED_IN, "cancel"),
        (Status.CANCELLED, "cancel"),
        (Status.NO_SHOW, "cancel"),
        (Status.CHECKED_IN, "no-show"),
        (Status.COMPLETED, "no-show"),
        (Status.CANCELLED, "confirm"),
    ],
)
def test_illegal_transitions_are_409(doctor_api, doctor, patient, status, action):
    appointment = AppointmentFactory(doctor=doctor, patient=patient, start=VISIT, status=status)

    with at(1):
        response = act(doctor_api, appointment, action, {"reason": "Because"} if action == "cancel" else {})

    assert response.status_code == 409
    assert response.data["code"] == "invalid_transition"
    assert status_of(appointment) == status


# --- Who may do what ----------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["confirm", "check-in", "complete", "no-show"])
def test_a_patient_cannot_run_the_visit(patient_api, appointment, action):
    with at(1):
        response = act(patient_api, appointment, action)

    assert response.status_code == 403
    assert status_of(appointment) == Status.SCHEDULED


@pytest.mark.parametrize("action", ["confirm", "check-in", "complete", "no-show", "cancel", "reschedule", "events"])
def test_another_doctor_or_patient_gets_404(client_for, appointment, action):
    for stranger in (DoctorFactory().user, PatientFactory().user):
        api = client_for(stranger)
        with at(-24):
            response = (
                api.get(f"/api/appointments/{appointment.pk}/events/")
                if action == "events"
                else act(api, appointment, action, {"reason": "x", "start": "2030-01-07T11:00:00Z"})
            )
        assert response.status_code == 404, (stranger.role, action)
    assert status_of(appointment) == Status.SCHEDULED


# --- Cancelling ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("hours", "expected"), [(-2, 200), (-1.99, 400)])
def test_a_patient_cancels_up_to_the_cutoff(patient_api, patient, appointment, hours, expected):
    with at(hours):
        response = act(patient_api, appointment, "cancel", {"reason": "Feeling better"})

    assert response.status_code == expected
    appointment.refresh_from_db()
    if expected == 200:
        assert appointment.status == Status.CANCELLED
        assert appointment.cancelled_by == patient.user
        assert appointment.cancellation_reason == "Feeling better"
        assert appointment.cancelled_at == VISIT + timedelta(hours=hours)
    else:
        assert "call the clinic" in response.data["non_field_errors"][0]
        assert appointment.status == Status.SCHEDULED


def test_the_doctor_cancels_after_the_patients_cutoff(doctor_api, appointment):
    with at(-0.5):
        response = act(doctor_api, appointment, "cancel", {"reason": "Doctor unwell"})

    assert response.status_code == 200
    assert response.data["cancelled_by"] == appointment.doctor.user_id


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501}])
def test_cancelling_needs_a_reason(doctor_api, appointment, body):
    with at(-24):
        response = act(doctor_api, appointment, "cancel", body)

    assert response.status_code == 400
    assert status_of(appointment) == Status.SCHEDULED
