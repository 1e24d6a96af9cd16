"""What every resource type shares: the id, `meta`, references, and read and search over the
scoped queryset of another app's selector (prefetched there or here, so a page of any size
costs the same queries)."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from fhir_core.fhirabstractmodel import FHIRAbstractModel
from rest_framework.exceptions import NotFound, PermissionDenied

from accounts.models import User
from accounts.services import audit_reads
from fhir_server.conf import system
from fhir_server.search import Query, SearchParam, apply_filters, id_q, number_id, token


@dataclass(frozen=True)
class Context:
    """Who asks, and the base URL references and links are written against."""

    request: object
    user: User
    base: str


def version_id(moment: datetime) -> str:
    return str(int(moment.timestamp() * 1_000_000))


def meta(moment: datetime) -> dict:
    return {"versionId": version_id(moment), "lastUpdated": moment}


def ref(resource_type: str, pk, display: str | None = None) -> dict:
    reference = {"reference": f"{resource_type}/{pk}"}
    if display:
        reference["display"] = display
    return reference


def concept(system_name: str, code, display: str) -> dict:
    return {"coding": [{"system": system(system_name), "code": str(code), "display": display}], "text": display}


def visit_type_concept(visit_type) -> dict:
    return concept("visit-type", visit_type.pk, visit_type.name)


def specialty_concept(specialization) -> dict:
    return concept("specialization", specialization.pk, specialization.name)


def person_name(user) -> str:
    return user.get_full_name() or user.username


def doctor_display(doctor) -> str:
    return f"Dr {person_name(doctor.user)}"


def instant(moment: datetime, zone) -> str:
    """An instant with the offset of the zone it is meant in (the doctor's)."""
    return moment.astimezone(zone).isoformat()


def id_param(lookup: str = "pk") -> SearchParam:
    return SearchParam("_id", "token", "The logical id (one or more, comma-separated).", lambda v, m: id_q(v, lookup))


def code_of(value: str, system_name: str) -> int | None:
    """A token of one of our own code systems ('system|code' or 'code') as the number it holds."""
    code_system, code = token(value)
    if code_system not in (None, "", system(system_name)):
        return None
    return number_id(code)


class ResourceType:
    """A FHIR resource type served from a scoped queryset. Subclasses give the queryset, the
    mapping (`build`) and the search parameters."""

    name: str
    model: type[FHIRAbstractModel]
    params: dict[str, SearchParam] = {}
    includes: tuple[str, ...] = ()
    interactions: tuple[str, ...] = ("read", "search-type")
    operations: tuple[dict, ...] = ()
    documentation = ""
    # Patient data: every read is audited as this object type.
    audit_object_type: str | None = None
    # Clinical records: closed to the front desk (a search 403, a read 404, as in the REST API).
    clinical = False
    ordering: tuple[str, ...] = ("pk",)

    def queryset(self, ctx: Context) -> QuerySet:
        raise NotImplementedError

    def build(self, obj, ctx: Context) -> dict:
        raise NotImplementedError

    def last_updated(self, obj) -> datetime:
        return obj.updated_at

    def patient_of(self, obj) -> int | None:
        return obj.patient_id

    def render(self, obj, ctx: Context) -> dict:
        data = {"resourceType": self.name, "id": str(obj.pk), "meta": meta(self.last_updated(obj))}
        data.update(self.build(obj, ctx))
        return self.model.model_validate(data).model_dump(mode="json", exclude_none=True)

    def audit(self, ctx: Context, objects) -> None:
        if self.audit_object_type and objects:
            audit_reads(actor=ctx.user, object_type=self.audit_object_type, objects=objects, patient_of=self.patient_of)

    def _front_desk(self, ctx: Context) -> bool:
        return self.clinical and ctx.user.is_receptionist

    def read(self, ctx: Context, resource_id: str) -> dict:
        number = number_id(resource_id)
        if number is None or self._front_desk(ctx):
            raise NotFound(f"{self.name}/{resource_id} does not exist, or is not one you may see.")
        obj = self.queryset(ctx).filter(pk=number).first()
        if obj is None:
            raise NotFound(f"{self.name}/{resource_id} does not exist, or is not one you may see.")
        self.audit(ctx, [obj])
        return self.render(obj, ctx)

    def search(self, ctx: Context, query: Query) -> tuple[list[dict], list[dict], bool, int | None]:
        """(matches, included, has_next, total) of one page. Queries: the page, its prefetches,
        one count (capped like the REST lists), the includes; never more with a bigger page."""
        if self._front_desk(ctx):
            raise PermissionDenied("The front desk does not see clinical records.")
        rows = apply_filters(self.queryset(ctx), query).order_by(*self.ordering)
        page = list(rows[query.offset : query.offset + query.count + 1])
        has_next = len(page) > query.count
        page = page[: query.count]
        cap = settings.LIST_COUNT_CAP
        total = rows.order_by()[: cap + 1].count() if cap else None
        self.audit(ctx, page)
        matches = [self.render(obj, ctx) for obj in page]
        return (
            matches,
            self.include(ctx, query, page),
            has_next,
            (total if total is not None and total <= cap else None),
        )

    def include(self, ctx: Context, query: Query, page: list) -> list[dict]:
        return []
