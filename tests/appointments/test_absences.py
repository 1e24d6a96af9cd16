"""Changes that take booked time away (time off, a date's override, a clinic closure): refused with
the ids of the visits in the way, or, with on_conflict=cancel, those visits cancelled in the same
transaction with their patients told; never a visit silently orphaned."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail

from appointments.models import Appointment, AppointmentEvent, Status
from appointments.services import lifecycle
from doctors.models import ClinicClosure, ScheduleOverride, TimeOff
from tests.factories import AppointmentFactory, DoctorFactory, PatientFactory, VisitTypeFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime(2030, 1, 7, tzinfo=UTC)


@pytest.fixture(autouse=True)
def the_week_before():
    with time_machine.travel(MONDAY - timedelta(days=3), tick=False):
        yield


def at(hour, minute=0, day=0):
    return MONDAY + timedelta(days=day, hours=hour, minutes=minute)


@pytest.fixture
def week(doctor):
    """The doctor's Monday: visits at 09:00, 10:00 (60 minutes, clearing up until 11:15), 13:00,
    one cancelled at 14:00 and one completed last week; and 09:00 on Tuesday."""
    procedure = VisitTypeFactory(name="Procedure", duration_minutes=60, buffer_after_minutes=15)
    visits = {
        "nine": AppointmentFactory(doctor=doctor, start=at(9)),
        "ten": AppointmentFactory(doctor=doctor, visit_type=procedure, start=at(10)),
        "one": AppointmentFactory(doctor=doctor, start=at(13)),
        "cancelled": AppointmentFactory(doctor=doctor, start=at(14), status=Status.CANCELLED),
        "tuesday": AppointmentFactory(doctor=doctor, start=at(9, day=1)),
    }
    return visits


def time_off(api, doctor, start, end, **extra):
    body = {"start": start.isoformat(), "end": end.isoformat(), "reason": "Surgery of my own"} | extra
    return api.post(f"/api/doctors/{doctor.pk}/time-off/", body, format="json")


def statuses(visits):
    return {name: Appointment.objects.get(pk=visit.pk).status for name, visit in visits.items()}


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


# --- Clinic closures ---------------------------------------------------------------------------------


def test_a_closure_over_booked_days_is_refused_then_cancels_for_every_doctor(admin_api, patient_api, doctor, week):
    other = DoctorFactory(weekly_hours=True)
    elsewhere = AppointmentFactory(doctor=other, patient=PatientFactory(), start=at(11))
    body = {"name": "Storm closure", "start_date": "2030-01-07"}

    as_patient = patient_api.post("/api/closures/", body, format="json")
    refused = admin_api.post("/api/closures/", body, format="json")
    closed = admin_api.post("/api/closures/", body | {"on_conflict": "cancel"}, format="json")

    assert as_patient.status_code == 403
    assert refused.status_code == 409
    monday_visits = [week["nine"].pk, week["ten"].pk, week["one"].pk, elsewhere.pk]
    assert sorted(refused.data["appointments"]) == sorted(monday_visits)
    assert closed.status_code == 201, closed.data
    assert (closed.data["end_date"], sorted(closed.data["cancelled_appointments"])) == (
        "2030-01-07",
        sorted(monday_visits),
    )
    assert statuses(week)["tuesday"] == Status.SCHEDULED
    assert patient_api.get("/api/closures/").data["results"][0]["name"] == "Storm closure"


def test_a_closure_ends_on_or_after_it_starts_and_lasts_at_most_a_year(admin_api):
    backwards = admin_api.post(
        "/api/closures/", {"name": "x", "start_date": "2030-01-07", "end_date": "2030-01-06"}, format="json"
    )
    too_long = admin_api.post(
        "/api/closures/", {"name": "x", "start_date": "2030-01-07", "end_date": "2031-06-01"}, format="json"
    )

    assert backwards.status_code == 400
    assert too_long.status_code == 400 and "end_date" in too_long.data
    assert not ClinicClosure.objects.exists()


def test_reopening_gives_the_days_back(admin_api, patient_api, doctor):
    closure = ClinicClosure.objects.create(name="Holiday", start_date=date(2030, 1, 7), end_date=date(2030, 1, 7))
    url = f"/api/doctors/{doctor.pk}/slots/?date_from=2030-01-07&date_to=2030-01-07"

    closed = patient_api.get(url).data["slots"]
    assert admin_api.delete(f"/api/closures/{closure.pk}/").status_code == 204
    reopened = patient_api.get(url).data["slots"]

    assert closed == [] and len(reopened) == 14
    assert time(9) == datetime.fromisoformat(reopened[0]["start"]).time()
