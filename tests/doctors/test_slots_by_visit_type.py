"""Free slots per visit type: the grid, buffers, hours, date overrides, closures, time off, existing
visits, a patient's own visits, DST change days; and a fixed number of queries."""

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doctors.models import ClinicClosure, ScheduleOverride
from tests.factories import AppointmentFactory, DoctorFactory, PatientFactory, TimeOffFactory, VisitTypeFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 1, 4)
NEW_YORK = ZoneInfo("America/New_York")
MORNINGS = [(day, time(9), time(12)) for day in range(5)]


@pytest.fixture(autouse=True)
def the_week_before():
    with time_machine.travel(datetime(2027, 1, 1, 12, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def doctor():
    """Mornings 09:00-12:00 on weekdays, a 30-minute grid, and three visit types on offer."""
    doctor = DoctorFactory(weekly_hours=MORNINGS)
    for visit_type in visit_types().values():
        doctor.offered_visit_types.get_or_create(visit_type=visit_type)
    return doctor


def visit_types():
    return {
        "procedure": VisitTypeFactory(name="Procedure", duration_minutes=60, buffer_after_minutes=15),
        "prepared": VisitTypeFactory(name="Prepared", duration_minutes=30, buffer_before_minutes=10),
        "follow_up": VisitTypeFactory(name="Follow-up", duration_minutes=15),
    }


def starts(api, doctor, kind=None, day=MONDAY, last=None, zone=UTC):
    params = {"date_from": day.isoformat(), "date_to": (last or day).isoformat()}
    if kind:
        params["visit_type"] = visit_types()[kind].pk
    response = api.get(f"/api/doctors/{doctor.pk}/slots/", params)
    assert response.status_code == 200, response.data
    return [datetime.fromisoformat(slot["start"]).astimezone(zone).strftime("%H:%M") for slot in response.data["slots"]]


def test_each_slot_carries_its_visit_type_and_the_visits_own_end(patient_api, doctor):
    response = patient_api.get(
        f"/api/doctors/{doctor.pk}/slots/",
        {"date_from": "2027-01-04", "date_to": "2027-01-04", "visit_type": visit_types()["procedure"].pk},
    )

    first = response.data["slots"][0]
    assert first == {
        "start": "2027-01-04T09:00:00+00:00",
        "end": "2027-01-04T10:00:00+00:00",
        "visit_type": visit_types()["procedure"].pk,
    }
    assert response.data["visit_type"]["buffer_after_minutes"] == 15


def test_the_whole_blocked_time_fits_inside_the_hours(patient_api, doctor):
    assert starts(patient_api, doctor) == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
    # 60 minutes and 15 after: the last start that clears up by 12:00 is 10:30.
    assert starts(patient_api, doctor, "procedure") == ["09:00", "09:30", "10:00", "10:30"]
    # 10 minutes to prepare: nothing before 09:10, so the grid's first start is 09:30.
    assert starts(patient_api, doctor, "prepared") == ["09:30", "10:00", "10:30", "11:00", "11:30"]
    assert starts(patient_api, doctor, "follow_up") == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]


def test_another_visits_buffer_takes_the_doctors_time(patient_api, doctor):
    AppointmentFactory(
        doctor=doctor, visit_type=visit_types()["procedure"], start=datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    )

    # Booked 09:00-10:00, cleared up by 10:15: a follow-up can start at 10:30 at the earliest.
    assert starts(patient_api, doctor, "follow_up") == ["10:30", "11:00", "11:30"]
    # A visit that needs 10 minutes to prepare may start at 10:30 (its preparation from 10:20).
    assert starts(patient_api, doctor, "prepared") == ["10:30", "11:00", "11:30"]


def test_an_override_gives_a_date_its_own_hours_or_closes_it(patient_api, doctor):
    saturday = date(2027, 1, 9)
    extra = ScheduleOverride.objects.create(doctor=doctor, date=saturday)
    extra.periods.create(start_time=time(10), end_time=time(11))
    ScheduleOverride.objects.create(doctor=doctor, date=MONDAY, closed=True)
    short_day = ScheduleOverride.objects.create(doctor=doctor, date=MONDAY + timedelta(days=1))
    short_day.periods.create(start_time=time(9), end_time=time(10))

    assert starts(patient_api, doctor, day=saturday) == ["10:00", "10:30"]
    assert starts(patient_api, doctor, day=MONDAY) == []
    assert starts(patient_api, doctor, day=MONDAY + timedelta(days=1)) == ["09:00", "09:30"]
    assert starts(patient_api, doctor, day=MONDAY + timedelta(days=2)) == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
        "11:30",
    ]


def test_a_clinic_closure_closes_every_doctor(patient_api, doctor):
    other = DoctorFactory(weekly_hours=MORNINGS)
    ClinicClosure.objects.create(name="Holiday", start_date=MONDAY, end_date=MONDAY + timedelta(days=1))

    for someone in (doctor, other):
        assert starts(patient_api, someone, day=MONDAY, last=MONDAY + timedelta(days=1)) == []
        assert starts(patient_api, someone, day=MONDAY + timedelta(days=2))


def test_time_off_takes_every_slot_whose_blocked_time_touches_it(patient_api, doctor):
    TimeOffFactory(
        doctor=doctor, start=datetime(2027, 1, 4, 10, 15, tzinfo=UTC), end=datetime(2027, 1, 4, 10, 30, tzinfo=UTC)
    )

    # 09:00 clears up by 10:15 and 10:30 starts after it; 09:30 and 10:00 would run into it.
    assert starts(patient_api, doctor, "procedure") == ["09:00", "10:30"]
    assert starts(patient_api, doctor, "follow_up") == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]


def test_a_patients_own_visits_are_left_out_for_that_patient_only(client_for, doctor, patient):
    AppointmentFactory(patient=patient, doctor=DoctorFactory(), start=datetime(2027, 1, 4, 10, 0, tzinfo=UTC))

    mine = starts(client_for(patient.user), doctor, "follow_up")
    someone_elses = starts(client_for(PatientFactory().user), doctor, "follow_up")

    assert mine == ["09:00", "09:30", "10:30", "11:00", "11:30"]  # 10:00-10:30 is their other visit
    assert someone_elses == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]


def test_a_visit_type_the_doctor_does_not_offer_is_400(patient_api, doctor):
    elsewhere = VisitTypeFactory(name="Elsewhere")

    response = patient_api.get(f"/api/doctors/{doctor.pk}/slots/", {"visit_type": elsewhere.pk})

    assert response.status_code == 400
    assert "does not offer Elsewhere" in response.data["visit_type"][0]


@pytest.mark.parametrize(
    ("day", "now", "expected"),
    [
        (date(2027, 3, 14), datetime(2027, 3, 1, tzinfo=UTC), 10),  # spring forward: 00:00-06:00 is 5 real hours
        (date(2027, 11, 7), datetime(2027, 10, 25, tzinfo=UTC), 14),  # fall back: 7 real hours
    ],
)
def test_dst_change_days_have_every_start_once_with_the_right_offset(patient_api, day, now, expected):
    doctor = DoctorFactory(weekly_hours=[(6, time(0), time(6))], time_zone="America/New_York")

    with time_machine.travel(now, tick=False):
        slots = patient_api.get(
            f"/api/doctors/{doctor.pk}/slots/", {"date_from": day.isoformat(), "date_to": day.isoformat()}
        ).data["slots"]

    moments = [datetime.fromisoformat(slot["start"]) for slot in slots]
    assert len(moments) == len(set(moments)) == expected
    assert all(b - a == timedelta(minutes=30) for a, b in pairwise(moments))
    assert {slot["start"][-6:] for slot in slots} == {"-05:00", "-04:00"}
    assert slots[0]["start"].startswith(f"{day.isoformat()}T00:00:00")


def test_the_query_count_is_the_same_for_one_day_and_thirty_one(patient_api, doctor):
    for day in range(28):
        AppointmentFactory(doctor=doctor, start=datetime(2027, 2, 1, 9, 0, tzinfo=UTC) + timedelta(days=day))
        ScheduleOverride.objects.create(doctor=doctor, date=date(2027, 2, 1) + timedelta(days=day), closed=day % 2 == 0)

    def queries(last):
        with CaptureQueriesContext(connection) as captured:
            starts(patient_api, doctor, "follow_up", day=date(2027, 2, 1), last=last)
        return len(captured.captured_queries)

    with time_machine.travel(datetime(2027, 1, 25, tzinfo=UTC), tick=False):
        assert queries(date(2027, 2, 1)) == queries(date(2027, 3, 3))
