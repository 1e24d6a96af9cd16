"""The day sheet: one column per doctor with the day's appointments and the free gaps between
them, the gaps made of the free slots the API offers (availability.free_slots_of_doctors, the
code behind doctors/{id}/slots/), in a fixed number of queries whatever the number of doctors
and appointments."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from appointments import availability
from appointments.admin.actions import next_steps, step_url
from appointments.models import Appointment
from doctors import schedule
from doctors.models import Doctor, DoctorVisitType


@dataclass
class Gap:
    """Free time of a doctor: consecutive free starts of their default visit type."""

    start: datetime
    end: datetime
    starts: list[tuple[datetime, str]] = field(default_factory=list)  # (start, link to book it)


@dataclass
class Column:
    doctor: Doctor
    items: list = field(default_factory=list)  # Appointment and Gap, by start
    booked: int = 0


def gaps_of(slots: list[availability.Slot]) -> list[Gap]:
    """Free slots joined into gaps: a slot that starts before the previous one ends (or as it
    ends) belongs to the same gap."""
    gaps: list[Gap] = []
    for slot in slots:
        if gaps and slot.start <= gaps[-1].end:
            gaps[-1].end = max(gaps[-1].end, slot.end)
        else:
            gaps.append(Gap(slot.start, slot.end))
        gaps[-1].starts.append((slot.start, ""))
    return gaps


def day_sheet(*, day: date, user, now: datetime | None = None) -> list[Column]:
    """Every active doctor's column on `day` (a date of each doctor's zone)."""
    now = now or timezone.now()
    doctors = list(
        Doctor.objects.filter(user__is_active=True)
        .select_related("user", "specialization")
        .order_by("user__last_name", "user__first_name")
    )
    defaults = DoctorVisitType.objects.filter(doctor__in=doctors, is_default=True, visit_type__is_active=True)
    visit_types = {offering.doctor_id: offering.visit_type for offering in defaults.select_related("visit_type")}
    free = availability.free_slots_of_doctors(
        visit_types={doctor: visit_types[doctor.pk] for doctor in doctors if doctor.pk in visit_types},
        first_day=day,
        last_day=day,
        now=now,
        staff=True,
    )
    first, last = schedule.any_zone_bounds(day, day)
    booked = defaultdict(list)
    by_pk = {doctor.pk: doctor for doctor in doctors}
    rows = Appointment.objects.filter(doctor__in=doctors, start__gte=first, start__lte=last).select_related(
        "patient__user", "visit_type"
    )
    for appointment in rows.order_by("start"):
        appointment.doctor = by_pk[appointment.doctor_id]
        if appointment.start.astimezone(appointment.doctor.zone).date() == day:
            appointment.steps = next_steps(appointment, user=user, now=now)
            booked[appointment.doctor_id].append(appointment)
    add_url = reverse("admin:appointments_appointment_add")
    columns = []
    for doctor in doctors:
        gaps = gaps_of(free.get(doctor.pk, []))
        for gap in gaps:
            gap.starts = [
                (start, _book_link(add_url, doctor, visit_types[doctor.pk].pk, day, start)) for start, _ in gap.starts
            ]
        items = sorted([*booked[doctor.pk], *gaps], key=lambda item: item.start)
        columns.append(Column(doctor, items, len(booked[doctor.pk])))
    return columns


def _book_link(add_url: str, doctor: Doctor, visit_type_id: int, day: date, start: datetime) -> str:
    query = {"doctor": doctor.pk, "visit_type": visit_type_id, "day": day.isoformat(), "start": start.isoformat()}
    return f"{add_url}?{urlencode(query)}"


def day_sheet_view(model_admin, request):
    """/admin/appointments/appointment/day-sheet/?date=YYYY-MM-DD (default: today, clinic zone)."""
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    here = reverse("admin:appointments_appointment_day_sheet")
    back = f"{here}?date={day.isoformat()}"
    columns = day_sheet(day=day, user=request.user)
    for column in columns:
        for item in column.items:
            if isinstance(item, Appointment):
                item.step_links = [(step, step_url(item, step, back=back)) for step in item.steps]
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Day sheet: {day:%A} {day.isoformat()}",
        "opts": model_admin.model._meta,
        "day": day,
        "columns": columns,
        "zone": settings.TIME_ZONE,
        "back": back,
        "previous_url": f"{here}?date={(day - timedelta(days=1)).isoformat()}",
        "next_url": f"{here}?date={(day + timedelta(days=1)).isoformat()}",
        "today_url": here,
        "is_today": day == timezone.localdate(),
    }
    return TemplateResponse(request, "admin/appointments/day_sheet.html", context)
