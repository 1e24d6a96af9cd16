"""Changes that take booked time away (time off, a date's override, a clinic closure): refused with
the ids of the visits in the way, or, with on_conflict=cancel, those visits cancelled in the same
transaction with their patients told; never a visit silently orphaned."""

from datetime import UTC, date, datetime

import pytest
from django.core import mail

from appointments.models import Appointment, AppointmentEvent, Status
from appointments.services import lifecycle
from doctors.models import ScheduleOverride, TimeOff
from tests.appointments.absences_support import at, statuses, time_off
from tests.factories import AppointmentFactory, DoctorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("the_week_before")]


def test_time_off_over_booked_visits_is_refused_with_their_ids(doctor_api, doctor, week):
    # 11:00-12:00 touches the procedure's clear-up time (until 11:15) and nothing else.
    response = time_off(doctor_api, doctor, at(11), at(12))

    assert response.status_code == 409
    assert response.data["code"] == "appointments_in_time_off"
    assert response.data["appointments"] == [week["ten"].pk]
    assert str(week["ten"].pk) in response.data["detail"]
    assert not TimeOff.objects.exists()


def test_time_off_with_cancel_cancels_exactly_the_visits_in_it_and_tells_each_patient(
    admin_api, admin_account, doctor, week, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = time_off(
            admin_api, doctor, at(8), at(12, 30), on_conflict="cancel", patient_message="Dr is ill today; sorry."
        )

    assert response.status_code == 201, response.data
    assert sorted(response.data["cancelled_appointments"]) == sorted([week["nine"].pk, week["ten"].pk])
    assert response.data["reason"] == "Surgery of my own"
    assert statuses(week) == {
        "nine": Status.CANCELLED,
        "ten": Status.CANCELLED,
        "one": Status.SCHEDULED,
        "cancelled": Status.CANCELLED,
        "tuesday": Status.SCHEDULED,
    }
    for name in ("nine", "ten"):
        visit = Appointment.objects.get(pk=week[name].pk)
        assert (visit.cancelled_by, visit.cancellation_reason) == (admin_account, "Dr is ill today; sorry.")
        event = visit.events.get()
        assert (event.action, event.actor, event.note) == ("cancelled", admin_account, "Dr is ill today; sorry.")
    to_patients = [
        m for m in mail.outbox if m.to[0] in {week["nine"].patient.user.email, week["ten"].patient.user.email}
    ]
    assert len(to_patients) == 2
    for message in to_patients:
        assert "Dr is ill today; sorry." in message.body
        assert f"/api/doctors/{doctor.pk}/slots/" in message.body
        assert "Surgery of my own" not in message.body  # the time off's own reason stays private


def test_the_default_message_patients_read(doctor_api, doctor, week):
    time_off(doctor_api, doctor, at(9), at(9, 30), on_conflict="cancel")

    visit = Appointment.objects.get(pk=week["nine"].pk)
    assert visit.cancellation_reason == "Your doctor is unavailable at this time"


def test_a_failure_midway_leaves_nothing_changed(
    doctor_api, doctor, week, monkeypatch, django_capture_on_commit_callbacks
):
    real = lifecycle.appointment_transition
    calls = []

    def fail_on_the_second(**kwargs):
        calls.append(kwargs["appointment"].pk)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr("appointments.services.absences.appointment_transition", fail_on_the_second)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        time_off(doctor_api, doctor, at(8), at(12, 30), on_conflict="cancel")

    assert len(calls) == 2
    assert not TimeOff.objects.exists()
    assert statuses(week)["nine"] == Status.SCHEDULED and statuses(week)["ten"] == Status.SCHEDULED
    assert not AppointmentEvent.objects.exists()
    assert mail.outbox == []


def test_a_checked_in_visit_refuses_the_change_even_with_cancel(doctor_api, doctor, week):
    Appointment.objects.filter(pk=week["nine"].pk).update(status=Status.CHECKED_IN)

    response = time_off(doctor_api, doctor, at(8), at(12, 30), on_conflict="cancel")

    assert response.status_code == 409
    assert "checked in" in response.data["detail"]
    assert statuses(week)["ten"] == Status.SCHEDULED
    assert not TimeOff.objects.exists()


def test_an_unknown_on_conflict_is_400(doctor_api, doctor):
    response = time_off(doctor_api, doctor, at(8), at(9), on_conflict="maybe")

    assert response.status_code == 400
    assert "on_conflict" in response.data


# --- Date overrides ----------------------------------------------------------------------------------


def overrides(doctor):
    return f"/api/doctors/{doctor.pk}/schedule-overrides/"


def test_closing_a_booked_day_is_refused_then_cancels_its_visits(doctor_api, doctor, week):
    refused = doctor_api.post(overrides(doctor), {"date": "2030-01-07", "closed": True}, format="json")
    closed = doctor_api.post(
        overrides(doctor), {"date": "2030-01-07", "closed": True, "on_conflict": "cancel"}, format="json"
    )

    assert refused.status_code == 409
    assert sorted(refused.data["appointments"]) == sorted([week["nine"].pk, week["ten"].pk, week["one"].pk])
    assert closed.status_code == 201, closed.data
    assert sorted(closed.data["cancelled_appointments"]) == sorted(refused.data["appointments"])
    assert statuses(week)["tuesday"] == Status.SCHEDULED


def test_a_short_day_cancels_only_what_no_longer_fits(doctor_api, doctor, week):
    # 09:00-11:00: the 09:00 visit fits, the procedure (clearing up until 11:15) and 13:00 do not.
    body = {"date": "2030-01-07", "periods": [{"start_time": "09:00", "end_time": "11:00"}], "on_conflict": "cancel"}

    response = doctor_api.post(overrides(doctor), body, format="json")

    assert response.status_code == 201, response.data
    assert sorted(response.data["cancelled_appointments"]) == sorted([week["ten"].pk, week["one"].pk])
    assert response.data["periods"] == [{"start_time": "09:00", "end_time": "11:00"}]


def test_one_override_per_date(doctor_api, doctor):
    first = doctor_api.post(
        overrides(doctor),
        {"date": "2030-01-12", "periods": [{"start_time": "09:00", "end_time": "12:00"}]},
        format="json",
    )
    second = doctor_api.post(overrides(doctor), {"date": "2030-01-12", "closed": True}, format="json")

    assert first.status_code == 201
    assert (second.status_code, second.data["code"]) == (409, "override_exists")
    assert ScheduleOverride.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"closed": True, "periods": [{"start_time": "09:00", "end_time": "12:00"}]},
            "A closed day has no working periods",
        ),
        ({"closed": False}, "Give the day's working periods"),
        (
            {"periods": [{"start_time": "09:00", "end_time": "12:00"}, {"start_time": "11:00", "end_time": "13:00"}]},
            "09:00-12:00 overlaps 11:00-13:00.",
        ),
        ({"periods": [{"start_time": "12:00", "end_time": "09:00"}]}, "must end after it starts"),
    ],
)
def test_an_override_that_contradicts_itself_is_400(doctor_api, doctor, body, message):
    response = doctor_api.post(overrides(doctor), {"date": "2030-01-12"} | body, format="json")

    assert response.status_code == 400
    assert message in response.data["periods"][0]


def test_removing_an_extra_day_with_visits_on_it_is_refused_unless_cancel(doctor_api, doctor):
    saturday = date(2030, 1, 12)
    extra = doctor_api.post(
        overrides(doctor),
        {"date": saturday.isoformat(), "periods": [{"start_time": "09:00", "end_time": "12:00"}]},
        format="json",
    )
    visit = AppointmentFactory(doctor=doctor, start=datetime(2030, 1, 12, 9, 0, tzinfo=UTC))
    url = f"{overrides(doctor)}{extra.data['id']}/"

    refused = doctor_api.delete(url)
    removed = doctor_api.delete(f"{url}?on_conflict=cancel&patient_message=Saturday+clinic+cancelled")

    assert (refused.status_code, refused.data["appointments"]) == (409, [visit.pk])
    assert (removed.status_code, removed.data) == (200, {"cancelled_appointments": [visit.pk]})
    visit.refresh_from_db()
    assert (visit.status, visit.cancellation_reason) == (Status.CANCELLED, "Saturday clinic cancelled")
    assert not ScheduleOverride.objects.exists()


def test_reasons_of_overrides_are_private_and_only_that_doctor_or_an_admin_writes(
    client_for, doctor_api, doctor, patient
):
    doctor_api.post(
        overrides(doctor), {"date": "2030-01-12", "closed": True, "reason": "Family wedding"}, format="json"
    )
    other_doctor = client_for(DoctorFactory().user)

    as_patient = client_for(patient.user).get(overrides(doctor))
    as_doctor = doctor_api.get(overrides(doctor))

    assert as_patient.data[0]["reason"] == "" and as_doctor.data[0]["reason"] == "Family wedding"
    assert (
        client_for(patient.user)
        .post(overrides(doctor), {"date": "2030-01-13", "closed": True}, format="json")
        .status_code
        == 403
    )
    assert (
        other_doctor.post(overrides(doctor), {"date": "2030-01-13", "closed": True}, format="json").status_code == 403
    )
