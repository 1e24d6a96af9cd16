"""Reads of appointments, scoped by who asks."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Prefetch, QuerySet, Value, When
from django.utils import timezone

from accounts.models import User
from appointments.models import ACTIVE_STATUSES, Appointment, AppointmentEvent
from doctors.models import Doctor
from patients.models import Patient


def with_doctor_and_patient(queryset: QuerySet) -> QuerySet:
    """Rows with a `doctor` and a `patient` (appointments, prescriptions), ready for the brief
    doctor and patient serializers: one query each for the whole page, whatever its size.

    Prefetched rather than joined so that the page query reads its own table alone, in index
    order: joined, SQLite's planner started from the small doctors table and sorted every
    appointment to return the first 20 (2 s at 100,000 rows)."""
    return queryset.prefetch_related(
        Prefetch("doctor", queryset=Doctor.objects.select_related("user", "specialization")),
        Prefetch("patient", queryset=Patient.objects.select_related("user")),
    )


def appointment_list_for_user(*, user: User) -> QuerySet[Appointment]:
    """Admins see all; a doctor the appointments in their schedule; a patient their own."""
    appointments = with_doctor_and_patient(Appointment.objects.all())
    if not user.is_authenticated:
        return appointments.none()
    if user.is_admin:
        return appointments
    if user.is_doctor:
        return appointments.filter(doctor__user=user)
    if user.is_patient:
        return appointments.filter(patient__user=user)
    return appointments.none()


def own_appointments_upcoming_first(*, user: User, now: datetime | None = None) -> QuerySet[Appointment]:
    """The caller's own appointments (a patient's, a doctor's schedule, the ones an admin booked):
    upcoming ones soonest first, then past ones latest first."""
    now = now or timezone.now()
    upcoming = When(start__gte=now, then=Value(0))
    own = appointment_list_for_user(user=user)
    if user.is_authenticated and user.is_admin:
        own = own.filter(created_by=user)
    return own.order_by(
        Case(upcoming, default=Value(1), output_field=IntegerField()),
        Case(When(start__gte=now, then="start")).asc(nulls_last=True),
        "-start",
        "pk",
    )


def events_of(*, appointment: Appointment) -> QuerySet[AppointmentEvent]:
    return AppointmentEvent.objects.filter(appointment=appointment).select_related("actor").order_by("at", "id")


def ics_sequence(*, appointment: Appointment) -> int:
    """The iCalendar SEQUENCE: how many changes the appointment had after it was booked."""
    return max(AppointmentEvent.objects.filter(appointment=appointment).count() - 1, 0)


def calendar_feed_rows(*, doctor, now: datetime | None = None) -> list[tuple[Appointment, int]]:
    """The doctor's active appointments from 30 days back to the booking horizon, each with its
    SEQUENCE, in one query."""
    now = now or timezone.now()
    appointments = (
        Appointment.objects.filter(
            doctor=doctor,
            status__in=ACTIVE_STATUSES,
            start__gte=now - timedelta(days=30),
            start__lte=now + timedelta(days=settings.BOOKING_HORIZON_DAYS),
        )
        .select_related("doctor", "patient__user")
        .annotate(changes=Count("events"))
        .order_by("start")
    )
    return [(appointment, max(appointment.changes - 1, 0)) for appointment in appointments]


# Registered with doctors.availability and patients.selectors in AppConfig.ready().


def busy_rows(doctor_ids, start: datetime, end: datetime):
    """Active appointments of these doctors overlapping [start, end): their time is taken."""
    return Appointment.objects.filter(
        doctor_id__in=doctor_ids, status__in=ACTIVE_STATUSES, start__lt=end, end__gt=start
    ).values_list("doctor_id", "start", "end")


def patient_ids_with_appointments(doctor_id: int) -> QuerySet:
    """Patients who have (or had) an appointment with this doctor: the doctor may see them."""
    return Appointment.objects.filter(doctor_id=doctor_id).values("patient_id")
