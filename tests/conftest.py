import secrets
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.jwt import AccessToken
from accounts.models import TokenSession
from config import throttling
from config.sms import LocMemSmsBackend
from tests.clock import MONDAY_8AM
from tests.factories import DoctorFactory, PatientFactory, UserFactory

pytest_plugins = ["tests.admin_support"]


@pytest.fixture(autouse=True)
def _fresh_throttle_counters_and_sms_outbox(request):
    # Each test starts with clean throttle counters (on PostgreSQL they are rows of the test
    # database, rolled back with it), and an empty outbox of text messages (e-mail's is emptied
    # by pytest-django).
    cache.clear()
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        throttling.store().clear()
    LocMemSmsBackend.outbox.clear()


@pytest.fixture
def django_assert_num_queries(pytestconfig):
    return partial(_assert_view_queries, exact=True)


@pytest.fixture
def django_assert_max_num_queries(pytestconfig):
    return partial(_assert_view_queries, exact=False)


@contextmanager
def _assert_view_queries(num: int, *, exact: bool):
    """pytest-django's query-count assertion, leaving out the rate limit's counter: on PostgreSQL
    without Redis every request adds one upsert to config_throttlecounter, a fixed cost outside
    the view whose own queries these tests count (tests/test_throttling.py tests the counter)."""
    with CaptureQueriesContext(connection) as context:
        yield context
    queries = [q["sql"] for q in context.captured_queries if "config_throttlecounter" not in q["sql"]]
    if (len(queries) != num) if exact else (len(queries) > num):
        pytest.fail(
            f"Expected {'' if exact else 'at most '}{num} queries, {len(queries)} were done:\n" + "\n".join(queries)
        )


@pytest.fixture
def anon():
    return APIClient()


class TokenClient(APIClient):
    """Sends a real Bearer token for `user`, minted at each request so tests that travel in time
    still authenticate (the role is read from the user row, as in production). The client is one
    login: a session, whose tokens stop working when it ends or the user's tokens are revoked."""

    def __init__(self, user, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.token_session = TokenSession.objects.create(user=user, sid=secrets.token_hex(16))

    def request(self, **kwargs):
        token = AccessToken.for_session(user=self.user, sid=self.token_session.sid)
        kwargs.setdefault("HTTP_AUTHORIZATION", f"Bearer {token}")
        return super().request(**kwargs)


@pytest.fixture
def client_for():
    return TokenClient


@pytest.fixture
def admin_account(db):
    return UserFactory(admin=True, username="boss")


@pytest.fixture
def admin_api(client_for, admin_account):
    return client_for(admin_account)


@pytest.fixture
def receptionist_account(db):
    return UserFactory(receptionist=True, username="desk")


@pytest.fixture
def receptionist_api(client_for, receptionist_account):
    return client_for(receptionist_account)


@pytest.fixture
def patient(db):
    return PatientFactory(user__username="pat")


@pytest.fixture
def patient_account(patient):
    return patient.user


@pytest.fixture
def patient_api(client_for, patient):
    return client_for(patient.user)


@pytest.fixture
def doctor(db):
    return DoctorFactory(user__username="doc", weekly_hours=True)


@pytest.fixture
def doctor_api(client_for, doctor):
    return client_for(doctor.user)


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    for item in items:
        if "postgres" in item.keywords and "postgresql" not in engine:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://..."))
        if "sqlite" in item.keywords and "sqlite" not in engine:
            item.add_marker(pytest.mark.skip(reason="SQLite-only behaviour"))


@pytest.fixture
def monday_8am():
    """Stand at tests.clock.MONDAY_8AM (the clock does not tick)."""
    with time_machine.travel(MONDAY_8AM, tick=False) as traveller:
        yield traveller


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """For tests that call the WSGI application directly (schemathesis): Django would close the
    test's database connection at the end of each request; its own test client switches that off
    the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def pytest_sessionfinish(session, exitstatus):
    # Each run's throttle counters live in files of their own (tests/settings.py); they go with it,
    # and so do the SQLite writers' lock files beside its test databases (config/sqlite).
    counters = Path(settings.THROTTLE_SQLITE_PATH)
    for path in counters.parent.glob(f"{counters.name}*"):
        path.unlink(missing_ok=True)
    test_database = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if test_database and not hasattr(session.config, "workerinput"):  # once all workers are done
        for path in Path(test_database).parent.glob(f"{Path(test_database).name}*-writers.lock"):
            path.unlink(missing_ok=True)
