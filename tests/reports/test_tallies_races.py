"""The summary's tallies under concurrent writes, each request on its own connection (SQLite file
and PostgreSQL): changes to one patient's visits at once leave their first visit right, and an
absence that cancels many visits while the desk steps one of them neither deadlocks nor
miscounts."""

from datetime import UTC, datetime, time, timedelta

import pytest

from appointments.models import Appointment, FirstVisit, Status
from reports.selectors import ReportScope, summary_figures
from tests.appointments.test_concurrency import EVERY_DAY, race
from tests.conftest import TokenClient
from tests.factories import AppointmentFactory, DoctorFactory, PatientFactory, UserFactory
from tests.reports.test_tallies import direct_summary

pytestmark = pytest.mark.django_db(transaction=True)

# A week ahead of the real clock (bookings go through the booking rules: notice, horizon).
DAY = datetime.combine(datetime.now(UTC).date() + timedelta(days=7), time(0), tzinfo=UTC)


def first_active_start(patient):
    return (
        Appointment.objects.filter(patient=patient)
        .exclude(status=Status.CANCELLED)
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )


def test_concurrent_cancels_and_a_booking_leave_the_first_visit_right():
    admin = UserFactory(admin=True)
    doctors = [DoctorFactory(weekly_hours=EVERY_DAY) for _ in range(3)]
    for round_number in range(4):
        patient = PatientFactory()
        day = DAY + timedelta(days=round_number)
        visits = [
            AppointmentFactory(doctor=doctor, patient=patient, start=day + timedelta(hours=9 + n))
            for n, doctor in enumerate(doctors[:2])
        ]

        def cancel(visit):
            return lambda: TokenClient(admin).post(f"/api/appointments/{visit.pk}/cancel/", {"reason": "Ill"})

        def book(patient=patient, day=day):
            body = {"doctor": doctors[2].pk, "patient": patient.pk, "start": (day + timedelta(hours=12)).isoformat()}
            return TokenClient(admin).post("/api/appointments/", body, format="json")

        results = race([cancel(visits[0]), cancel(visits[1]), book])
        assert sorted(response.status_code for response in results) == [200, 200, 201], [r.content for r in results]
        assert FirstVisit.objects.get(patient=patient).start == first_active_start(patient) == day + timedelta(hours=12)


def test_an_absence_cancelling_visits_while_the_desk_steps_them_does_not_deadlock():
    admin = UserFactory(admin=True)
    desk = UserFactory(receptionist=True)
    doctor = DoctorFactory(weekly_hours=EVERY_DAY)
    for round_number in range(6):
        day = DAY + timedelta(days=10 + round_number)
        visits = [AppointmentFactory(doctor=doctor, start=day + timedelta(hours=8 + n)) for n in range(4)]

        def absence(day=day):
            body = {
                "start": datetime.combine(day.date(), time(0), tzinfo=UTC).isoformat(),
                "end": datetime.combine(day.date(), time(23), tzinfo=UTC).isoformat(),
                "reason": "Ill",
                "on_conflict": "cancel",
            }
            return TokenClient(admin).post(f"/api/doctors/{doctor.pk}/time-off/", body, format="json")

        def confirm(visit):
            return lambda: TokenClient(desk).post(f"/api/appointments/{visit.pk}/confirm/", {})

        results = race([absence, *(confirm(visit) for visit in reversed(visits))])
        assert results[0].status_code == 201, results[0].content
        for response in results[1:]:
            # Confirmed before the absence took it, or refused after: never a deadlock's 409.
            assert response.status_code == 200 or response.json()["code"] == "invalid_transition", response.content
        assert set(Appointment.objects.filter(pk__in=[v.pk for v in visits]).values_list("status", flat=True)) == {
            Status.CANCELLED
        }
    scope = ReportScope(date_from=DAY.date(), date_to=(DAY + timedelta(days=20)).date())
    assert summary_figures(scope) == direct_summary(scope)
    assert summary_figures(scope)["by_status"]["cancelled"] == 24
