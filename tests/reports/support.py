"""The small fixed data set the report tests compute their expectations from: March 2031 (clinic
zone UTC). Doctor A (cardiology) works Monday to Friday 09:00-12:00 and took one whole morning off;
doctor B (dermatology) works Mondays 13:00-17:00; doctor C has no hours. A's fee was 100 when the
first four visits were booked and 150 after."""

from datetime import UTC, datetime

MARCH = {"date_from": "2031-03-01", "date_to": "2031-03-31"}


def at(day, hour, month=3):
    return datetime(2031, month, day, hour, 0, tzinfo=UTC)
