"""The summary report reads daily tallies (appointments.tallies); these tests hold its figures
equal to a direct aggregate over the same appointments and treatments, after random bookings,
moves, lifecycle steps and treatment changes made through the services, in a clinic zone whose
days are not UTC's (Auckland: 09:00 there is 20:00 UTC the day before) and across its DST change.
Runs on SQLite and on PostgreSQL (`DATABASE_URL`), like the rest of the suite."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Count, Exists, OuterRef, Q, Sum

from accounts.models import User
from appointments import services, tallies
from appointments.models import Appointment, DayTally, FirstVisit, Status
from config.errors import DomainError
from reports.selectors import ReportScope, summary_figures
from reports.selectors.scope import STATUSES, ZERO, rate
from tests.factories import DoctorFactory, PatientFactory, SpecializationFactory, UserFactory
from treatments import services as treatment_services
from treatments.models import Treatment

pytestmark = pytest.mark.django_db

ZONE = "Pacific/Auckland"
FIRST_MONDAY = date(2030, 3, 25)  # Auckland's clocks go back on Sunday 2030-04-07


def direct_summary(scope: ReportScope) -> dict:
    """The figures straight from the appointments and treatments (the report before the tallies)."""
    counts = scope.appointments().aggregate(
        total=Count("id"),
        consultation=Sum("fee", filter=Q(status=Status.COMPLETED)),
        **{status: Count("id", filter=Q(status=status)) for status in STATUSES},
    )
    treatments = Treatment.objects.filter(appointment__in=scope.appointments(), status=Treatment.Status.RECORDED)
    treatment_revenue = treatments.aggregate(total=Sum("cost"))["total"] or ZERO
    earlier = (
        scope.all_appointments()
        .filter(patient_id=OuterRef("patient_id"), start__lt=scope.range_start)
        .exclude(status=Status.CANCELLED)
    )
    new_patients = (
        scope.appointments()
        .exclude(status=Status.CANCELLED)
        .filter(~Exists(earlier))
        .values("patient_id")
        .distinct()
        .count()
    )
    total, consultation = counts["total"], counts["consultation"] or ZERO
    return {
        "date_from": scope.date_from,
        "date_to": scope.date_to,
        "appointments": total,
        "by_status": {status: counts[status] for status in STATUSES},
        "completion_rate": rate(counts[Status.COMPLETED], total),
        "cancellation_rate": rate(counts[Status.CANCELLED], total),
        "no_show_rate": rate(counts[Status.NO_SHOW], total),
        "new_patients": new_patients,
        "revenue": {
            "consultations": consultation,
            "treatments": treatment_revenue,
            "total": consultation + treatment_revenue,
        },
    }


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(ZONE))


@pytest.fixture
def busy_clinic(settings):
    """Three weeks of a small clinic's life, every change through the services, at random."""
    settings.TIME_ZONE = settings.CLINIC_TIME_ZONE = ZONE
    rng = random.Random(2030)
    admin = UserFactory(admin=True)
    specializations = [SpecializationFactory(name="Cardiology"), SpecializationFactory(name="Dermatology")]
    doctors = [
        DoctorFactory(weekly_hours=True, specialization=specializations[n % 2], consultation_fee=Decimal(fee))
        for n, fee in enumerate(["100.00", "75.50", "120.25", "60.00"])
    ]
    patients = [PatientFactory() for _ in range(12)]
    days = [FIRST_MONDAY + timedelta(days=n) for n in range(21) if (FIRST_MONDAY + timedelta(days=n)).weekday() < 5]

    def some_start() -> datetime:
        return local(rng.choice(days), rng.choice([9, 10, 11, 13, 14, 15, 16]), rng.choice([0, 30]))

    def attempt(change, *args, **kwargs):
        try:
            return change(*args, **kwargs)
        except DomainError:  # a taken slot, a busy patient, a step out of order: life goes on
            return None

    booked = []
    with time_machine.travel(local(FIRST_MONDAY, 7) - timedelta(days=3), tick=False):
        for _ in range(70):
            appointment = attempt(
                services.appointment_book,
                actor=admin,
                doctor=rng.choice(doctors),
                patient=rng.choice(patients),
                start=some_start(),
            )
            if appointment:
                booked.append(appointment)
        for appointment in rng.sample(booked, 12):
            attempt(services.appointment_reschedule, actor=admin, appointment=appointment, start=some_start())
        for appointment in rng.sample(booked, 6):
            attempt(services.appointment_transition, actor=admin, appointment=appointment, action="cancelled", note="x")
    for day in days:
        with time_machine.travel(local(day, 18), tick=False):
            for appointment in Appointment.objects.filter(start__date=day).order_by("pk"):
                steps = rng.choice(
                    [["confirmed"], ["checked_in", "completed"], ["checked_in"], ["no_show"], ["cancelled"], []]
                )
                if "checked_in" in steps:  # confirmed, then checked in on the day before it starts
                    with time_machine.travel(appointment.start - timedelta(minutes=5), tick=False):
                        for step in ("confirmed", "checked_in"):
                            attempt(services.appointment_transition, actor=admin, appointment=appointment, action=step)
                    steps = steps[1:]
                for step in steps:
                    attempt(
                        services.appointment_transition, actor=admin, appointment=appointment, action=step, note="n"
                    )
            for appointment in Appointment.objects.filter(start__date=day, status=Status.COMPLETED):
                for _ in range(rng.randint(0, 2)):
                    treatment = treatment_services.treatment_create(
                        actor=admin,
                        appointment=appointment,
                        diagnosis="Check",
                        cost=Decimal(rng.randint(0, 9000)) / 100,
                    )
                    if rng.random() < 0.3:
                        treatment_services.treatment_update(
                            actor=admin, treatment=treatment, cost=Decimal(rng.randint(0, 500)) / 4
                        )
                    if rng.random() < 0.2:
                        treatment_services.treatment_update(
                            actor=admin, treatment=treatment, status="entered_in_error", error_reason="Wrong visit"
                        )
    return {"doctors": doctors, "specializations": specializations, "days": days, "rng": rng}


def scopes(clinic) -> list[ReportScope]:
    rng, days = clinic["rng"], clinic["days"]
    ranges = [(days[0], days[-1]), (days[0] - timedelta(days=30), days[-1] + timedelta(days=30))]
    ranges += [tuple(sorted(rng.sample(days, 2))) for _ in range(6)] + [(day, day) for day in rng.sample(days, 4)]
    result = []
    for first, last in ranges:
        result.append(ReportScope(date_from=first, date_to=last))
        result.append(ReportScope(date_from=first, date_to=last, doctor_id=rng.choice(clinic["doctors"]).pk))
        result.append(ReportScope(date_from=first, date_to=last, specialization=clinic["specializations"][1].name))
    return result


def test_the_summary_from_tallies_equals_a_direct_aggregate(busy_clinic):
    statuses = set(Appointment.objects.values_list("status", flat=True))
    assert statuses == set(STATUSES), "the random life reached every status"
    assert Treatment.objects.filter(status=Treatment.Status.ENTERED_IN_ERROR).exists()
    assert Appointment.objects.filter(events__action="rescheduled").exists()
    for scope in scopes(busy_clinic):
        assert summary_figures(scope) == direct_summary(scope), scope
    whole = ReportScope(date_from=busy_clinic["days"][0], date_to=busy_clinic["days"][-1])
    assert summary_figures(whole)["appointments"] > 40
    assert summary_figures(whole)["revenue"]["treatments"] > 0


def day_rows() -> list[tuple]:
    """The day rows that count something (a move leaves its old day's row at zero)."""
    rows = DayTally.objects.values_list("doctor_id", "day", *STATUSES, "consultation_cents", "treatment_cents")
    return sorted(row for row in rows if any(row[2:]))


def test_a_rebuild_gives_the_same_tallies_as_the_services_kept(busy_clinic):
    kept, firsts = day_rows(), sorted(FirstVisit.objects.values_list("patient_id", "start"))
    assert len(kept) > 20
    tallies.rebuild()
    assert kept == day_rows()
    assert firsts == sorted(FirstVisit.objects.values_list("patient_id", "start"))


def test_a_day_is_the_clinic_day_not_utc(settings):
    settings.TIME_ZONE = settings.CLINIC_TIME_ZONE = ZONE
    doctor = DoctorFactory(weekly_hours=True)
    admin = User.objects.create(username="a", role="admin", is_superuser=True)
    with time_machine.travel(local(FIRST_MONDAY, 7), tick=False):
        services.appointment_book(actor=admin, doctor=doctor, patient=PatientFactory(), start=local(FIRST_MONDAY, 9))
    # 09:00 in Auckland is 20:00 UTC on the Sunday before: the tally is Monday's.
    assert list(DayTally.objects.values_list("day", "scheduled")) == [(FIRST_MONDAY, 1)]
    monday = summary_figures(ReportScope(date_from=FIRST_MONDAY, date_to=FIRST_MONDAY))
    sunday = summary_figures(
        ReportScope(date_from=FIRST_MONDAY - timedelta(days=1), date_to=FIRST_MONDAY - timedelta(days=1))
    )
    assert (monday["appointments"], monday["new_patients"]) == (1, 1)
    assert (sunday["appointments"], sunday["new_patients"]) == (0, 0)


def test_the_command_checks_and_recounts(busy_clinic, capsys):
    from django.core.management import CommandError, call_command

    call_command("rebuild_tallies", "--check")
    assert "match" in capsys.readouterr().out
    Appointment.objects.filter(status=Status.COMPLETED).update(fee=Decimal("1.00"))  # a hand-written fix
    FirstVisit.objects.all().delete()
    with pytest.raises(CommandError, match="difference"):
        call_command("rebuild_tallies", "--check")
    assert "first visit stored None" in capsys.readouterr().out
    call_command("rebuild_tallies")
    call_command("rebuild_tallies", "--check")
    whole = ReportScope(date_from=busy_clinic["days"][0], date_to=busy_clinic["days"][-1])
    assert summary_figures(whole) == direct_summary(whole)
