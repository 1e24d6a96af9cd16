"""Rescheduling under the booking rules, and editing an appointment with its history."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from appointments.models import Appointment, AppointmentEvent, Status
from tests.appointments.lifecycle_support import VISIT, act, at, status_of
from tests.factories import AppointmentFactory, DoctorFactory

pytestmark = pytest.mark.django_db


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
