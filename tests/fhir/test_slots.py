"""Slots: computed by appointments.availability exactly as the REST slots endpoint computes them,
with the doctor's offsets, across a DST change too."""

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from tests.factories import DoctorFactory
from tests.fhir.conftest import outcome_code, parsed

pytestmark = pytest.mark.django_db

EVERY_DAY = [(day, time(0), time(23, 30)) for day in range(7)]
BERLIN = ZoneInfo("Europe/Berlin")


def slots_of_day(api, doctor, day) -> list[dict]:
    query = f"schedule=Schedule/{doctor.pk}&start=ge{day}&start=lt{day + timedelta(days=1)}&_count=100"
    response = api.get(f"/fhir/Slot?{query}")
    assert response.status_code == 200, response.content
    parsed(response.json())
    return [entry["resource"] for entry in response.json().get("entry", [])]


def local(day: date, hour: int, minute: int = 0, *, fold: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN).replace(fold=fold)


# (the change day, the slots of a day open 00:00-23:30, the local times that day shows twice)
DST_CHANGES = {
    "spring": (date(2030, 3, 31), 45, set()),  # 02:00 -> 03:00: 02:00 and 02:30 do not exist
    "autumn": (date(2030, 10, 27), 49, {time(2, 0), time(2, 30)}),  # 03:00 -> 02:00: they come twice
}


@pytest.mark.parametrize("change", DST_CHANGES, ids=list(DST_CHANGES))
def test_slots_on_a_dst_change_day_carry_the_right_offsets(settings, admin_api, change):
    day, expected_count, repeated = DST_CHANGES[change]
    settings.CLINIC_TIME_ZONE = "Europe/Berlin"  # the date bounds of the search are clinic days
    with time_machine.travel(datetime.combine(day - timedelta(days=10), time(6), tzinfo=UTC), tick=False):
        doctor = DoctorFactory(weekly_hours=EVERY_DAY, time_zone="Europe/Berlin")
        slots = slots_of_day(admin_api, doctor, day)
        rest = admin_api.get(f"/api/doctors/{doctor.pk}/slots/?date_from={day}&date_to={day}")

    starts = [datetime.fromisoformat(slot["start"]) for slot in slots]
    for start in starts:
        assert start.utcoffset() == start.astimezone(BERLIN).utcoffset()  # the offset of that instant
    # None missing, none repeated: every 30 minutes of real time from local midnight to 23:30.
    assert len(slots) == expected_count
    assert all(later - earlier == timedelta(minutes=30) for earlier, later in itertools.pairwise(starts))
    assert len({slot["id"] for slot in slots}) == len(slots) == len(set(starts))
    assert starts[0] == local(day, 0) and starts[-1] + timedelta(minutes=30) == local(day, 23, 30)
    assert [start.utcoffset() for start in starts[:2]] == [timedelta(hours=1 if change == "spring" else 2)] * 2
    assert starts[-1].utcoffset() == timedelta(hours=2 if change == "spring" else 1)
    wall_times = [start.astimezone(BERLIN).time() for start in starts]
    assert {t for t in wall_times if wall_times.count(t) > 1} == repeated
    if change == "spring":
        assert not {time(2, 0), time(2, 30)} & set(wall_times)
    # The same slots as the REST slots endpoint, instant for instant and offset for offset.
    assert rest.status_code == 200, rest.content
    rest_starts = [datetime.fromisoformat(s["start"]) for s in rest.json()["slots"]]
    assert rest_starts == starts
    assert [s.utcoffset() for s in rest_starts] == [s.utcoffset() for s in starts]
    assert [datetime.fromisoformat(s["end"]) for s in rest.json()["slots"]] == [
        datetime.fromisoformat(slot["end"]) for slot in slots
    ]


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
