"""Serializer fields shared by every app."""

from datetime import UTC, datetime

from django.utils import timezone
from rest_framework import serializers


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 datetime. Without an offset it is read in the clinic's time zone, and a wall-clock
    time that zone skips or repeats at a DST change is refused rather than guessed."""

    default_error_messages = {
        "dst_gap": "{value} does not exist in {timezone} (the clocks skip it); send a time with an offset.",
        "dst_ambiguous": "{value} happens twice in {timezone} (the clocks go back); send a time with an offset.",
    }

    def enforce_timezone(self, value: datetime) -> datetime:
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
