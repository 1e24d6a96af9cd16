"""Report figures against hand-computed expectations on a small fixed data set.

March 2031 (clinic zone UTC). Doctor A (cardiology) works Monday to Friday 09:00-12:00 and took
one whole morning off; doctor B (dermatology) works Mondays 13:00-17:00; doctor C has no hours.
A's fee was 100 when the first four visits were booked and 150 after.
"""

from datetime import date, datetime, time

import pytest

from appointments.models import Status
from doctors.models import ClinicClosure, ScheduleOverride
from tests.factories import (
    AppointmentFactory,
    VisitTypeFactory,
)
from tests.reports.support import MARCH, at

pytestmark = pytest.mark.django_db


# --- Summary ---------------------------------------------------------------------------------------


def test_summary_for_the_whole_clinic(admin_api, clinic):
    response = admin_api.get("/api/reports/summary/", MARCH)

    assert response.status_code == 200
    assert response.data == {
        "date_from": "2031-03-01",
        "date_to": "2031-03-31",
        "appointments": 6,
        "by_status": {"scheduled": 1, "confirmed": 0, "checked_in": 0, "completed": 3, "cancelled": 1, "no_show": 1},
        "completion_rate": 0.5,
        "cancellation_rate": 0.1667,
        "no_show_rate": 0.1667,
        "new_patients": 2,  # P1 and P2; P3 first came in February, P4 in April
        "revenue": {"consultations": "250.00", "treatments": "50.00", "total": "300.00"},
    }


@pytest.mark.parametrize("how", ["doctor", "specialization_id", "specialization_name"])
def test_summary_for_one_doctor_or_specialization(admin_api, clinic, how):
    params = {
        "doctor": {"doctor": clinic["a"].pk},
        "specialization_id": {"specialization": clinic["cardio"].pk},
        "specialization_name": {"specialization": "cardiology"},
    }[how]

    data = admin_api.get("/api/reports/summary/", MARCH | params).data

    assert data["appointments"] == 5
    assert data["by_status"]["completed"] == 2
    assert data["new_patients"] == 3  # with doctor A, P3's first (the no-show) is in March
    assert data["revenue"] == {"consultations": "200.00", "treatments": "20.00", "total": "220.00"}


def test_the_default_range_is_the_last_30_days(admin_api):
    from django.utils import timezone

    data = admin_api.get("/api/reports/summary/").data
    today = timezone.localdate()

    assert data["date_to"] == today.isoformat()
    assert (today - datetime.fromisoformat(data["date_from"]).date()).days == 29


# --- Doctors -------------------------------------------------------------------------------------


def test_doctors_report(admin_api, clinic):
    rows = {row["doctor"]["id"]: row for row in admin_api.get("/api/reports/doctors/", MARCH).data}
    a, b, c = rows[clinic["a"].pk], rows[clinic["b"].pk], rows[clinic["c"].pk]

    assert (a["appointments"], a["distinct_patients"]) == (5, 3)
    assert a["by_status"] == {
        "scheduled": 1,
        "confirmed": 0,
        "checked_in": 0,
        "completed": 2,
        "cancelled": 1,
        "no_show": 1,
    }
    assert a["revenue"] == {"consultations": "200.00", "treatments": "20.00", "total": "220.00"}
    # 21 weekdays x 180 minutes, less one morning off; booked: four 30-minute visits not cancelled
    assert (a["booked_minutes"], a["available_minutes"], a["utilisation"]) == (120, 3600, 0.0333)
    assert b["revenue"] == {"consultations": "50.00", "treatments": "30.00", "total": "80.00"}
    assert (b["booked_minutes"], b["available_minutes"], b["utilisation"]) == (30, 1200, 0.025)
    assert (c["appointments"], c["available_minutes"], c["utilisation"]) == (0, 0, None)


def test_utilisation_reads_overrides_and_closures_and_booked_minutes_leave_buffers_out(admin_api, clinic):
    a = clinic["a"]
    saturday = ScheduleOverride.objects.create(doctor=a, date=date(2031, 3, 29))
    saturday.periods.create(start_time=time(9), end_time=time(11))  # an extra Saturday: +120
    ScheduleOverride.objects.create(doctor=a, date=date(2031, 3, 17), closed=True)  # a Monday off: -180
    ClinicClosure.objects.create(name="Holiday", start_date=date(2031, 3, 18), end_date=date(2031, 3, 18))  # -180
    procedure = VisitTypeFactory(name="Procedure", duration_minutes=60, buffer_after_minutes=15)
    AppointmentFactory(doctor=a, visit_type=procedure, start=at(25, 9), status=Status.COMPLETED)

    row = next(row for row in admin_api.get("/api/reports/doctors/", MARCH).data if row["doctor"]["id"] == a.pk)

    assert row["available_minutes"] == 3600 + 120 - 180 - 180
    assert row["booked_minutes"] == 120 + 60  # the procedure's visit, not its clear-up time


# --- Revenue --------------------------------------------------------------------------------------


def totals(rows, key):
    return {key(row): row["total"] for row in rows if row["total"] != "0.00"}


def test_revenue_by_day_has_every_day_of_the_range(admin_api, clinic):
    rows = admin_api.get("/api/reports/revenue/", MARCH | {"group_by": "day"}).data

    assert len(rows) == 31
    assert totals(rows, lambda r: r["period"]) == {
        "2031-03-03": "120.00",
        "2031-03-04": "100.00",
        "2031-03-10": "80.00",
    }
    assert rows[2] == {
        "period": "2031-03-03",
        "completed_appointments": 1,
        "consultations": "100.00",
        "treatments": "20.00",
        "total": "120.00",
    }


def test_revenue_by_week_and_month(admin_api, clinic):
    weeks = admin_api.get("/api/reports/revenue/", MARCH | {"group_by": "week"}).data
    months = admin_api.get("/api/reports/revenue/", MARCH | {"group_by": "month"}).data

    assert [row["period"] for row in weeks] == [
        "2031-02-24",
        "2031-03-03",
        "2031-03-10",
        "2031-03-17",
        "2031-03-24",
        "2031-03-31",
    ]
    assert totals(weeks, lambda r: r["period"]) == {"2031-03-03": "220.00", "2031-03-10": "80.00"}
    assert months == [
        {
            "period": "2031-03-01",
            "completed_appointments": 3,
            "consultations": "250.00",
            "treatments": "50.00",
            "total": "300.00",
        }
    ]


def test_revenue_by_doctor_and_specialization(admin_api, clinic):
    doctors = admin_api.get("/api/reports/revenue/", MARCH | {"group_by": "doctor"}).data
    specializations = admin_api.get("/api/reports/revenue/", MARCH | {"group_by": "specialization"}).data

    assert totals(doctors, lambda r: r["doctor"]["id"]) == {clinic["a"].pk: "220.00", clinic["b"].pk: "80.00"}
    assert totals(specializations, lambda r: r["specialization"]["name"]) == {
        "Cardiology": "220.00",
        "Dermatology": "80.00",
    }


# --- One patient ------------------------------------------------------------------------------------


def test_a_patients_appointment_details(admin_api, clinic):
    data = admin_api.get(f"/api/reports/patients/{clinic['p1'].pk}/", MARCH).data

    assert [(row["start"][:10], row["status"]) for row in data["appointments"]] == [
        ("2031-03-03", "completed"),
        ("2031-03-05", "cancelled"),
        ("2031-03-10", "completed"),
    ]
    assert data["appointments"][2]["treatments"][0]["cost"] == "30.00"
    assert len(data["appointments"][2]["treatments"]) == 1  # not the one entered in error
    assert data["totals"]["appointments"] == 3
    assert (data["totals"]["consultations"], data["totals"]["treatments"], data["totals"]["total"]) == (
        "150.00",
        "50.00",
        "200.00",
    )
