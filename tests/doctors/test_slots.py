from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
import time_machine

from appointments.availability import doctors_free_on, free_slots, start_refusal
from tests.factories import DoctorFactory, TimeOffFactory

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
EVERY_DAY_NINE_TO_FIVE = [(d, time(9), time(17)) for d in range(7)]


def default_type(doctor):
    return doctor.offered_visit_types.get(is_default=True).visit_type


def local_starts(slots, zone):
    return [slot.start.astimezone(zone).strftime("%Y-%m-%d %H:%M") for slot in slots]


def slots_of(api, doctor, **params):
    return api.get(f"/api/doctors/{doctor.pk}/slots/", params)


# --- The grid ---------------------------------------------------------------------------------


@time_machine.travel(datetime(2027, 1, 4, 6, 0, tzinfo=UTC), tick=False)  # a Monday, before hours
def test_slots_follow_working_hours_and_skip_the_lunch_break():
    doctor = DoctorFactory(weekly_hours=True)  # Mon-Fri 09-12 and 13-17, clinic zone UTC

    slots = free_slots(
        doctor=doctor,
        visit_type=default_type(doctor),
        first_day=datetime(2027, 1, 4).date(),
        last_day=datetime(2027, 1, 4).date(),
    )

    starts = local_starts(slots, UTC)
    assert len(starts) == 14  # 6 in the morning, 8 in the afternoon
    assert starts[0] == "2027-01-04 09:00"
    assert "2027-01-04 11:30" in starts
    assert "2027-01-04 12:00" not in starts
    assert "2027-01-04 12:30" not in starts
    assert starts[-1] == "2027-01-04 16:30"
    assert all(slot.end - slot.start == timedelta(minutes=30) for slot in slots)


@time_machine.travel(datetime(2027, 1, 4, 6, 0, tzinfo=UTC), tick=False)
def test_weekend_without_hours_has_no_slots():
    doctor = DoctorFactory(weekly_hours=True)

    assert (
        free_slots(
            doctor=doctor,
            visit_type=default_type(doctor),
            first_day=datetime(2027, 1, 9).date(),
            last_day=datetime(2027, 1, 10).date(),
        )
        == []
    )


@time_machine.travel(datetime(2027, 1, 4, 6, 0, tzinfo=UTC), tick=False)
def test_time_off_in_the_middle_of_a_day_removes_only_the_slots_it_touches():
    doctor = DoctorFactory(weekly_hours=True)
    TimeOffFactory(
        doctor=doctor, start=datetime(2027, 1, 5, 10, 15, tzinfo=UTC), end=datetime(2027, 1, 5, 14, 0, tzinfo=UTC)
    )

    starts = local_starts(
        free_slots(
            doctor=doctor,
            visit_type=default_type(doctor),
            first_day=datetime(2027, 1, 5).date(),
            last_day=datetime(2027, 1, 5).date(),
        ),
        UTC,
    )

    assert starts[:3] == ["2027-01-05 09:00", "2027-01-05 09:30", "2027-01-05 14:00"]
    assert "2027-01-05 10:00" not in starts  # 10:00-10:30 overlaps time off from 10:15


@time_machine.travel(datetime(2027, 1, 4, 9, 50, tzinfo=UTC), tick=False)
def test_past_slots_and_slots_inside_the_minimum_notice_are_not_offered(settings):
    settings.BOOKING_MIN_NOTICE_MINUTES = 60
    doctor = DoctorFactory(weekly_hours=True)

    starts = local_starts(
        free_slots(
            doctor=doctor,
            visit_type=default_type(doctor),
            first_day=datetime(2027, 1, 4).date(),
            last_day=datetime(2027, 1, 4).date(),
        ),
        UTC,
    )

    assert starts[0] == "2027-01-04 11:00"  # 10:50 + 60 minutes; 10:30 is too soon


@time_machine.travel(datetime(2027, 1, 4, 6, 0, tzinfo=UTC), tick=False)
def test_slots_beyond_the_booking_horizon_are_not_offered(settings):
    settings.BOOKING_HORIZON_DAYS = 2
    doctor = DoctorFactory(weekly_hours=True)

    slots = free_slots(
        doctor=doctor,
        visit_type=default_type(doctor),
        first_day=datetime(2027, 1, 4).date(),
        last_day=datetime(2027, 1, 8).date(),
    )

    assert max(slot.start for slot in slots) <= datetime(2027, 1, 6, 6, 0, tzinfo=UTC)
    assert {slot.start.date().isoformat() for slot in slots} == {"2027-01-04", "2027-01-05"}


@time_machine.travel(datetime(2027, 1, 4, 6, 0, tzinfo=UTC), tick=False)
def test_a_doctor_not_accepting_patients_or_inactive_has_no_slots():
    closed = DoctorFactory(weekly_hours=True, is_accepting_patients=False)
    gone = DoctorFactory(weekly_hours=True, user__is_active=False)
    day = datetime(2027, 1, 5).date()

    assert free_slots(doctor=closed, visit_type=default_type(closed), first_day=day, last_day=day) == []
    assert free_slots(doctor=gone, visit_type=default_type(gone), first_day=day, last_day=day) == []


# --- Daylight saving time ------------------------------------------------------------------


@time_machine.travel(datetime(2027, 3, 1, 12, 0, tzinfo=UTC), tick=False)
def test_spring_forward_keeps_nine_oclock_local_on_both_sides(patient_api):
    doctor = DoctorFactory(weekly_hours=EVERY_DAY_NINE_TO_FIVE, time_zone="America/New_York")

    # Clocks go forward on Sunday 14 March 2027 at 02:00 in New York.
    slots = free_slots(
        doctor=doctor,
        visit_type=default_type(doctor),
        first_day=datetime(2027, 3, 13).date(),
        last_day=datetime(2027, 3, 15).date(),
    )

    by_day = {}
    for slot in slots:
        by_day.setdefault(slot.start.astimezone(NEW_YORK).date().isoformat(), []).append(slot)
    assert sorted(by_day) == ["2027-03-13", "2027-03-14", "2027-03-15"]
    for day_slots in by_day.values():
        assert len(day_slots) == 16
        assert day_slots[0].start.astimezone(NEW_YORK).strftime("%H:%M") == "09:00"
        assert day_slots[-1].end.astimezone(NEW_YORK).strftime("%H:%M") == "17:00"
    assert by_day["2027-03-13"][0].start.astimezone(UTC).hour == 14  # EST, UTC-5
    assert by_day["2027-03-15"][0].start.astimezone(UTC).hour == 13  # EDT, UTC-4
    # The API writes each start in the doctor's zone with the offset of that day.
    body = slots_of(patient_api, doctor, date_from="2027-03-13", date_to="2027-03-15").data
    firsts = [slot["start"] for slot in body["slots"] if "T09:00" in slot["start"]]
    assert firsts == ["2027-03-13T09:00:00-05:00", "2027-03-14T09:00:00-04:00", "2027-03-15T09:00:00-04:00"]


@time_machine.travel(datetime(2027, 10, 25, 12, 0, tzinfo=UTC), tick=False)
def test_fall_back_keeps_nine_oclock_local_on_both_sides():
    doctor = DoctorFactory(weekly_hours=EVERY_DAY_NINE_TO_FIVE, time_zone="America/New_York")

    # Clocks go back on Sunday 7 November 2027 at 02:00 in New York.
    slots = free_slots(
        doctor=doctor,
        visit_type=default_type(doctor),
        first_day=datetime(2027, 11, 6).date(),
        last_day=datetime(2027, 11, 8).date(),
    )

    firsts = [s for s in slots if s.start.astimezone(NEW_YORK).strftime("%H:%M") == "09:00"]
    assert [s.start.astimezone(UTC).hour for s in firsts] == [13, 14, 14]
    assert len(slots) == 48


@pytest.mark.parametrize(
    ("day", "expected_count"),
    [
        ("2027-03-14", 10),  # 00:00-06:00 is five real hours when 02:00-03:00 never happens
        ("2027-11-07", 14),  # and seven when 01:00-02:00 happens twice
    ],
)
def test_night_hours_across_a_dst_change_have_no_missing_or_duplicate_slot(day, expected_count):
    doctor = DoctorFactory(weekly_hours=[(6, time(0), time(6))], time_zone="America/New_York")
    the_day = datetime.fromisoformat(day).date()

    with time_machine.travel(datetime.combine(the_day, time(0), UTC) - timedelta(days=30), tick=False):
        slots = free_slots(doctor=doctor, visit_type=default_type(doctor), first_day=the_day, last_day=the_day)

    starts = [slot.start for slot in slots]
    assert len(starts) == expected_count
    assert len(set(starts)) == len(starts)
    assert all(b.start == a.end for a, b in pairwise(slots))  # back to back, no gap


# --- The same rule refuses a start, and says why (used by booking) --------------------------------


@pytest.mark.parametrize(
    ("start", "refused"),
    [
        (datetime(2027, 1, 4, 9, 30, tzinfo=UTC), None),
        (datetime(2027, 1, 4, 9, 15, tzinfo=UTC), "start every 30 minutes"),
        (datetime(2027, 1, 4, 12, 0, tzinfo=UTC), "outside"),  # lunch
        (datetime(2027, 1, 4, 16, 45, tzinfo=UTC), "outside"),  # would end after 17:00
        (datetime(2027, 1, 9, 9, 0, tzinfo=UTC), "does not work on Saturdays"),
    ],
)
def test_only_grid_starts_inside_hours_pass_the_booking_rule(start, refused):
    doctor = DoctorFactory(weekly_hours=True)

    error = start_refusal(
        doctor=doctor, visit_type=default_type(doctor), start=start, now=datetime(2027, 1, 1, tzinfo=UTC)
    )

    assert (error is None) if refused is None else (refused in error.message)


@time_machine.travel(datetime(2027, 1, 4, 6, 0, tzinfo=UTC), tick=False)
def test_doctors_free_on_a_day():
    free = DoctorFactory(weekly_hours=True)
    on_leave = DoctorFactory(weekly_hours=True)
    TimeOffFactory(doctor=on_leave, start=datetime(2027, 1, 5, tzinfo=UTC), end=datetime(2027, 1, 6, tzinfo=UTC))
    weekend_only = DoctorFactory(weekly_hours=[(5, time(9), time(12))])

    ids = doctors_free_on(doctors=[free, on_leave, weekend_only], day=datetime(2027, 1, 5).date())

    assert ids == {free.pk}


# --- The endpoint -----------------------------------------------------------------------------


@time_machine.travel(datetime(2027, 3, 1, 12, 0, tzinfo=UTC), tick=False)
def test_slots_endpoint_returns_local_times_with_offsets(patient_api):
    doctor = DoctorFactory(weekly_hours=EVERY_DAY_NINE_TO_FIVE, time_zone="America/New_York")

    response = slots_of(patient_api, doctor, date_from="2027-03-13", date_to="2027-03-15")

    assert response.status_code == 200
    assert response.data["time_zone"] == "America/New_York"
    starts = [slot["start"] for slot in response.data["slots"]]
    assert "2027-03-13T09:00:00-05:00" in starts
    assert "2027-03-15T09:00:00-04:00" in starts
    assert response.data["slots"][0]["end"] == "2027-03-13T09:30:00-05:00"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2027-01-01", "date_to": "2027-03-04"}, "date_to"),  # 63 days
        ({"date_from": "2027-01-10", "date_to": "2027-01-09"}, "date_to"),
        ({"date_from": "tomorrow"}, "date_from"),
        ({"date_from": "2027-02-30"}, "date_from"),
    ],
)
def test_slots_endpoint_refuses_bad_ranges_with_a_message(patient_api, doctor, params, field):
    response = slots_of(patient_api, doctor, **params)

    assert response.status_code == 400
    assert field in response.data


def test_slots_endpoint_accepts_exactly_62_days(patient_api, doctor):
    assert slots_of(patient_api, doctor, date_from="2027-01-01", date_to="2027-03-03").status_code == 200


def test_slots_endpoint_for_an_unknown_or_inactive_doctor_is_404(patient_api):
    gone = DoctorFactory(user__is_active=False)

    assert slots_of(patient_api, gone).status_code == 404
    assert patient_api.get("/api/doctors/999999/slots/").status_code == 404


def test_slots_for_31_days_run_a_fixed_number_of_queries(patient_api, django_assert_max_num_queries):
    doctor = DoctorFactory(weekly_hours=EVERY_DAY_NINE_TO_FIVE)
    for day in range(1, 29):
        start = datetime(2027, 2, day, 12, 0, tzinfo=UTC)
        TimeOffFactory(doctor=doctor, start=start, end=start + timedelta(hours=1))

    # user, doctor, the visit types offered, hours, overrides, closures, time off, the doctor's
    # bookings and the patient's: the same for 31 days as for one.
    with time_machine.travel(datetime(2027, 1, 30, tzinfo=UTC), tick=False), django_assert_max_num_queries(10):
        response = slots_of(patient_api, doctor, date_from="2027-02-01", date_to="2027-03-03")

    assert response.status_code == 200
    assert len(response.data["slots"]) == 31 * 16 - 28 * 2
