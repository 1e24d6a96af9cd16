"""The client's address: the socket's unless DJANGO_NUM_PROXIES says proxies append to
X-Forwarded-For. Throttling, the lockout and the audit trail all use it, so a forged header
escapes none of them."""

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_x_forwarded_for_does_not_bypass_the_token_throttle_without_proxies(settings):
    settings.AXES_ENABLED = False  # the lockout would stop them too; this is about the rate limit
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0
    UserFactory(username="dora")

    statuses = [
        APIClient(HTTP_X_FORWARDED_FOR=f"203.0.113.{i % 250}, 10.0.0.{i % 250}")
        .post("/api/token/", {"username": "dora", "password": f"guess-{i}"}, format="json")
        .status_code
        for i in range(100)
    ]

    assert statuses[:20] == [401] * 20
    assert statuses[20:] == [429] * 80


def test_with_one_proxy_the_address_it_saw_is_the_client(settings, rf):
    from config.middleware import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "10.0.0.1"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert client_ip(request) == "203.0.113.9"
