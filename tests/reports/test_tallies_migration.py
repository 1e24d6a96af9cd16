"""The tallies' migration counts the appointments and treatments already there (a clinic
upgrading keeps true reports), and goes back."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.appointments.test_migrations import migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("appointments", "0006_blocked_time_no_overlap"), ("treatments", "0001_initial")]
AFTER = [("appointments", "0007_day_tallies")]


def test_existing_appointments_and_treatments_are_counted_and_back(settings):
    settings.TIME_ZONE = "America/New_York"  # 21:00 there is 02:00 UTC the next day
    old = migrate(BEFORE)
    try:
        User = old.get_model("accounts", "User")
        Doctor = old.get_model("doctors", "Doctor")
        VisitType = old.get_model("doctors", "VisitType")
        Patient = old.get_model("patients", "Patient")
        Appointment = old.get_model("appointments", "Appointment")
        Treatment = old.get_model("treatments", "Treatment")
        specialization = old.get_model("doctors", "Specialization").objects.create(name="GP")
        doctor = Doctor.objects.create(
            user=User.objects.create(username="doc", role="doctor"),
            specialization=specialization,
            licence_number="L1",
            consultation_fee=50,
        )
        visit = VisitType.objects.create(name="Visit", duration_minutes=30)
        patients = [Patient.objects.create(user=User.objects.create(username=f"pat{n}")) for n in range(3)]
        evening = datetime(2031, 1, 7, 2, 0, tzinfo=UTC)  # Monday 21:00 in New York
        rows = [
            (patients[0], evening, "completed", "50.25"),
            (patients[1], evening + timedelta(hours=1), "cancelled", "50.00"),
            (patients[1], evening + timedelta(days=1), "no_show", "40.00"),
            (patients[2], evening + timedelta(days=1, hours=1), "completed", "10.10"),
        ]
        made = []
        for patient, start, status, fee in rows:
            made.append(
                Appointment.objects.create(
                    doctor=doctor,
                    patient=patient,
                    visit_type=visit,
                    start=start,
                    end=start + timedelta(minutes=30),
                    blocked_start=start,
                    blocked_end=start + timedelta(minutes=30),
                    status=status,
                    fee=fee,
                    created_by=patient.user,
                    cancelled_at=start if status == "cancelled" else None,
                )
            )
        Treatment.objects.create(appointment=made[0], diagnosis="x", cost="12.50", created_by=doctor.user)
        Treatment.objects.create(
            appointment=made[0],
            diagnosis="y",
            cost="99",
            status="entered_in_error",
            error_reason="z",
            created_by=doctor.user,
        )

        new = migrate(AFTER)

        DayTally = new.get_model("appointments", "DayTally")
        FirstVisit = new.get_model("appointments", "FirstVisit")
        columns = ("day", "completed", "cancelled", "no_show", "scheduled", "consultation_cents", "treatment_cents")
        assert sorted(DayTally.objects.values_list(*columns)) == [
            (datetime(2031, 1, 6).date(), 1, 1, 0, 0, 5025, 1250),
            (datetime(2031, 1, 7).date(), 1, 0, 1, 0, 1010, 0),
        ]
        assert sorted(FirstVisit.objects.values_list("patient_id", "start")) == [
            (patients[0].pk, evening),
            (patients[1].pk, evening + timedelta(days=1)),  # the cancelled one is not a visit
            (patients[2].pk, evening + timedelta(days=1, hours=1)),
        ]
        migrate(BEFORE)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
