"""What the admin-site tests share: a Monday morning in clinic hours, the front desk's pages, and a
signed-in staff browser session."""

from datetime import UTC, datetime

import pytest
import time_machine

MONDAY_8AM = datetime(2030, 1, 7, 8, 0, tzinfo=UTC)
TEN = datetime(2030, 1, 7, 10, 0, tzinfo=UTC)
ADD = "/admin/appointments/appointment/add/"
SHEET = "/admin/appointments/appointment/day-sheet/"


def signed_in(client, user):
    client.force_login(user)
    client.get("/admin/")  # the first page stamps the session's last activity
    return client


@pytest.fixture
def monday_8am():
    with time_machine.travel(MONDAY_8AM, tick=False) as traveller:
        yield traveller


@pytest.fixture
def desk(client, receptionist_account):
    """The demo front desk's browser session on the admin site."""
    return signed_in(client, receptionist_account)
