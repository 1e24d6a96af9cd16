"""Practitioner and PractitionerRole: one of each per doctor (same id), read through
doctors.selectors (admins also see doctors who have left)."""

from collections import defaultdict

from django.db.models import Q
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole

from doctors.selectors import specialization_q
from fhir_server.conf import system
from fhir_server.mapping.base import (
    Context,
    ResourceType,
    code_of,
    id_param,
    instant,
    ref,
    specialty_concept,
)
from fhir_server.mapping.patient import name_of, telecom_of
from fhir_server.search import SearchParam, id_q, reference_id, string_q, token
from fhir_server.selectors import doctors_with_schedule

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class PractitionerType(ResourceType):
    name = "Practitioner"
    model = Practitioner
    documentation = "The clinic's doctors."
    params = {
        "_id": id_param(),
        "name": SearchParam(
            "name", "string", "Given or family name.", string_q(["user__first_name", "user__last_name"])
        ),
        "family": SearchParam("family", "string", "Family name.", string_q(["user__last_name"])),
        "given": SearchParam("given", "string", "Given name.", string_q(["user__first_name"])),
    }

    def queryset(self, ctx: Context):
        return doctors_with_schedule(user=ctx.user)

    def build(self, doctor, ctx: Context) -> dict:
        name = name_of(doctor.user) | {"prefix": ["Dr"]}
        return {
            "identifier": [
                {"use": "usual", "system": system("practitioner"), "value": str(doctor.pk)},
                {"use": "official", "system": system("licence"), "value": doctor.licence_number},
            ],
            "active": doctor.user.is_active,
            "name": [name],
            "telecom": telecom_of(doctor.user, "work"),
        }


def _specialty_q(value: str, modifier: str) -> Q:
    """The specialization by code (our id, with or without the system) or by name."""
    number = code_of(value, "specialization")
    if number is not None:
        return Q(specialization_id=number)
    code_system, code = token(value)
    return specialization_q(code) if code_system is None else Q(pk__in=[])


def available_times(working_hours) -> list[dict] | None:
    """Weekly hours as FHIR availableTime: the days that share one period, grouped."""
    days_of = defaultdict(list)
    for period in working_hours:
        days_of[(period.start_time, period.end_time)].append(DAYS[period.weekday])
    return [
        {"daysOfWeek": days, "availableStartTime": start, "availableEndTime": end}
        for (start, end), days in sorted(days_of.items())
    ] or None


class PractitionerRoleType(ResourceType):
    name = "PractitionerRole"
    model = PractitionerRole
    documentation = (
        "A doctor's role here: the specialty, where they see patients, their weekly hours (availableTime) and "
        "their time off (notAvailable)."
    )
    params = {
        "_id": id_param(),
        "specialty": SearchParam(
            "specialty", "token", "The specialization: its code (our id) or its name.", _specialty_q
        ),
        "practitioner": SearchParam(
            "practitioner", "reference", "Practitioner/{id}.", lambda v, m: id_q(reference_id(v, "Practitioner"))
        ),
    }

    def queryset(self, ctx: Context):
        return doctors_with_schedule(user=ctx.user)

    def build(self, doctor, ctx: Context) -> dict:
        not_available = [
            {
                "description": "Not available",
                "during": {"start": instant(off.start, doctor.zone), "end": instant(off.end, doctor.zone)},
            }
            for off in doctor.time_off.all()
        ]
        return {
            "active": doctor.user.is_active and doctor.is_accepting_patients,
            "practitioner": ref("Practitioner", doctor.pk, f"Dr {doctor.user.get_full_name()}"),
            "specialty": [specialty_concept(doctor.specialization)],
            "location": [{"display": doctor.location}] if doctor.location else None,
            "availableTime": available_times(doctor.working_hours.all()),
            "notAvailable": not_available or None,
        }
