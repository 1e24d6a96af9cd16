"""Serializer fields shared by every app."""

from datetime import UTC, date, datetime

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 datetime. Without an offset it is read in the clinic's time zone, and a wall-clock
    time that zone skips or repeats at a DST change is refused rather than guessed. Years outside
    1900-2200 are refused too (typos, or probes for overflow)."""

    default_error_messages = {
        "out_of_range": "Send a date and time between 1900 and 2200.",
        "dst_gap": "{value} does not exist in {timezone} (the clocks skip it); send a time with an offset.",
        "dst_ambiguous": "{value} happens twice in {timezone} (the clocks go back); send a time with an offset.",
    }

    def enforce_timezone(self, value: datetime) -> datetime:
        if not 1900 <= value.year <= 2200:
            self.fail("out_of_range")
        if timezone.is_naive(value):
            zone = self.timezone if hasattr(self, "timezone") else self.default_timezone()
            first = value.replace(tzinfo=zone, fold=0)
            second = value.replace(tzinfo=zone, fold=1)
            if first.utcoffset() != second.utcoffset():
                # zoneinfo marks both a gap and an overlap by giving the two folds different
                # offsets; a real time survives a round trip through UTC, a skipped one does not.
                shown = value.isoformat(timespec="minutes")
                if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value:
                    self.fail("dst_gap", value=shown, timezone=zone)
                self.fail("dst_ambiguous", value=shown, timezone=zone)
        return super().enforce_timezone(value)


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 1, "maximum": 2**63 - 1})
class IdField(serializers.PrimaryKeyRelatedField):
    """A primary key in a request body: a whole number (JSON integer or digits), never 1.5 or
    true read as 1, and within the database's range."""

    default_error_messages = {"incorrect_type": "Send the id as a whole number, not {data_type}."}

    def __init__(self, *, purpose: str = "", **kwargs):
        # Ends the "No patient with id 9 ..." sentence: "that you can book for", say.
        self.purpose = purpose
        super().__init__(**kwargs)

    def fail(self, key, **kwargs):
        if key == "does_not_exist":
            noun = self.get_queryset().model._meta.verbose_name
            ending = f" {self.purpose}" if self.purpose else ""
            raise serializers.ValidationError(f"No {noun} with id {kwargs['pk_value']}{ending}.", code=key)
        super().fail(key, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not (
            (isinstance(data, int) and 0 < data <= 2**63 - 1)
            or (isinstance(data, str) and data.isascii() and data.isdigit() and len(data) <= 18)
        ):
            if isinstance(data, int | str) and not isinstance(data, bool):
                self.fail("does_not_exist", pk_value=data)
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(int(data))


@extend_schema_field({"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2})?$", "example": "09:00"})
class WallClockTimeField(serializers.TimeField):
    """A time of day on the wall clock ("09:00"), in whatever zone the context says (a doctor's
    hours are in the doctor's zone), so it takes no offset of its own: "09:00" or "09:00:00"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        kwargs.setdefault("input_formats", ["%H:%M", "%H:%M:%S"])
        super().__init__(**kwargs)


def validate_day_range(date_from: date, date_to: date, *, max_days: int) -> None:
    """A range of days a client asks for (slots, reports): within 1900-2200, in order, and at most
    `max_days` long, or a 400 on the field to change."""
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        if not 1900 <= value.year <= 2200:
            raise serializers.ValidationError({name: ["Pick a date between 1900 and 2200."]})
    if date_to < date_from:
        raise serializers.ValidationError({"date_to": ["date_to must be on or after date_from."]})
    if (date_to - date_from).days + 1 > max_days:
        raise serializers.ValidationError({"date_to": [f"Ask for at most {max_days} days at a time."]})
