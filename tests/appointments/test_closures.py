"""Clinic closures: a day the whole clinic is shut, over booked visits refused or cancelled."""

from datetime import date, datetime, time

import pytest

from appointments.models import Status
from doctors.models import ClinicClosure
from tests.appointments.absences_support import at, statuses
from tests.factories import AppointmentFactory, DoctorFactory, PatientFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("the_week_before")]


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
