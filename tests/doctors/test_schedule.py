from datetime import UTC, datetime, time

import pytest

from doctors.models import TimeOff, WorkingHours
from tests.factories import DoctorFactory, TimeOffFactory

pytestmark = pytest.mark.django_db

WEEK = [
    {"weekday": 0, "start_time": "09:00", "end_time": "12:00"},
    {"weekday": 0, "start_time": "13:00", "end_time": "17:00"},
    {"weekday": 2, "start_time": "08:30", "end_time": "12:30"},
]


def hours_of(doctor):
    return list(
        WorkingHours.objects.filter(doctor=doctor)
        .order_by("weekday", "start_time")
        .values_list("weekday", "start_time", "end_time")
    )


# --- Working hours ---------------------------------------------------------------------------


def test_everyone_reads_a_doctors_working_hours(patient_api, doctor):
    response = patient_api.get(f"/api/doctors/{doctor.pk}/working-hours/")

    assert response.status_code == 200
    assert response.data[0] == {"weekday": 0, "start_time": "09:00", "end_time": "12:00"}
    assert len(response.data) == 10


def test_the_doctor_replaces_the_whole_week_at_once(doctor_api, doctor):
    response = doctor_api.put(f"/api/doctors/{doctor.pk}/working-hours/", WEEK, format="json")

    assert response.status_code == 200, response.data
    assert hours_of(doctor) == [(0, time(9), time(12)), (0, time(13), time(17)), (2, time(8, 30), time(12, 30))]
    assert [row["weekday"] for row in response.data] == [0, 0, 2]


def test_an_admin_may_replace_any_doctors_week_and_an_empty_week_clears_it(admin_api, doctor):
    assert admin_api.put(f"/api/doctors/{doctor.pk}/working-hours/", [], format="json").status_code == 200
    assert hours_of(doctor) == []


@pytest.mark.parametrize(
    ("periods", "where"),
    [
        ([{"weekday": 0, "start_time": "12:00", "end_time": "09:00"}], "end_time"),
        ([{"weekday": 0, "start_time": "09:00", "end_time": "09:00"}], "end_time"),
        ([{"weekday": 7, "start_time": "09:00", "end_time": "10:00"}], "weekday"),
        ([{"weekday": -1, "start_time": "09:00", "end_time": "10:00"}], "weekday"),
        ([{"weekday": 0, "start_time": "9 am", "end_time": "10:00"}], "start_time"),
        ([{"weekday": 0, "end_time": "10:00"}], "start_time"),
    ],
)
def test_invalid_periods_are_refused_with_field_messages_and_nothing_changes(doctor_api, doctor, periods, where):
    before = hours_of(doctor)

    response = doctor_api.put(f"/api/doctors/{doctor.pk}/working-hours/", periods, format="json")

    assert response.status_code == 400
    assert where in response.data[0]
    assert hours_of(doctor) == before


def test_overlapping_periods_on_one_day_are_refused_as_a_whole(doctor_api, doctor):
    before = hours_of(doctor)
    periods = [
        {"weekday": 1, "start_time": "09:00", "end_time": "12:00"},
        {"weekday": 1, "start_time": "11:00", "end_time": "13:00"},
        {"weekday": 2, "start_time": "09:00", "end_time": "12:00"},
    ]

    response = doctor_api.put(f"/api/doctors/{doctor.pk}/working-hours/", periods, format="json")

    assert response.status_code == 400
    assert "Tuesday: 09:00-12:00 overlaps 11:00-13:00." in response.data["non_field_errors"]
    assert hours_of(doctor) == before


def test_a_body_that_is_not_a_list_is_refused(doctor_api, doctor):
    response = doctor_api.put(f"/api/doctors/{doctor.pk}/working-hours/", {"weekday": 0}, format="json")

    assert response.status_code == 400


def test_other_doctors_and_patients_cannot_change_working_hours(client_for, doctor, patient):
    other = DoctorFactory()
    before = hours_of(doctor)

    assert (
        client_for(other.user).put(f"/api/doctors/{doctor.pk}/working-hours/", WEEK, format="json").status_code == 403
    )
    assert (
        client_for(patient.user).put(f"/api/doctors/{doctor.pk}/working-hours/", WEEK, format="json").status_code == 403
    )
    assert hours_of(doctor) == before


# --- Time off ---------------------------------------------------------------------------------


def test_the_doctor_blocks_an_afternoon_and_reads_it_back(doctor_api, doctor):
    response = doctor_api.post(
        f"/api/doctors/{doctor.pk}/time-off/",
        {"start": "2030-05-06T13:00:00Z", "end": "2030-05-06T17:00:00Z", "reason": "Teaching"},
        format="json",
    )
    listed = doctor_api.get(f"/api/doctors/{doctor.pk}/time-off/")

    assert response.status_code == 201, response.data
    time_off = TimeOff.objects.get(pk=response.data["id"])
    assert time_off.start == datetime(2030, 5, 6, 13, tzinfo=UTC)
    assert time_off.created_by == doctor.user
    assert listed.data["results"][0]["reason"] == "Teaching"


def test_others_see_that_a_doctor_is_away_but_not_why(patient_api, doctor):
    TimeOffFactory(
        doctor=doctor, start=datetime(2030, 1, 1, tzinfo=UTC), end=datetime(2030, 1, 2, tzinfo=UTC), reason="Surgery"
    )

    row = patient_api.get(f"/api/doctors/{doctor.pk}/time-off/").data["results"][0]

    assert row["start"].startswith("2030-01-01")
    assert row["reason"] == ""


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start": "2030-05-06T17:00:00Z", "end": "2030-05-06T13:00:00Z"}, "end"),
        ({"start": "2030-05-06T13:00:00Z", "end": "2030-05-06T13:00:00Z"}, "end"),
        ({"start": "not a date", "end": "2030-05-06T13:00:00Z"}, "start"),
        ({"end": "2030-05-06T13:00:00Z"}, "start"),
    ],
)
def test_time_off_that_ends_before_it_starts_is_refused(doctor_api, doctor, body, field):
    response = doctor_api.post(f"/api/doctors/{doctor.pk}/time-off/", body, format="json")

    assert response.status_code == 400
    assert field in response.data
    assert not TimeOff.objects.exists()


def test_only_the_doctor_or_an_admin_writes_time_off(client_for, admin_api, doctor, patient):
    body = {"start": "2030-05-06T13:00:00Z", "end": "2030-05-06T17:00:00Z"}
    existing = TimeOffFactory(
        doctor=doctor, start=datetime(2030, 1, 1, tzinfo=UTC), end=datetime(2030, 1, 2, tzinfo=UTC)
    )
    url = f"/api/doctors/{doctor.pk}/time-off/"

    assert client_for(DoctorFactory().user).post(url, body, format="json").status_code == 403
    assert client_for(patient.user).post(url, body, format="json").status_code == 403
    assert client_for(patient.user).delete(f"{url}{existing.pk}/").status_code == 403
    assert admin_api.post(url, body, format="json").status_code == 201
    assert admin_api.delete(f"{url}{existing.pk}/").status_code == 204
    assert not TimeOff.objects.filter(pk=existing.pk).exists()


def test_deleting_time_off_of_another_doctor_through_this_doctors_url_is_404(doctor_api, doctor):
    theirs = TimeOffFactory(start=datetime(2030, 1, 1, tzinfo=UTC), end=datetime(2030, 1, 2, tzinfo=UTC))

    assert doctor_api.delete(f"/api/doctors/{doctor.pk}/time-off/{theirs.pk}/").status_code == 404
    assert TimeOff.objects.filter(pk=theirs.pk).exists()
