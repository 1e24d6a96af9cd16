"""Tokens that stop working when their reason ends: logout, logout everywhere, password change,
deactivation (and reactivation), role change, and a rotated refresh token used again."""

import pytest
from rest_framework.test import APIClient

from accounts import services
from accounts.models import Role, TokenSession
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def login(username="dora", password=PASSWORD) -> dict:
    response = APIClient().post("/api/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.data
    return response.data


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def works(tokens: dict) -> tuple[int, int]:
    """(status with the access token, status of refreshing with the refresh token)."""
    access = bearer(tokens["access"]).get("/api/profile/").status_code
    refresh = APIClient().post("/api/token/refresh/", {"refresh": tokens["refresh"]}, format="json").status_code
    return access, refresh


@pytest.fixture
def dora(db):
    return UserFactory(username="dora")


def test_logout_ends_that_sessions_access_and_refresh_tokens_at_once(dora):
    this, other = login(), login()

    response = bearer(this["access"]).post("/api/auth/logout/", {}, format="json")

    assert response.status_code == 204
    assert works(this) == (401, 401)
    assert works(other) == (200, 200)
    assert TokenSession.objects.get(sid__in=[s.sid for s in dora.token_sessions.all()], ended_at__isnull=False)


def test_logout_all_ends_every_session(dora):
    first, second = login(), login()

    assert bearer(first["access"]).post("/api/auth/logout-all/").status_code == 204

    assert works(first) == (401, 401)
    assert works(second) == (401, 401)
    assert works(login()) == (200, 200)


def test_a_rotated_refresh_token_used_again_ends_the_whole_family(dora):
    first = login()
    rotated = APIClient().post("/api/token/refresh/", {"refresh": first["refresh"]}, format="json").data

    replay = APIClient().post("/api/token/refresh/", {"refresh": first["refresh"]}, format="json")

    assert replay.status_code == 401
    assert works(rotated) == (401, 401)
    assert TokenSession.objects.get(user=dora).end_reason == TokenSession.EndReason.REUSED


def test_deactivating_and_reactivating_does_not_bring_old_tokens_back(dora, admin_api):
    old = login()

    assert admin_api.delete(f"/api/users/{dora.pk}/").status_code == 204
    assert admin_api.patch(f"/api/users/{dora.pk}/", {"is_active": True}, format="json").status_code == 200

    assert works(old) == (401, 401)
    assert works(login()) == (200, 200)


def test_changing_the_password_revokes_tokens_even_with_the_same_password_hash_claim(dora):
    old = login()

    services.tokens_revoke_all(user=dora)

    assert works(old) == (401, 401)


def test_a_role_change_in_the_admin_ends_the_sessions(client):
    desk = UserFactory(username="desk", role=Role.RECEPTIONIST)
    old = login("desk")
    client.force_login(UserFactory(admin=True))

    response = client.post(
        f"/admin/accounts/user/{desk.pk}/change/",
        {
            "username": "desk",
            "first_name": desk.first_name,
            "last_name": desk.last_name,
            "email": desk.email,
            "phone": "",
            "role": Role.ADMIN,
            "is_active": "on",
            "date_joined_0": "2030-01-01",
            "date_joined_1": "09:00:00",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    desk.refresh_from_db()
    assert desk.role == Role.ADMIN
    assert works(old) == (401, 401)


def test_a_token_without_session_claims_is_refused(dora):
    from rest_framework_simplejwt.tokens import AccessToken

    assert bearer(str(AccessToken.for_user(dora))).get("/api/profile/").status_code == 401


def test_token_verify_says_a_revoked_access_token_is_not_valid(dora):
    tokens = login()
    services.tokens_revoke_all(user=dora)

    response = APIClient().post("/api/token/verify/", {"token": tokens["access"]}, format="json")

    assert response.status_code == 401


def test_checking_revocation_costs_no_query_beyond_loading_the_user(client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = client_for(UserFactory(doctor=True))

    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/specializations/").status_code == 200

    auth = [q["sql"] for q in queries if "accounts_tokensession" in q["sql"] or '"accounts_user"' in q["sql"]]
    assert len(auth) == 1  # the user row, with its session's liveness in the same query
    assert "accounts_tokensession" in auth[0]
