import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    # Throttling counts live in the cache; each test starts with a clean slate.
    cache.clear()


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def client_for():
    """An API client that sends a real Bearer token for `user` (the role is read from the row)."""

    def make(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
        client.user = user
        return client

    return make


@pytest.fixture
def admin_account(db):
    return UserFactory(admin=True, username="boss")


@pytest.fixture
def admin_api(client_for, admin_account):
    return client_for(admin_account)


@pytest.fixture
def patient_account(db):
    return UserFactory(username="pat")


@pytest.fixture
def patient_api(client_for, patient_account):
    return client_for(patient_account)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords and "postgresql" not in engine:
            item.add_marker(skip)
        if "sqlite" in item.keywords and "sqlite" not in engine:
            item.add_marker(pytest.mark.skip(reason="SQLite-only behaviour"))
