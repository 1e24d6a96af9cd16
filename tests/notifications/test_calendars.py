"""The .ics of one appointment and a doctor's subscribable feed."""

from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
import time_machine
from icalendar import Calendar

from appointments.models import Status
from tests.factories import AppointmentFactory, DoctorFactory, PatientFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)


def events(response):
    return Calendar.from_ical(response.content).walk("VEVENT")


def feed_url(client_for, doctor):
    response = client_for(doctor.user).post("/api/profile/calendar-feed/")
    assert response.status_code == 201, response.data
    url = urlparse(response.data["url"])
    return f"{url.path}?{url.query}"


# --- One appointment -----------------------------------------------------------------------------------


def test_an_appointment_downloads_as_ics_for_whoever_may_see_it(client_for, doctor, patient):
    visit = AppointmentFactory(doctor=doctor, patient=patient, start=datetime(2031, 2, 3, 9, tzinfo=UTC))

    for user in (patient.user, doctor.user):
        response = client_for(user).get(f"/api/appointments/{visit.pk}/ics/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        [event] = events(response)
        assert event.decoded("DTSTART") == datetime(2031, 2, 3, 9, tzinfo=UTC)
        assert str(event["UID"]).startswith(f"appointment-{visit.pk}@")


def test_someone_elses_appointment_ics_is_json_404(client_for):
    response = client_for(PatientFactory().user).get(f"/api/appointments/{AppointmentFactory().pk}/ics/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


# --- The doctor's feed -------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_feed_holds_exactly_the_doctors_active_appointments_in_the_window(client_for, anon, doctor):
    patient = PatientFactory(user__first_name="Alice", user__last_name="Walker")
    inside = [
        AppointmentFactory(doctor=doctor, patient=patient, start=NOW - timedelta(days=29)),
        AppointmentFactory(doctor=doctor, patient=patient, start=NOW + timedelta(days=3), status=Status.CONFIRMED),
        AppointmentFactory(doctor=doctor, start=NOW + timedelta(days=89), status=Status.CHECKED_IN),
    ]
    AppointmentFactory(doctor=doctor, start=NOW - timedelta(days=31))  # too old
    AppointmentFactory(doctor=doctor, start=NOW + timedelta(days=91))  # beyond the horizon
    AppointmentFactory(doctor=doctor, start=NOW + timedelta(days=4), status=Status.CANCELLED)
    AppointmentFactory(doctor=doctor, start=NOW + timedelta(days=5), status=Status.COMPLETED)
    AppointmentFactory(start=NOW + timedelta(days=3))  # another doctor's

    response = anon.get(feed_url(client_for, doctor))

    assert response.status_code == 200
    found = events(response)
    assert sorted(str(e["UID"]) for e in found) == sorted(f"appointment-{a.pk}@example.com" for a in inside)
    summaries = {str(e["SUMMARY"]) for e in found}
    assert "Appointment: A. W." in summaries
    assert "Alice" not in response.content.decode() and "Walker" not in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_feed_survives_dst(client_for, anon):
    doctor = DoctorFactory(time_zone="America/New_York", weekly_hours=[(d, time(9), time(17)) for d in range(7)])
    # 09:00 in New York on both sides of the change on Sunday 10 March 2030.
    before = AppointmentFactory(doctor=doctor, start=datetime(2030, 3, 9, 14, 0, tzinfo=UTC))
    after = AppointmentFactory(doctor=doctor, start=datetime(2030, 3, 11, 13, 0, tzinfo=UTC))

    found = {str(e["UID"]): e for e in events(anon.get(feed_url(client_for, doctor)))}

    new_york = ZoneInfo("America/New_York")
    for visit in (before, after):
        start = found[f"appointment-{visit.pk}@example.com"].decoded("DTSTART")
        assert start == visit.start
        assert start.astimezone(new_york).hour == 9


@time_machine.travel(NOW, tick=False)
def test_a_wrong_missing_or_rotated_token_is_404(client_for, anon, doctor):
    old = feed_url(client_for, doctor)
    new = feed_url(client_for, doctor)
    other_doctor = DoctorFactory()

    assert anon.get(old).status_code == 404
    assert anon.get(new).status_code == 200
    assert anon.get(f"/api/doctors/{doctor.pk}/calendar.ics").status_code == 404
    assert anon.get(f"/api/doctors/{doctor.pk}/calendar.ics?token=guess").status_code == 404
    token = new.split("token=")[1]
    assert anon.get(f"/api/doctors/{other_doctor.pk}/calendar.ics?token={token}").status_code == 404


def test_the_feed_url_is_shown_once_and_only_a_hash_is_stored(client_for, doctor):
    url = feed_url(client_for, doctor)
    profile = client_for(doctor.user).get("/api/profile/").data["doctor"]
    doctor.refresh_from_db()

    assert profile["calendar_feed_enabled"] is True
    assert "calendar_feed_url" not in profile
    assert url.split("token=")[1] not in doctor.calendar_token_hash


def test_only_doctors_get_a_calendar_feed(client_for, patient, admin_account):
    for user in (patient.user, admin_account):
        response = client_for(user).post("/api/profile/calendar-feed/")
        assert response.status_code == 403
        assert response.data["detail"] == "Only doctors have a calendar feed."


def test_a_deactivated_doctors_feed_stops(client_for, anon, doctor):
    url = feed_url(client_for, doctor)
    doctor.user.is_active = False
    doctor.user.save()

    assert anon.get(url).status_code == 404
