"""Paging with `_offset`, and the date prefixes gt, le and eq on Appointment.date, Patient.birthdate
and Slot.start (a day of the clinic's zone, or an instant)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from appointments.models import Appointment
from tests.fhir.conftest import outcome_code

pytestmark = pytest.mark.django_db


def ids(api, url: str) -> list[str]:
    response = api.get(url)
    assert response.status_code == 200, response.content
    return [entry["resource"]["id"] for entry in response.json().get("entry", [])]


def z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_offset_pages_through_every_match_once(clinic, admin_api):
    everything = ids(admin_api, "/fhir/Appointment?_count=100")
    pages = [ids(admin_api, f"/fhir/Appointment?_count=2&_offset={offset}") for offset in range(0, len(everything), 2)]
    past_the_end = admin_api.get(f"/fhir/Appointment?_count=2&_offset={len(everything)}").json()

    assert [pk for page in pages for pk in page] == everything
    assert len(everything) == Appointment.objects.count()
    assert "entry" not in past_the_end and past_the_end["total"] == len(everything)
    links = {link["relation"]: link["url"] for link in past_the_end["link"]}
    assert "next" not in links and f"_offset={len(everything) - 2}" in links["previous"]


@pytest.mark.parametrize("value", ["-1", "x", "1.5"])
def test_bad_offset_is_400(clinic, admin_api, value):
    response = admin_api.get(f"/fhir/Appointment?_offset={value}")

    assert response.status_code == 400
    outcome_code(response)


def test_appointment_date_prefixes_gt_le_eq_on_an_instant_and_a_day(settings, clinic, admin_api):
    settings.CLINIC_TIME_ZONE = "UTC"  # a day in a search is a day of the clinic's zone
    start = clinic.visit.start
    rows = list(Appointment.objects.order_by("start", "pk"))
    day = start.astimezone(UTC).date()
    midnight = datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC)

    def expected(keep) -> list[str]:
        return [str(a.pk) for a in rows if keep(a.start)]

    cases = {
        f"eq{z(start)}": expected(lambda s: s == start),
        f"gt{z(start)}": expected(lambda s: s > start),
        f"le{z(start)}": expected(lambda s: s <= start),
        f"eq{day}": expected(lambda s: s.astimezone(UTC).date() == day),
        f"gt{day}": expected(lambda s: s >= midnight),
        f"le{day}": expected(lambda s: s < midnight),
    }
    for value, wanted in cases.items():
        assert ids(admin_api, f"/fhir/Appointment?date={value}&_count=100") == wanted, value
    assert cases[f"eq{z(start)}"] == [str(clinic.visit.pk)]
    assert cases[f"gt{z(start)}"] and cases[f"le{z(start)}"]


def test_birthdate_prefixes_gt_le_eq(clinic, admin_api):
    clinic.patient.date_of_birth = date(1980, 5, 17)
    clinic.patient.save()
    clinic.other_patient.date_of_birth = date(1990, 1, 1)
    clinic.other_patient.save()
    mine, other = str(clinic.patient.pk), str(clinic.other_patient.pk)

    for value, wanted in {
        "eq1980-05-17": [mine],
        "eq1980": [mine],
        "gt1980-05-17": [other],
        "gt1980": [other],
        "le1980-05-17": [mine],
        "le1980-05-16": [],
        "le1989": [mine],
        "eq1990-01": [other],
    }.items():
        assert ids(admin_api, f"/fhir/Patient?birthdate={value}") == wanted, value


def test_slot_start_prefixes_gt_le_eq(settings, clinic, admin_api):
    settings.CLINIC_TIME_ZONE = "UTC"
    schedule = f"schedule=Schedule/{clinic.doctor.pk}&_count=100"
    first = admin_api.get(f"/fhir/Slot?{schedule}&start=ge{timezone.now().date() + timedelta(days=1)}").json()
    first_start = datetime.fromisoformat(first["entry"][0]["resource"]["start"])
    day = first_start.astimezone(UTC).date()
    week = admin_api.get(f"/fhir/Slot?{schedule}&start=ge{day}&start=lt{day + timedelta(days=7)}").json()
    by_day: dict[date, list[str]] = {}
    for entry in week["entry"]:
        by_day.setdefault(datetime.fromisoformat(entry["resource"]["start"]).astimezone(UTC).date(), []).append(
            entry["resource"]["id"]
        )
    later_days = sorted(d for d in by_day if d > day)

    assert ids(admin_api, f"/fhir/Slot?{schedule}&start=eq{day}") == by_day[day]
    assert ids(admin_api, f"/fhir/Slot?{schedule}&start=ge{day}&start=le{day}") == by_day[day]
    assert ids(admin_api, f"/fhir/Slot?{schedule}&start=gt{day}&start=le{later_days[0]}") == by_day[later_days[0]]
    assert ids(admin_api, f"/fhir/Slot?{schedule}&start=gt{z(first_start)}&start=le{day}") == by_day[day][1:]
    assert ids(admin_api, f"/fhir/Slot?{schedule}&start=ge{day}&start=le{z(first_start)}") == by_day[day][:1]
