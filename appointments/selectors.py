"""Reads of appointments, scoped by who asks."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts.models import User
from accounts.selectors import everything, scope_by_role
from appointments import availability, policies
from appointments.models import ACTIVE_STATUSES, Appointment, AppointmentEvent
from doctors.models import Doctor, VisitType
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
    """Admins and the front desk see all (the front desk without the clinical notes); a doctor the
    appointments in their schedule; a patient their own."""
    return scope_by_role(
        with_doctor_and_patient(Appointment.objects.prefetch_related("visit_type")),
        user,
        receptionist=everything,
        doctor=lambda rows, doctor: rows.filter(doctor__user=doctor),
        patient=lambda rows, patient: rows.filter(patient__user=patient),
    )


# What the fast appointment lists write (appointments.serializers.appointment_rows).
OUTPUT_COLUMNS = (
    "id",
    "doctor_id",
    "doctor__user__first_name",
    "doctor__user__last_name",
    "doctor__specialization__name",
    "patient_id",
    "patient__user__first_name",
    "patient__user__last_name",
    "visit_type_id",
    "visit_type__name",
    "visit_type__duration_minutes",
    "visit_type__buffer_before_minutes",
    "visit_type__buffer_after_minutes",
    "start",
    "end",
    "blocked_start",
    "blocked_end",
    "status",
    "reason",
    "notes",
    "fee",
    "created_by_id",
    "created_at",
    "updated_at",
    "cancelled_by_id",
    "cancelled_at",
    "cancellation_reason",
)


def appointment_output_values(*, ids: list[int]) -> QuerySet:
    """A page's appointments (already scoped and cut by the list) with their doctors, patients and
    visit types, in one query. Joined here, by primary key, and not in the page query: there the
    planner could start from the small doctors table and sort every appointment to find a page."""
    return Appointment.objects.filter(pk__in=ids).order_by().values(*OUTPUT_COLUMNS)


def own_appointments_upcoming_first(*, user: User, now: datetime | None = None) -> QuerySet[Appointment]:
    """The caller's own appointments (a patient's, a doctor's schedule, the ones an admin booked):
    upcoming ones soonest first, then past ones latest first."""
    now = now or timezone.now()
    upcoming = When(start__gte=now, then=Value(0))
    own = appointment_list_for_user(user=user)
    if user.is_authenticated and user.is_staff:
        own = own.filter(created_by=user)
    return own.order_by(
        Case(upcoming, default=Value(1), output_field=IntegerField()),
        Case(When(start__gte=now, then="start")).asc(nulls_last=True),
        "-start",
        "pk",
    )


def events_of(*, appointment: Appointment) -> QuerySet[AppointmentEvent]:
    return AppointmentEvent.objects.filter(appointment=appointment).select_related("actor").order_by("at", "id")


def with_ics_sequence(appointments: QuerySet, *, up_to_event_id: int | None = None) -> QuerySet:
    """Annotates `ics_sequence`, the iCalendar SEQUENCE: how many changes each appointment had
    after it was booked, counting up to the given event (by default, all of them). Calendar apps
    replace the event they hold when the SEQUENCE rises."""
    counted = Q() if up_to_event_id is None else Q(events__pk__lte=up_to_event_id)
    return appointments.annotate(ics_sequence=Greatest(Count("events", filter=counted) - 1, 0))


def ics_sequence_of(*, appointment: Appointment) -> int:
    return with_ics_sequence(Appointment.objects.filter(pk=appointment.pk)).values_list("ics_sequence", flat=True).get()


def calendar_feed_rows(*, doctor: Doctor, now: datetime | None = None) -> QuerySet[Appointment]:
    """The doctor's active appointments from 30 days back to the booking horizon, each with its
    SEQUENCE, in one query."""
    now = now or timezone.now()
    appointments = Appointment.objects.filter(
        doctor=doctor,
        status__in=ACTIVE_STATUSES,
        start__gte=now - timedelta(days=30),
        start__lte=now + timedelta(days=settings.BOOKING_HORIZON_DAYS),
    ).select_related("doctor", "patient__user")
    return with_ics_sequence(appointments).order_by("start")


def free_slots_for_user(
    *, user: User, doctor: Doctor, visit_type: VisitType, first_day, last_day
) -> list[availability.Slot]:
    """The free slots `user` is shown (REST slots, FHIR Slot): a patient's own booked times left
    out, the front desk's window starting now rather than after the minimum notice."""
    return availability.free_slots(
        doctor=doctor,
        visit_type=visit_type,
        first_day=first_day,
        last_day=last_day,
        patient=getattr(user, "patient_profile", None) if user.is_patient else None,
        staff=policies.is_front_desk(user),
    )
