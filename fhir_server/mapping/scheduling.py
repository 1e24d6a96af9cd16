"""Schedule (one per doctor) and Slot (their free slots, computed by appointments.availability
exactly as the REST slots endpoint computes them).

A Slot's id encodes the doctor, the visit type and the start (`{doctor}-{visit type}-{UTC
yyyymmddHHMM}`), so a Slot found today can be booked by id: the booking service then decides,
under the same rules and the same database guarantee as every other booking.
"""

import re
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from fhir.resources.R4B.schedule import Schedule
from fhir.resources.R4B.slot import Slot
from rest_framework.exceptions import NotFound

from appointments import availability
from appointments.selectors import free_slots_for_user
from config.errors import DomainError
from doctors.selectors import doctor_list_for_user, visit_type_list_for_user
from fhir_server.errors import FHIRError
from fhir_server.mapping.base import (
    Context,
    ResourceType,
    code_of,
    doctor_display,
    id_param,
    instant,
    meta,
    ref,
    specialty_concept,
    visit_type_concept,
)
from fhir_server.search import Query, SearchParam, date_range, id_q, number_id, prefixed, reference_id
from fhir_server.selectors import doctors_with_schedule

SLOT_ID = re.compile(r"^(\d{1,18})-(\d{1,18})-(\d{12})$")
DEFAULT_DAYS, MAX_DAYS = 14, availability.MAX_RANGE_DAYS


def _actor_q(value: str, modifier: str) -> Q:
    kind = value.rstrip("/").split("/")[-2] if "/" in value else "PractitionerRole"
    if kind not in ("PractitionerRole", "Practitioner"):
        raise FHIRError(f"{value!r}: a Schedule's actor is a PractitionerRole or a Practitioner.")
    return id_q(reference_id(value, kind))


class ScheduleType(ResourceType):
    name = "Schedule"
    model = Schedule
    documentation = "One per doctor: the visit types they offer (serviceType) and the booking horizon."
    params = {
        "_id": id_param(),
        "actor": SearchParam("actor", "reference", "PractitionerRole/{id} or Practitioner/{id}.", _actor_q),
    }

    def queryset(self, ctx: Context):
        return doctors_with_schedule(user=ctx.user)

    def build(self, doctor, ctx: Context) -> dict:
        today = timezone.now().astimezone(doctor.zone).date()
        return {
            "active": availability.is_bookable(doctor),
            "serviceType": [visit_type_concept(offering.visit_type) for offering in doctor.offered_visit_types.all()]
            or None,
            "specialty": [specialty_concept(doctor.specialization)],
            "actor": [ref("PractitionerRole", doctor.pk, doctor_display(doctor))],
            # Days of the doctor's zone: from today to the booking horizon.
            "planningHorizon": {
                "start": today.isoformat(),
                "end": (today + timedelta(days=settings.BOOKING_HORIZON_DAYS)).isoformat(),
            },
            "comment": f"Visits start every {doctor.slot_minutes} minutes; times in {doctor.time_zone}.",
        }


def slot_id(doctor_id: int, visit_type_id: int, start: datetime) -> str:
    return f"{doctor_id}-{visit_type_id}-{start.astimezone(UTC):%Y%m%d%H%M}"


def parse_slot_id(value: str) -> tuple[int, int, datetime] | None:
    match = SLOT_ID.match(value)
    if not match:
        return None
    try:
        start = datetime.strptime(match[3], "%Y%m%d%H%M").replace(tzinfo=UTC)
    except ValueError:
        return None
    return int(match[1]), int(match[2]), start


class SlotType(ResourceType):
    name = "Slot"
    model = Slot
    documentation = (
        "Free slots of one Schedule between two instants (start=ge... required; lt defaults to 14 days later; "
        "at most 62 days), of one visit type (service-type; default: the doctor's default visit type). Only free "
        "slots exist: status=free. A patient's own busy times are left out, as in the REST API."
    )
    params = {
        "_id": SearchParam("_id", "token", "Slot ids."),
        "schedule": SearchParam("schedule", "reference", "Schedule/{id} (required)."),
        "start": SearchParam("start", "date", "ge/gt (required) and lt/le bounds of the slot start."),
        "service-type": SearchParam("service-type", "token", "The visit type (its code: our id)."),
        "status": SearchParam("status", "token", "free (the only status this server lists)."),
    }

    def _visible_doctor(self, ctx: Context, doctor_id: int | None):
        return doctor_list_for_user(user=ctx.user).filter(pk=doctor_id).first() if doctor_id is not None else None

    def _free(self, ctx: Context, doctor, visit_type, first_day, last_day) -> list[availability.Slot]:
        return free_slots_for_user(
            user=ctx.user, doctor=doctor, visit_type=visit_type, first_day=first_day, last_day=last_day
        )

    def _visit_type(self, ctx: Context, doctor, visit_type_id: int | None):
        """The visit type asked for (or the default), as availability allows it; None if it cannot be booked."""
        visit_type = None
        if visit_type_id is not None:
            visit_type = visit_type_list_for_user(user=ctx.user).filter(pk=visit_type_id).first()
            if visit_type is None:
                return None
        try:
            return availability.bookable_visit_type(doctor=doctor, visit_type=visit_type, online=ctx.user.is_patient)
        except DomainError:
            return None

    def render_slot(self, slot: availability.Slot, doctor) -> dict:
        data = {
            "resourceType": "Slot",
            "id": slot_id(doctor.pk, slot.visit_type.pk, slot.start),
            "meta": meta(max(doctor.updated_at, slot.visit_type.updated_at)),
            "serviceType": [visit_type_concept(slot.visit_type)],
            "specialty": [specialty_concept(doctor.specialization)],
            "schedule": ref("Schedule", doctor.pk),
            "status": "free",
            "start": instant(slot.start, doctor.zone),
            "end": instant(slot.end, doctor.zone),
        }
        return Slot.model_validate(data).model_dump(mode="json", exclude_none=True)

    def read(self, ctx: Context, resource_id: str) -> dict:
        missing = NotFound(f"Slot/{resource_id} does not exist or is no longer free.")
        parsed = parse_slot_id(resource_id)
        if parsed is None:
            raise missing
        doctor_id, visit_type_id, start = parsed
        doctor = self._visible_doctor(ctx, doctor_id)
        visit_type = self._visit_type(ctx, doctor, visit_type_id) if doctor else None
        if visit_type is None:
            raise missing
        day = start.astimezone(doctor.zone).date()
        for slot in self._free(ctx, doctor, visit_type, day, day):
            if slot.start == start:
                return self.render_slot(slot, doctor)
        raise missing

    def _bounds(self, query: Query) -> tuple[datetime, datetime]:
        lower = upper = None
        for _, values in query.values("start"):
            for value in values:
                prefix, text = prefixed(value)
                low, high = date_range(text)
                if prefix in ("ge", "gt", "eq"):
                    candidate = low if prefix == "ge" else high if prefix == "gt" else low
                    lower = candidate if lower is None else max(lower, candidate)
                if prefix in ("lt", "le", "eq"):
                    candidate = low if prefix == "lt" else high
                    upper = candidate if upper is None else min(upper, candidate)
        if lower is None:
            raise FHIRError("Slot search needs start=ge<date> (and optionally start=lt<date>, at most 62 days later).")
        upper = upper or lower + timedelta(days=DEFAULT_DAYS)
        if upper - lower > timedelta(days=MAX_DAYS):
            raise FHIRError(f"A Slot search covers at most {MAX_DAYS} days.")
        return lower, upper

    def search(self, ctx: Context, query: Query):
        schedules = [value for _, values in query.values("schedule") for value in values]
        if len(schedules) != 1:
            raise FHIRError("Slot search needs exactly one schedule=Schedule/{id}.")
        lower, upper = self._bounds(query)
        statuses = [value for _, values in query.values("status") for value in values]
        types = [value for _, values in query.values("service-type") for value in values]
        if len(types) > 1:
            raise FHIRError("Give at most one service-type.")
        wanted_ids = {value for _, values in query.values("_id") for value in values}
        doctor = self._visible_doctor(ctx, number_id(reference_id(schedules[0], "Schedule")))
        visit_type = None
        if doctor is not None:
            visit_type_id = code_of(types[0], "visit-type") if types else None
            if not types or visit_type_id is not None:
                visit_type = self._visit_type(ctx, doctor, visit_type_id)
        if visit_type is None or (statuses and "free" not in statuses) or upper <= lower:
            return [], [], False, 0
        first_day, last_day = lower.astimezone(doctor.zone).date(), upper.astimezone(doctor.zone).date()
        slots = [
            slot
            for slot in self._free(ctx, doctor, visit_type, first_day, last_day)
            if lower <= slot.start < upper
            and (not wanted_ids or slot_id(doctor.pk, visit_type.pk, slot.start) in wanted_ids)
        ]
        page = slots[query.offset : query.offset + query.count]
        has_next = len(slots) > query.offset + query.count
        return [self.render_slot(slot, doctor) for slot in page], [], has_next, len(slots)
