"""Slots: computed by appointments.availability exactly as the REST slots endpoint computes them,
with the doctor's offsets, across a DST change too."""

import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.factories import DoctorFactory
from tests.fhir.conftest import outcome_code, parsed

pytestmark = pytest.mark.django_db

EVERY_DAY = [(day, time(0), time(23, 30)) for day in range(7)]
BERLIN = ZoneInfo("Europe/Berlin")


def next_dst_change(zone: ZoneInfo):
    day = timezone.now().astimezone(zone).date() + timedelta(days=2)
    for _ in range(400):
        midnight = datetime.combine(day, time()).replace(tzinfo=zone)
        if midnight.utcoffset() != (midnight + timedelta(days=1)).utcoffset():
            return day
        day += timedelta(days=1)
    raise AssertionError("no DST change within 400 days")


def slots_of_day(api, doctor, day) -> list[dict]:
    query = f"schedule=Schedule/{doctor.pk}&start=ge{day}&start=lt{day + timedelta(days=1)}&_count=100"
    response = api.get(f"/fhir/Slot?{query}")
    assert response.status_code == 200, response.content
    parsed(response.json())
    return [entry["resource"] for entry in response.json().get("entry", [])]


def test_slots_on_a_dst_change_day_carry_the_right_offsets(settings, admin_api):
    settings.CLINIC_TIME_ZONE = "Europe/Berlin"  # the date bounds of the search are clinic days
    settings.BOOKING_HORIZON_DAYS = 400
    doctor = DoctorFactory(weekly_hours=EVERY_DAY, time_zone="Europe/Berlin")
    day = next_dst_change(BERLIN)

    slots = slots_of_day(admin_api, doctor, day)

    starts = [datetime.fromisoformat(slot["start"]) for slot in slots]
    for start in starts:
        assert start.utcoffset() == start.astimezone(BERLIN).utcoffset()  # the offset of that instant
    assert all(later - earlier == timedelta(minutes=30) for earlier, later in itertools.pairwise(starts))
    assert len({slot["id"] for slot in slots}) == len(slots)
    # In UTC: a difference of two times of one zone in Python is wall-clock time.
    period = datetime.combine(day, time(23, 30)).replace(tzinfo=BERLIN).astimezone(UTC) - datetime.combine(
        day, time()
    ).replace(tzinfo=BERLIN).astimezone(UTC)
    assert len(slots) == period // timedelta(minutes=30)  # 45 in spring, 49 in autumn: none missing or repeated
    assert {start.utcoffset() for start in starts} == {timedelta(hours=1), timedelta(hours=2)}
    rest = admin_api.get(f"/api/doctors/{doctor.pk}/slots/?date_from={day}&date_to={day}").json()
    assert [datetime.fromisoformat(s["start"]) for s in rest["slots"]] == starts


def test_a_slot_read_by_id_and_gone_once_booked(clinic, patient_api, doctor_api):
    slot = slots_of_day(patient_api, clinic.doctor, timezone.now().date() + timedelta(days=7))
    slot = slot or slots_of_day(patient_api, clinic.doctor, timezone.now().date() + timedelta(days=9))
    first = slot[0]
    assert patient_api.get(f"/fhir/Slot/{first['id']}").json() == first

    appointment = {
        "resourceType": "Appointment",
        "status": "booked",
        "slot": [{"reference": f"Slot/{first['id']}"}],
        "participant": [{"actor": {"reference": f"Patient/{clinic.patient.pk}"}, "status": "accepted"}],
    }
    booked = patient_api.post("/fhir/Appointment", appointment, format="json")

    assert booked.status_code == 201, booked.content
    gone = doctor_api.get(f"/fhir/Slot/{first['id']}")
    assert gone.status_code == 404
    outcome_code(gone)


@pytest.mark.parametrize(
    "query",
    ["start=ge2030-01-01", "schedule=Schedule/1", "schedule=Schedule/1&start=ge2030-01-01&start=lt2030-06-01"],
)
def test_slot_search_needs_one_schedule_and_at_most_62_days(clinic, patient_api, query):
    response = patient_api.get(f"/fhir/Slot?{query}")

    assert response.status_code == 400
    outcome_code(response)
