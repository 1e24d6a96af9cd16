"""The visit-type data migration runs forward (every doctor gets a default visit type as long as
their slots; every appointment becomes one, blocking exactly its own time) and backward."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("appointments", "0003_doctor_active_index"), ("doctors", "0002_doctor_calendar_token_hash")]
AFTER = [("appointments", "0006_blocked_time_no_overlap")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_doctors_and_appointments_get_a_default_visit_type_and_back():
    old = migrate(BEFORE)
    try:
        User = old.get_model("accounts", "User")
        Specialization = old.get_model("doctors", "Specialization")
        Doctor = old.get_model("doctors", "Doctor")
        Patient = old.get_model("patients", "Patient")
        Appointment = old.get_model("appointments", "Appointment")
        specialization = Specialization.objects.create(name="GP")
        doctors = [
            Doctor.objects.create(
                user=User.objects.create(username=f"doc{number}", role="doctor"),
                specialization=specialization,
                licence_number=f"L{number}",
                consultation_fee=50,
                slot_minutes=minutes,
            )
            for number, minutes in enumerate((20, 30, 30))
        ]
        patient = Patient.objects.create(user=User.objects.create(username="pat"))
        start = datetime(2031, 1, 6, 9, 0, tzinfo=UTC)
        for number, doctor in enumerate(doctors):
            Appointment.objects.create(
                doctor=doctor,
                patient=patient,
                start=start + timedelta(hours=number),
                end=start + timedelta(hours=number, minutes=doctor.slot_minutes),
                fee=50,
                created_by=patient.user,
            )

        new = migrate(AFTER)

        VisitType = new.get_model("doctors", "VisitType")
        Offering = new.get_model("doctors", "DoctorVisitType")
        Migrated = new.get_model("appointments", "Appointment")
        assert sorted(
            VisitType.objects.values_list("name", "duration_minutes", "buffer_before_minutes", "buffer_after_minutes")
        ) == [
            ("Standard visit (20 min)", 20, 0, 0),
            ("Standard visit (30 min)", 30, 0, 0),
        ]
        assert Offering.objects.filter(is_default=True).count() == 3
        for appointment in Migrated.objects.select_related("doctor", "visit_type"):
            assert appointment.visit_type.duration_minutes == appointment.doctor.slot_minutes
            assert (appointment.blocked_start, appointment.blocked_end) == (appointment.start, appointment.end)

        back = migrate(BEFORE)
        assert back.get_model("appointments", "Appointment").objects.count() == 3
        assert "visit_type" not in {f.name for f in back.get_model("appointments", "Appointment")._meta.fields}
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
