"""The lifecycle: every transition allowed and refused, for each role, and rescheduling."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from appointments.models import Appointment, AppointmentEvent, Status
from tests.factories import AppointmentFactory, DoctorFactory, PatientFactory

pytestmark = pytest.mark.django_db

VISIT = datetime(2030, 1, 7, 10, 0, tzinfo=UTC)  # Monday 10:00, clinic zone UTC


def at(hours_from_visit: float):
    return time_machine.travel(VISIT + timedelta(hours=hours_from_visit), tick=False)


@pytest.fixture
def appointment(doctor, patient):
    return AppointmentFactory(doctor=doctor, patient=patient, start=VISIT)


def act(api, appointment, action, body=None):
    return api.post(f"/api/appointments/{appointment.pk}/{action}/", body or {}, format="json")


def status_of(appointment):
    appointment.refresh_from_db()
    return appointment.status


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


# --- Rescheduling --------------------------------------------------------------------------------


def test_a_patient_moves_their_appointment_and_it_needs_confirming_again(patient_api, appointment):
    appointment.status = Status.CONFIRMED
    appointment.save()

    with at(-24):
        response = act(patient_api, appointment, "reschedule", {"start": "2030-01-08T14:00:00Z"})

    assert response.status_code == 200, response.data
    appointment.refresh_from_db()
    assert appointment.start == datetime(2030, 1, 8, 14, 0, tzinfo=UTC)
    assert appointment.end == datetime(2030, 1, 8, 14, 30, tzinfo=UTC)
    assert appointment.status == Status.SCHEDULED
    event = appointment.events.get()
    assert (event.action, event.old_start, event.new_start) == ("rescheduled", VISIT, appointment.start)


def test_an_admin_moves_an_appointment_and_it_stays_confirmed(admin_api, appointment):
    appointment.status = Status.CONFIRMED
    appointment.save()

    with at(-24):
        assert act(admin_api, appointment, "reschedule", {"start": "2030-01-08T14:00:00Z"}).status_code == 200

    assert status_of(appointment) == Status.CONFIRMED


def test_the_doctor_moves_their_own_appointment_until_it_starts(doctor_api, appointment, client_for):
    with at(-24):
        other_doctor = client_for(DoctorFactory(weekly_hours=True).user)
        stranger = act(other_doctor, appointment, "reschedule", {"start": "2030-01-08T14:00:00Z"})
        moved = act(doctor_api, appointment, "reschedule", {"start": "2030-01-08T14:00:00Z"})
    with time_machine.travel(datetime(2030, 1, 8, 14, 5, tzinfo=UTC), tick=False):
        too_late = act(doctor_api, appointment, "reschedule", {"start": "2030-01-09T15:00:00Z"})

    assert stranger.status_code == 404  # not in that doctor's schedule
    assert moved.status_code == 200, moved.data
    assert moved.data["start"] == "2030-01-08T14:00:00Z"
    assert too_late.status_code == 403
    assert too_late.data["detail"] == "A visit that has started can no longer be moved."
    appointment.refresh_from_db()
    assert appointment.start == datetime(2030, 1, 8, 14, 0, tzinfo=UTC)


def test_the_doctor_moves_a_visit_an_hour_before_it_inside_the_patients_cutoff(doctor_api, patient_api, appointment):
    with at(-1):
        patient_refused = act(patient_api, appointment, "reschedule", {"start": "2030-01-08T14:00:00Z"})
        moved = act(doctor_api, appointment, "reschedule", {"start": "2030-01-08T14:00:00Z"})

    assert patient_refused.status_code == 400
    assert moved.status_code == 200, moved.data
    appointment.refresh_from_db()
    assert appointment.start == datetime(2030, 1, 8, 14, 0, tzinfo=UTC)


def test_moving_by_half_a_slot_over_itself_is_fine(client_for, appointment):
    long_doctor = DoctorFactory(weekly_hours=True, slot_minutes=60)
    long_visit = AppointmentFactory(doctor=long_doctor, patient=appointment.patient, start=VISIT + timedelta(days=1))

    with at(-24):
        response = act(
            client_for(appointment.patient.user), long_visit, "reschedule", {"start": "2030-01-08T11:00:00Z"}
        )

    assert response.status_code == 200, response.data


def test_rescheduling_into_a_taken_slot_is_409_and_changes_nothing(patient_api, doctor, appointment):
    AppointmentFactory(doctor=doctor, start=datetime(2030, 1, 8, 14, 0, tzinfo=UTC))

    with at(-24):
        response = act(patient_api, appointment, "reschedule", {"start": "2030-01-08T14:00:00Z"})

    assert response.status_code == 409
    assert response.data["code"] == "doctor_busy"
    appointment.refresh_from_db()
    assert appointment.start == VISIT
    assert not AppointmentEvent.objects.exists()


@pytest.mark.parametrize(
    ("start", "field"),
    [("2030-01-08T14:10:00Z", "start"), ("2030-01-07T10:30:00Z", "start"), ("garbage", "start")],
)
def test_rescheduling_follows_the_booking_rules(doctor_api, appointment, start, field):
    with at(-0.25):  # 09:45: 10:30 today is inside the minimum notice (which binds all but the front desk)
        response = act(doctor_api, appointment, "reschedule", {"start": start})

    assert response.status_code == 400
    assert field in response.data


@pytest.mark.parametrize("status", [Status.CHECKED_IN, Status.COMPLETED, Status.CANCELLED, Status.NO_SHOW])
def test_only_scheduled_or_confirmed_appointments_move(admin_api, doctor, patient, status):
    appointment = AppointmentFactory(doctor=doctor, patient=patient, start=VISIT, status=status)

    with at(-24):
        response = act(admin_api, appointment, "reschedule", {"start": "2030-01-08T14:00:00Z"})

    assert response.status_code == 409
    assert response.data["code"] == "invalid_transition"


def test_a_patient_cannot_move_an_appointment_inside_the_cutoff(patient_api, appointment):
    with at(-1):
        response = act(patient_api, appointment, "reschedule", {"start": "2030-01-08T14:00:00Z"})

    assert response.status_code == 400


# --- Editing and history ---------------------------------------------------------------------------


def test_a_patient_edits_the_reason_but_not_the_notes_or_status(patient_api, appointment):
    refused = patient_api.patch(
        f"/api/appointments/{appointment.pk}/",
        {"reason": "Back pain", "notes": "x", "status": "completed"},
        format="json",
    )
    reason_only = patient_api.patch(f"/api/appointments/{appointment.pk}/", {"reason": "Back pain"}, format="json")

    assert refused.status_code == 400
    assert refused.data == {"notes": ["You may not change notes of an appointment."]}
    assert reason_only.status_code == 200
    appointment.refresh_from_db()
    assert (appointment.reason, appointment.notes, appointment.status) == ("Back pain", "", Status.SCHEDULED)


def test_an_admin_changes_status_through_the_same_rules(admin_api, appointment):
    with at(-24):
        confirmed = admin_api.patch(f"/api/appointments/{appointment.pk}/", {"status": "confirmed"}, format="json")
        skipped = admin_api.patch(f"/api/appointments/{appointment.pk}/", {"status": "completed"}, format="json")
        back = admin_api.patch(f"/api/appointments/{appointment.pk}/", {"status": "scheduled"}, format="json")
        cancelled = admin_api.patch(
            f"/api/appointments/{appointment.pk}/",
            {"status": "cancelled", "cancellation_reason": "Duplicate"},
            format="json",
        )

    assert confirmed.status_code == 200
    assert skipped.status_code == 409
    assert back.status_code == 409
    assert cancelled.status_code == 200
    assert status_of(appointment) == Status.CANCELLED


def test_events_list_the_history_oldest_first(doctor_api, patient_api, appointment):
    with at(-24):
        act(doctor_api, appointment, "confirm")
        act(patient_api, appointment, "reschedule", {"start": "2030-01-08T14:00:00Z"})
        act(doctor_api, appointment, "cancel", {"reason": "Travelling"})
        response = doctor_api.get(f"/api/appointments/{appointment.pk}/events/")

    assert response.status_code == 200
    assert [event["action"] for event in response.data] == ["confirmed", "rescheduled", "cancelled"]
    assert response.data[-1]["note"] == "Travelling"
    assert response.data[0]["actor"]["role"] == "doctor"


def test_appointments_stay_after_every_change(doctor_api, appointment):
    with at(-24):
        act(doctor_api, appointment, "cancel", {"reason": "x"})

    assert Appointment.objects.filter(pk=appointment.pk).exists()
