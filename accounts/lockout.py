"""Lockout after repeated failed logins, by account and by address (django-axes).

Axes counts the failures Django's `authenticate()` reports, for the admin site and
`POST /api/token/` alike, and refuses logins while locked (`AXES_*` in config/settings/accounts.py).
A wrong second factor at `POST /api/token/` counts as a failed login too (`count_failure`).
This module is what it calls back: the login it counts (an e-mail address and the username of
the same account count as one), the API's clear 429, the admin's page, and the audit row.
An admin unlocks in the admin ("Access attempts": delete the row) or with
`manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS`.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from rest_framework.exceptions import Throttled

from accounts.models import User
from accounts.services import audit_lockout


def login_key(request, credentials: dict | None) -> str:
    """The account a login attempt names: the username, also when the e-mail address was typed."""
    login = str((credentials or {}).get("username") or "").strip().lower()[:254]
    if "@" in login:
        username = User.objects.exclude(email="").filter(email__lower=login).values_list("username", flat=True).first()
        return (username or login).lower()
    return login


def retry_after_seconds() -> int:
    cool_off = get_cool_off()
    return int(cool_off.total_seconds()) if cool_off else 0


def message() -> str:
    minutes = max(1, retry_after_seconds() // 60)
    return (
        f"Too many failed logins for this account or from this address. Try again in {minutes} minutes, "
        "or ask an admin to unlock it."
    )


class LockedOut(Throttled):
    """429 with Retry-After: the API's answer while a login is locked out."""

    default_code = "locked_out"

    def __init__(self):
        super().__init__(wait=retry_after_seconds(), detail=message())


def refuse_if_locked(request, login: str) -> None:
    """Raise LockedOut when this address or this account is locked out now."""
    if settings.AXES_ENABLED and AxesProxyHandler.is_locked(request, {"username": login}):
        raise LockedOut()


def count_failure(request, login: str) -> None:
    """Count a login that got past the password and failed after it (a wrong second factor) as
    a failed login, as `authenticate()` reports a wrong password; LockedOut when it locked the
    login out. Otherwise a stolen password could try codes with only the rate limit in the way."""
    user_login_failed.send(sender=__name__, credentials={"username": login}, request=request)
    if was_locked_out(request):
        raise LockedOut()


def was_locked_out(request) -> bool:
    """Whether the failed attempt just made locked the login out (or found it locked)."""
    return bool(getattr(request, "axes_locked_out", False))


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """The admin site's answer while locked out (AXES_LOCKOUT_CALLABLE): a plain page, 429."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message()}, status=429)
    else:
        body = f"<!DOCTYPE html><title>Locked out</title><h1>Locked out</h1><p>{escape(message())}</p>"
        response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after_seconds())
    return response


@receiver(user_locked_out, dispatch_uid="accounts.lockout.audit")
def _audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    audit_lockout(login=username or "", ip_address=ip_address)
