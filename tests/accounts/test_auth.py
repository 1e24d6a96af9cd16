import pytest

from accounts import services
from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-much-better-secret-42"


def login(anon, username, password=PASSWORD):
    return anon.post("/api/token/", {"username": username, "password": password}, format="json")


def bearer(client, access):
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


# --- Tokens ----------------------------------------------------------------------------------


@pytest.mark.parametrize("login_as", ["Dora", "dora", "dora@example.com", "DORA@Example.com"])
def test_login_by_username_or_email_in_any_case(anon, login_as):
    UserFactory(username="dora", email="dora@example.com")

    response = login(anon, login_as)

    assert response.status_code == 200, response.data
    assert set(response.data) == {"access", "refresh"}
    assert User.objects.get(username="dora").last_login is not None
    assert bearer(anon, response.data["access"]).get("/api/profile/").data["username"] == "dora"


def test_login_with_a_wrong_password_is_401(anon):
    UserFactory(username="dora")

    assert login(anon, "dora", "not-the-password").status_code == 401
    assert login(anon, "nobody").status_code == 401


def test_refresh_rotates_and_the_rotated_token_keeps_the_session(anon):
    UserFactory(username="dora")
    first = login(anon, "dora").data

    rotated = anon.post("/api/token/refresh/", {"refresh": first["refresh"]}, format="json")
    again = anon.post("/api/token/refresh/", {"refresh": rotated.data["refresh"]}, format="json")

    assert rotated.status_code == 200
    assert rotated.data["refresh"] != first["refresh"]
    assert again.status_code == 200
    assert bearer(anon.__class__(), again.data["access"]).get("/api/profile/").status_code == 200


def test_verify_accepts_a_valid_token_and_rejects_garbage(anon):
    UserFactory(username="dora")
    tokens = login(anon, "dora").data

    assert anon.post("/api/token/verify/", {"token": tokens["access"]}, format="json").status_code == 200
    assert anon.post("/api/token/verify/", {"token": "not.a.jwt"}, format="json").status_code == 401


def test_logout_blacklists_the_refresh_token(anon, client_for):
    dora = UserFactory(username="dora")
    tokens = login(anon, "dora").data
    bearer(anon, tokens["access"])

    out = anon.post("/api/auth/logout/", {"refresh": tokens["refresh"]}, format="json")
    refresh = anon.post("/api/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    verify = anon.post("/api/token/verify/", {"token": tokens["refresh"]}, format="json")
    other = client_for(dora)
    twice = other.post("/api/auth/logout/", {"refresh": tokens["refresh"]}, format="json")

    assert out.status_code == 204
    assert refresh.status_code == 401
    assert verify.status_code == 400
    assert twice.status_code == 400
    assert "blacklisted" in twice.data["refresh"][0]


def test_logout_refuses_another_users_refresh_token(anon, client_for):
    UserFactory(username="dora")
    theirs = login(anon, "dora").data["refresh"]
    mallory = client_for(UserFactory(username="mallory"))

    response = mallory.post("/api/auth/logout/", {"refresh": theirs}, format="json")

    assert response.status_code == 400
    assert anon.post("/api/token/refresh/", {"refresh": theirs}, format="json").status_code == 200


@pytest.mark.parametrize("refresh", ["", "garbage", "a.b.c", "x" * 3000])
def test_logout_with_a_malformed_token_is_400(patient_api, refresh):
    assert patient_api.post("/api/auth/logout/", {"refresh": refresh}, format="json").status_code == 400


def test_logout_needs_authentication(anon):
    assert anon.post("/api/auth/logout/", {"refresh": "x"}, format="json").status_code == 401


# --- Password change ---------------------------------------------------------------------------


def test_change_password_ends_old_sessions_and_the_old_password(anon):
    UserFactory(username="dora")
    old = login(anon, "dora").data
    bearer(anon, old["access"])

    response = anon.post(
        "/api/auth/password/change/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 200
    assert set(response.data) == {"access", "refresh"}
    fresh = anon.__class__()
    assert login(fresh, "dora").status_code == 401
    assert login(fresh, "dora", NEW_PASSWORD).status_code == 200
    assert fresh.post("/api/token/refresh/", {"refresh": old["refresh"]}, format="json").status_code == 401
    assert bearer(fresh, old["access"]).get("/api/profile/").status_code == 401
    assert bearer(fresh, response.data["access"]).get("/api/profile/").status_code == 200


def test_change_password_with_a_wrong_current_password_is_400(patient_api, patient_account):
    response = patient_api.post(
        "/api/auth/password/change/", {"old_password": "wrong", "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 400
    assert "old_password" in response.data
    patient_account.refresh_from_db()
    assert patient_account.check_password(PASSWORD)


def test_change_password_to_a_weak_one_is_400(patient_api):
    response = patient_api.post(
        "/api/auth/password/change/", {"old_password": PASSWORD, "new_password": "123"}, format="json"
    )

    assert response.status_code == 400
    assert response.data["new_password"]


# --- Deactivated accounts ------------------------------------------------------------------


def test_a_deactivated_user_cannot_log_in_refresh_or_use_an_access_token(anon, admin_api):
    dora = UserFactory(username="dora")
    tokens = login(anon, "dora").data

    assert admin_api.delete(f"/api/users/{dora.pk}/").status_code == 204

    assert login(anon, "dora").status_code == 401
    assert anon.post("/api/token/refresh/", {"refresh": tokens["refresh"]}, format="json").status_code == 401
    assert bearer(anon, tokens["access"]).get("/api/profile/").status_code == 401
    dora.refresh_from_db()
    assert not dora.is_active


def test_a_token_for_a_user_that_no_longer_exists_is_401(anon):
    ghost = UserFactory(username="ghost")
    access = services.tokens_for_user(user=ghost)["access"]
    ghost.delete()

    assert bearer(anon, access).get("/api/profile/").status_code == 401


# --- Throttling ------------------------------------------------------------------------------


def test_token_endpoint_is_throttled_after_twenty_attempts_a_minute(anon, settings):
    settings.AXES_ENABLED = False  # the lockout would refuse them first (tests/accounts/test_lockout.py)
    statuses = [login(anon, f"nobody{i}", "guess").status_code for i in range(21)]

    assert statuses[:20] == [401] * 20
    assert statuses[20] == 429
