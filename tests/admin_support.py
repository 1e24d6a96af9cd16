"""What the admin-site tests share: the front desk's pages, ten o'clock on the test Monday, and a
signed-in staff browser session."""

from datetime import UTC, datetime

import pytest

TEN = datetime(2030, 1, 7, 10, 0, tzinfo=UTC)
ADD = "/admin/appointments/appointment/add/"
SHEET = "/admin/appointments/appointment/day-sheet/"


def signed_in(client, user):
    client.force_login(user)
    client.get("/admin/")  # the first page stamps the session's last activity
    return client


@pytest.fixture
def desk(client, receptionist_account):
    """The demo front desk's browser session on the admin site."""
    return signed_in(client, receptionist_account)
