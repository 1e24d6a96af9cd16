"""The moment most tests stand at: Monday 2030-01-07 08:00 in the clinic zone (UTC in tests), an
hour before the demo doctors' first slot, far enough ahead that no real date interferes. The
`monday_8am` fixture (tests/conftest.py) travels there."""

from datetime import UTC, datetime

MONDAY_8AM = datetime(2030, 1, 7, 8, 0, tzinfo=UTC)
