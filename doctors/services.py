"""Writes to doctors, their weekly hours, visit types and time off. Keyword-only, one
transaction each.

What can take booked time away (new time off, a date's override, a clinic closure) is written by
appointments.services.absences: it must refuse, or cancel, the appointments in the way, which
this app knows nothing of."""

import secrets
from collections import defaultdict
from itertools import chain, count

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from accounts import services as account_services
from accounts.models import Role
from config.errors import Conflict, DomainError
from config.services import model_update
from doctors import schedule
from doctors.models import (
    ClinicClosure,
    Doctor,
    DoctorVisitType,
    TimeOff,
    VisitType,
    Weekday,
    WorkingHours,
    hash_calendar_token,
)

STANDARD_VISIT = "Standard visit ({minutes} min)"


@transaction.atomic
def doctor_create(*, account: dict, working_hours: list[dict] | None = None, **profile) -> Doctor:
    """Create the doctor's user account (role doctor) and profile together, or neither. The
    doctor offers, as their default, a standard visit as long as their slots (standard_visit_for)."""
    user = account_services.user_create(role=Role.DOCTOR, **account)
    doctor = Doctor(user=user, **profile)
    doctor.full_clean()
    doctor.save()
    if working_hours:
        working_hours_replace(doctor=doctor, periods=working_hours)
    DoctorVisitType.objects.create(doctor=doctor, visit_type=standard_visit_for(doctor), is_default=True)
    return doctor


def standard_visit_for(doctor: Doctor) -> VisitType:
    """A visit type that can be this doctor's default: in use, as long as their slots, without
    buffers or a fee of its own, bookable online, open to their specialization (or to any). The
    first such one (the standard visit's name first), else a new one."""
    minutes = doctor.slot_minutes
    standard = STANDARD_VISIT.format(minutes=minutes)
    fitting = VisitType.objects.filter(
        Q(specializations=None) | Q(specializations=doctor.specialization_id),
        is_active=True,
        bookable_online=True,
        duration_minutes=minutes,
        buffer_before_minutes=0,
        buffer_after_minutes=0,
        fee__isnull=True,
    ).order_by("pk")
    found = fitting.filter(name__iexact=standard).first() or fitting.first()
    if found is not None:
        return found
    # The standard name may belong to a visit type that no longer fits (retired, given buffers):
    # "Standard visit (20 min, 2)".
    names = VisitType.objects.filter(name__istartswith=standard[:-1]).values_list("name", flat=True)
    taken = {name.lower() for name in names}
    candidates = chain([standard], (f"{standard[:-1]}, {number})" for number in count(2)))
    name = next(candidate for candidate in candidates if candidate.lower() not in taken)
    return visit_type_create(name=name, duration_minutes=minutes)


@transaction.atomic
def doctor_update(*, doctor: Doctor, **fields) -> Doctor:
    """Change profile fields (Doctor.EDITABLE_FIELDS); raises ValidationError for a bad value."""
    model_update(instance=doctor, fields=Doctor.EDITABLE_FIELDS, data=fields)
    return doctor


@transaction.atomic
def doctor_deactivate(*, doctor: Doctor) -> Doctor:
    """The doctor leaves: not listed, not bookable, cannot log in; every record stays."""
    account_services.user_deactivate(user=doctor.user)
    return doctor


def working_hours_overlaps(periods: list[dict]) -> list[str]:
    """One message per pair of periods of one weekday that overlap (empty when none do)."""
    by_day = defaultdict(list)
    for period in periods:
        by_day[period["weekday"]].append(period)
    return [
        f"{Weekday(weekday).label}: {message}"
        for weekday, day_periods in sorted(by_day.items())
        for message in schedule.period_overlaps(day_periods)
    ]


@transaction.atomic
def working_hours_replace(*, doctor: Doctor, periods: list[dict]) -> list[WorkingHours]:
    """Replace the whole weekly schedule at once; raises ValidationError when periods of one
    weekday overlap or a period is invalid.

    Booked appointments are kept even when the new hours no longer cover them."""
    rows = [WorkingHours(doctor=doctor, **period) for period in periods]
    for row in rows:
        row.full_clean(exclude=["doctor"], validate_unique=False, validate_constraints=False)
    errors = working_hours_overlaps(periods)
    if errors:
        raise ValidationError(errors)
    WorkingHours.objects.filter(doctor=doctor).delete()
    return WorkingHours.objects.bulk_create(rows)


# --- Visit types -------------------------------------------------------------------------------------

VISIT_TYPE_FIELDS = (
    "name",
    "description",
    "duration_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "fee",
    "bookable_online",
    "is_active",
)


@transaction.atomic
def visit_type_create(*, specializations=(), **fields) -> VisitType:
    """A new kind of visit; raises ValidationError for a taken name or a value out of range."""
    visit_type = VisitType(**fields)
    visit_type.full_clean()
    visit_type.save()
    visit_type.specializations.set(specializations)
    return visit_type


@transaction.atomic
def visit_type_update(*, visit_type: VisitType, specializations=None, **fields) -> VisitType:
    """Change a visit type. Booked visits keep the length, buffers and fee they were booked with.
    Raises Conflict (409 in_use) when retiring one that is a doctor's default
    (visit_type_retire_refusal)."""
    if fields.get("is_active") is False:
        # Locked: a doctor cannot make it their default meanwhile (doctor_visit_types_replace).
        visit_type = VisitType.objects.select_for_update().get(pk=visit_type.pk)
        if refusal := visit_type_retire_refusal(visit_type=visit_type):
            raise refusal
    model_update(instance=visit_type, fields=VISIT_TYPE_FIELDS, data=fields)
    if specializations is not None:
        visit_type.specializations.set(specializations)
    return visit_type


def visit_type_retire_refusal(*, visit_type: VisitType) -> Conflict | None:
    """None when the visit type may be retired, else the Conflict (409 in_use) saying why: it is
    some doctor's default, and a booking that names no visit type would find none."""
    defaults = visit_type.offerings.filter(is_default=True).count()
    if not defaults:
        return None
    return Conflict(
        f"{visit_type.name} is the default visit type of {defaults} doctor(s); give them another default "
        "first (doctors/{id}/visit-types/), then retire it.",
        code="in_use",
    )


@transaction.atomic
def visit_type_delete(*, visit_type: VisitType) -> None:
    """Delete a visit type nobody offers and no appointment was booked with. Raises Conflict (409
    in_use) otherwise: retire it with is_active=false instead."""
    visit_type = VisitType.objects.select_for_update().get(pk=visit_type.pk)
    doctors = visit_type.offerings.count()
    # The appointments app's rows, read through the reverse relation (this app cannot import it).
    booked = visit_type.appointments.count()
    if doctors or booked:
        raise Conflict(
            f"{visit_type.name} is offered by {doctors} doctor(s) and was booked for {booked} appointment(s), "
            "so it cannot be deleted; retire it with is_active=false instead.",
            code="in_use",
        )
    visit_type.delete()


def offering_problems(*, doctor: Doctor, offerings: list[dict]) -> list[str]:
    """What is wrong with a set of offerings ([{visit_type, is_default}]) for this doctor: none
    at all, not exactly one default, a visit type twice, one retired, or one of another specialty
    (a visit type with no specializations fits any). Empty when the set is fine."""
    if not offerings:
        return ["Offer at least one visit type."]
    problems = []
    defaults = sum(1 for offering in offerings if offering.get("is_default"))
    if defaults != 1:
        problems.append(f"Mark exactly one visit type as the default; {defaults} are.")
    visit_types = [offering["visit_type"] for offering in offerings]
    if len({visit_type.pk for visit_type in visit_types}) != len(visit_types):
        problems.append("Each visit type may be listed once.")
    for visit_type in visit_types:
        if not visit_type.is_active:
            problems.append(f"{visit_type.name} is no longer offered by the clinic.")
        allowed = set(visit_type.specializations.values_list("pk", flat=True))
        if allowed and doctor.specialization_id not in allowed:
            problems.append(f"{visit_type.name} is not a visit of {doctor.specialization.name}.")
    return problems


@transaction.atomic
def doctor_visit_types_replace(*, doctor: Doctor, offerings: list[dict]) -> list[DoctorVisitType]:
    """Replace the whole set of visit types a doctor offers; raises DomainError (400) with what is
    wrong with it (offering_problems). Booked visits keep their visit type."""
    # The visit types read again, locked: one being retired meanwhile is seen as retired.
    ids = sorted({offering["visit_type"].pk for offering in offerings})
    locked = VisitType.objects.select_for_update().filter(pk__in=ids).order_by("pk").in_bulk()
    offerings = [offering | {"visit_type": locked[offering["visit_type"].pk]} for offering in offerings]
    if problems := offering_problems(doctor=doctor, offerings=offerings):
        raise DomainError(" ".join(problems))
    DoctorVisitType.objects.filter(doctor=doctor).delete()
    return DoctorVisitType.objects.bulk_create(
        DoctorVisitType(doctor=doctor, visit_type=offering["visit_type"], is_default=bool(offering.get("is_default")))
        for offering in offerings
    )


# --- Time off and closures ---------------------------------------------------------------------------


@transaction.atomic
def time_off_delete(*, time_off: TimeOff) -> None:
    """Give the period back: its time becomes bookable again."""
    time_off.delete()


@transaction.atomic
def clinic_closure_delete(*, closure: ClinicClosure) -> None:
    """Reopen: the days become working days again for everyone."""
    closure.delete()


@transaction.atomic
def calendar_token_rotate(*, doctor: Doctor) -> str:
    """A new secret for the doctor's calendar feed; the old feed URL stops working at once.

    Only a hash is stored, so the token is returned here and never shown again."""
    token = secrets.token_urlsafe(32)
    doctor.calendar_token_hash = hash_calendar_token(token)
    doctor.save(update_fields=["calendar_token_hash", "updated_at"])
    return token
