"""The database itself refuses overlapping active appointments, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from appointments.models import Appointment, Status
from tests.factories import AppointmentFactory, DoctorFactory, PatientFactory, VisitTypeFactory

NINE = datetime(2031, 2, 3, 9, 0, tzinfo=UTC)
NAMES = {"doctor": "appointments_doctor_blocked_no_overlap", "patient": "appointments_patient_no_overlap"}


def raw_insert(**fields):
    """Bypass every Python check: only the database stands in the way."""
    fields.setdefault("doctor", DoctorFactory())
    fields.setdefault("patient", PatientFactory())
    base = AppointmentFactory.build(**fields)
    with transaction.atomic():
        Appointment.objects.bulk_create([base])


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["doctor", "patient"])
def test_an_overlapping_active_row_is_refused_by_the_database(who):
    first = AppointmentFactory(start=NINE)
    shared = {who: getattr(first, who)}
    other = {"doctor": DoctorFactory(), "patient": PatientFactory()}
    other.pop(who)

    with pytest.raises(IntegrityError, match=NAMES[who]):
        raw_insert(start=NINE + timedelta(minutes=15), **shared, **other)


@pytest.mark.django_db
def test_an_update_that_moves_a_row_onto_another_is_refused():
    first = AppointmentFactory(start=NINE)
    second = AppointmentFactory(doctor=first.doctor, start=NINE + timedelta(hours=2))

    with pytest.raises(IntegrityError, match=NAMES["doctor"]), transaction.atomic():
        Appointment.objects.filter(pk=second.pk).update(
            start=NINE, end=NINE + timedelta(minutes=30), blocked_start=NINE, blocked_end=NINE + timedelta(minutes=30)
        )


@pytest.mark.django_db
def test_two_visits_whose_buffers_overlap_cannot_both_be_active():
    procedure = VisitTypeFactory(name="Procedure", duration_minutes=60, buffer_after_minutes=15)
    quick = VisitTypeFactory(name="Quick look", duration_minutes=15)
    first = AppointmentFactory(visit_type=procedure, start=NINE)  # 09:00-10:00, the doctor's until 10:15

    with pytest.raises(IntegrityError, match=NAMES["doctor"]):
        raw_insert(doctor=first.doctor, visit_type=quick, start=NINE + timedelta(minutes=65))
    raw_insert(doctor=first.doctor, visit_type=quick, start=NINE + timedelta(minutes=75))  # from 10:15: fine

    assert Appointment.objects.filter(doctor=first.doctor).count() == 2


@pytest.mark.django_db
def test_buffers_are_the_doctors_time_not_the_patients():
    procedure = VisitTypeFactory(name="Procedure", duration_minutes=60, buffer_after_minutes=15)
    first = AppointmentFactory(visit_type=procedure, start=NINE)

    # The same patient with another doctor at 10:00, inside the first visit's clear-up time.
    raw_insert(patient=first.patient, start=NINE + timedelta(hours=1))

    assert Appointment.objects.filter(patient=first.patient).count() == 2


@pytest.mark.django_db
def test_the_blocked_time_always_holds_the_visit():
    with pytest.raises(IntegrityError, match="appointments_blocked_holds_visit"):
        raw_insert(start=NINE, blocked_start=NINE + timedelta(minutes=5), blocked_end=NINE + timedelta(minutes=30))


@pytest.mark.django_db
def test_back_to_back_and_inactive_rows_may_share_time():
    first = AppointmentFactory(start=NINE)

    raw_insert(doctor=first.doctor, start=NINE + timedelta(minutes=30))
    for status in (Status.CANCELLED, Status.NO_SHOW, Status.COMPLETED):
        raw_insert(doctor=first.doctor, start=NINE, status=status, cancelled_at=NINE)

    assert Appointment.objects.filter(doctor=first.doctor).count() == 5


@pytest.mark.django_db
def test_reactivating_a_cancelled_row_into_taken_time_is_refused():
    first = AppointmentFactory(start=NINE)
    cancelled = AppointmentFactory(doctor=first.doctor, start=NINE, status=Status.CANCELLED)

    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.filter(pk=cancelled.pk).update(status=Status.SCHEDULED)


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_sqlite_triggers_survive_a_table_rebuild():
    # SQLite drops a table's triggers when Django rebuilds it for an ALTER; they must come back.
    with connection.schema_editor() as editor:
        editor._remake_table(Appointment)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'appointments_appointment'"
        )
        triggers = {row[0] for row in cursor.fetchall()}
    first = AppointmentFactory(start=NINE)

    assert triggers == {
        "appointments_doctor_blocked_no_overlap_insert",
        "appointments_doctor_blocked_no_overlap_update",
        "appointments_patient_no_overlap_insert",
        "appointments_patient_no_overlap_update",
    }
    with pytest.raises(IntegrityError):
        raw_insert(doctor=first.doctor, start=NINE)


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_has_the_exclusion_constraints():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE contype = 'x' AND conrelid = 'appointments_appointment'::regclass"
        )
        names = {row[0] for row in cursor.fetchall()}

    assert names == {"appointments_doctor_blocked_no_overlap", "appointments_patient_no_overlap"}


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "code"), [("doctor", "doctor_busy"), ("patient", "patient_busy")])
def test_when_only_the_database_catches_the_clash_the_api_still_answers_409(monkeypatch, client_for, who, code):
    """A race lost after the Python check looks like this: the insert itself is refused."""
    from appointments.constraints import NoOverlapConstraint

    # No Python check runs before the insert any more (services.common.save_checked); switching
    # the constraint's own validate() off shows that nothing else stands in for the database.
    monkeypatch.setattr(NoOverlapConstraint, "validate", lambda *args, **kwargs: None)
    doctor = DoctorFactory(weekly_hours=[(day, time(0), time(23, 30)) for day in range(7)])
    patient = PatientFactory()
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    taken = AppointmentFactory(start=start, **({"doctor": doctor} if who == "doctor" else {"patient": patient}))
    assert taken.status == Status.SCHEDULED

    response = client_for(patient.user).post(
        "/api/appointments/", {"doctor": doctor.pk, "start": start.isoformat()}, format="json"
    )

    assert response.status_code == 409
    assert response.data["code"] == code
    assert Appointment.objects.count() == 1
