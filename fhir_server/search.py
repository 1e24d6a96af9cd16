"""Search: parsing the query string strictly, the value types FHIR defines (token, string, date,
reference) as Django filters, and the searchset Bundle with its paging links.

Strict by default: a parameter this server does not implement is 400, unless the client asked
for `Prefer: handling=lenient` (then it is left out of the `self` link, as the spec says).
"""

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.http import QueryDict
from django.utils.dateparse import parse_datetime

from fhir_server.conf import DEFAULT_COUNT, MAX_COUNT
from fhir_server.errors import FHIRError

# Parameters every search understands (besides each type's own).
RESULT_PARAMETERS = {"_count", "_offset", "_format"}
DATE_PREFIXES = ("eq", "ge", "gt", "le", "lt")
_DATE = re.compile(r"^(?P<year>\d{4})(-(?P<month>\d{2})(-(?P<day>\d{2}))?)?$")


@dataclass(frozen=True)
class SearchParam:
    name: str
    type: str  # token | string | date | reference
    documentation: str
    # (one value, its modifier) -> a filter; comma-separated values are ORed, repeats ANDed.
    q: Callable[[str, str], Q] | None = None


@dataclass
class Query:
    """A parsed search: the filters, the page, the includes, and what the `self` link shows."""

    filters: list[tuple[SearchParam, str, list[str]]] = field(default_factory=list)
    count: int = DEFAULT_COUNT
    offset: int = 0
    includes: list[str] = field(default_factory=list)
    used: list[tuple[str, str]] = field(default_factory=list)

    def values(self, name: str) -> list[tuple[str, list[str]]]:
        """(modifier, values) of each occurrence of the parameter `name`."""
        return [(modifier, values) for param, modifier, values in self.filters if param.name == name]


def _int(name: str, text: str, *, minimum: int, maximum: int | None = None) -> int:
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise FHIRError(f"{name} must be a whole number, not {text!r}.")
    value = int(text)
    if value < minimum or (maximum is not None and value > maximum):
        limit = f"{minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
        raise FHIRError(f"{name} must be {limit}.")
    return value


def parse_query(
    request, params: dict[str, SearchParam], *, includes: Collection = (), source: QueryDict | None = None
) -> Query:
    """The search in `source` (by default the query string), checked against `params`."""
    lenient = "handling=lenient" in request.headers.get("Prefer", "").replace(" ", "")
    query = Query()
    source = request.query_params if source is None else source
    for raw_name, raw_values in source.lists():
        name, _, modifier = raw_name.partition(":")
        for raw in raw_values:
            if name in ("_count", "_offset", "_format") and not modifier:
                if name == "_count":
                    query.count = _int("_count", raw, minimum=1, maximum=MAX_COUNT)
                elif name == "_offset":
                    query.offset = _int("_offset", raw, minimum=0)
                continue  # _format is the renderer's (fhir_server.http)
            if name == "_include" and not modifier and includes:
                if raw not in includes:
                    raise FHIRError(f"_include={raw} is not supported; this type supports: {', '.join(includes)}.")
                query.includes.append(raw)
                query.used.append((raw_name, raw))
                continue
            param = params.get(name)
            if param is None or (modifier and not _modifier_allowed(param, modifier)):
                if lenient:
                    continue
                what = f"{name}:{modifier}" if modifier else name
                known = ", ".join(sorted([*params, *RESULT_PARAMETERS, *(["_include"] if includes else [])]))
                raise FHIRError(
                    f"Unknown or unsupported search parameter {what!r}; this type supports: {known}.",
                    code="not-supported",
                )
            values = raw.split(",")
            if not all(value.strip() for value in values):
                raise FHIRError(f"{raw_name} needs a value.")
            query.filters.append((param, modifier, values))
            query.used.append((raw_name, raw))
    return query


def _modifier_allowed(param: SearchParam, modifier: str) -> bool:
    return (param.type == "string" and modifier in ("exact", "contains")) or (
        param.type == "token" and modifier == "not"
    )


def apply_filters(queryset, query: Query):
    for param, modifier, values in query.filters:
        if param.q is None:
            continue  # a parameter the type handles itself
        combined = Q()
        for value in values:
            combined |= param.q(value, modifier)
        queryset = queryset.filter(combined)
    return queryset


# --- Value types ---------------------------------------------------------------------------------


def token(value: str) -> tuple[str | None, str]:
    """'system|code' -> (system, code); 'code' -> (None, code); '|code' -> ('', code)."""
    if "|" in value:
        system, code = value.split("|", 1)
        return system, code
    return None, value


def reference_id(value: str, resource_type: str) -> str:
    """'Patient/12', a full URL ending so, or '12' -> '12'. Another type is a 400."""
    parts = value.rstrip("/").split("/")
    if len(parts) >= 2:
        if parts[-2] != resource_type:
            raise FHIRError(f"{value!r} is not a reference to a {resource_type}.")
        return parts[-1]
    return parts[0]


def number_id(value: str, what: str = "id") -> int | None:
    """Our ids are numbers; anything else matches nothing (None), never a 400 or a 500."""
    value = value.strip()
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def id_q(value: str, lookup: str = "pk") -> Q:
    number = number_id(value)
    return Q(**{lookup: number}) if number is not None else Q(pk__in=[])


def string_q(fields: list[str]) -> Callable[[str, str], Q]:
    """FHIR's string search: starts with (any case) by default; :exact, :contains."""

    def q(value: str, modifier: str) -> Q:
        lookup = {"exact": "exact", "contains": "icontains"}.get(modifier, "istartswith")
        combined = Q()
        for name in fields:
            combined |= Q(**{f"{name}__{lookup}": value})
        return combined

    return q


def prefixed(value: str) -> tuple[str, str]:
    if value[:2] in DATE_PREFIXES and not value[:2].isdigit():
        return value[:2], value[2:]
    if value[:2].isalpha():
        raise FHIRError(f"Date prefix {value[:2]!r} is not supported; use one of {', '.join(DATE_PREFIXES)}.")
    return "eq", value


def date_range(text: str, zone: ZoneInfo | None = None) -> tuple[datetime, datetime]:
    """The instants [low, high) a FHIR date(Time) value stands for: a year, month or day of the
    clinic's zone, or one instant (which must carry its offset when it has a time)."""
    zone = zone or ZoneInfo(settings.CLINIC_TIME_ZONE)
    match = _DATE.match(text)
    if match:
        year, month, day = int(match["year"]), int(match["month"] or 1), int(match["day"] or 1)
        try:
            low = date(year, month, day)
        except ValueError:
            raise FHIRError(f"{text!r} is not a date.") from None
        if match["day"]:
            high = low + timedelta(days=1) if low < date.max else low
        elif match["month"]:
            high = date(year + month // 12, month % 12 + 1, 1) if year < date.max.year or month < 12 else date.max
        else:
            high = date(year + 1, 1, 1) if year < date.max.year else date.max
        return _local(low, zone), _local(high, zone)
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise FHIRError(f"{text!r} is not a FHIR date or dateTime (a time needs its offset, e.g. Z or +01:00).")
    # The instant's own precision: to the second, or to the microsecond when it has a fraction.
    return moment, moment + timedelta(microseconds=1 if moment.microsecond else 1_000_000)


def _local(day: date, zone: ZoneInfo) -> datetime:
    try:
        return datetime.combine(day, time.min).replace(tzinfo=zone).astimezone(UTC)
    except (OverflowError, ValueError):
        raise FHIRError(f"{day} is out of range.") from None


def datetime_q(field_name: str) -> Callable[[str, str], Q]:
    def q(value: str, modifier: str) -> Q:
        prefix, text = prefixed(value)
        low, high = date_range(text)
        return _compared(field_name, prefix, low, high)

    return q


def _compared(field_name: str, prefix: str, low, high) -> Q:
    """The rows whose value stands as `prefix` says to the searched span `[low, high)`."""
    return {
        "eq": Q(**{f"{field_name}__gte": low, f"{field_name}__lt": high}),
        "ge": Q(**{f"{field_name}__gte": low}),
        "gt": Q(**{f"{field_name}__gte": high}),
        "lt": Q(**{f"{field_name}__lt": low}),
        "le": Q(**{f"{field_name}__lt": high}),
    }[prefix]


def date_q(field_name: str) -> Callable[[str, str], Q]:
    """For a date column (a birth date): the value's days, compared as dates."""

    def q(value: str, modifier: str) -> Q:
        prefix, text = prefixed(value)
        match = _DATE.match(text)
        if not match:
            raise FHIRError(f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD).")
        low_moment, high_moment = date_range(text, UTC)
        return _compared(field_name, prefix, low_moment.date(), high_moment.date())

    return q


# --- The Bundle ------------------------------------------------------------------------------------


def bundle(
    *,
    request,
    base: str,
    resource_type: str,
    query: Query,
    matches: list[dict],
    included: list[dict] = (),
    has_next: bool,
    total: int | None,
) -> dict:
    def link(offset: int) -> str:
        params = [*query.used, ("_count", str(query.count))]
        if offset:
            params.append(("_offset", str(offset)))
        return f"{base}/{resource_type}?{urlencode(params)}"

    links = [{"relation": "self", "url": link(query.offset)}]
    if has_next:
        links.append({"relation": "next", "url": link(query.offset + query.count)})
    if query.offset:
        links.append({"relation": "previous", "url": link(max(query.offset - query.count, 0))})
    entries = [
        {"fullUrl": f"{base}/{r['resourceType']}/{r['id']}", "resource": r, "search": {"mode": mode}}
        for mode, resources in (("match", matches), ("include", included))
        for r in resources
    ]
    body = {"resourceType": "Bundle", "type": "searchset", "link": links}
    if entries:  # FHIR arrays are never empty
        body["entry"] = entries
    if total is not None:
        body["total"] = total
    return body
