"""Login sessions and their tokens: issue, refresh-reuse detection, logout, revocation.

Every token carries the user's `token_version` (`ver`) and its session's id (`sid`);
accounts.authentication refuses a token whose version is behind the user row or whose session
has ended. So bumping the version ends every session of a user, and ending a session ends its
access and refresh tokens together.
"""

import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import UntypedToken

from accounts.jwt import SESSION_CLAIM, RefreshToken
from accounts.models import TokenSession, User


@transaction.atomic
def tokens_for_user(*, user: User) -> dict[str, str]:
    """Start a session for a user who has just proven who they are; returns its token pair."""
    session = TokenSession.objects.create(user=user, sid=secrets.token_hex(16))
    refresh = RefreshToken.for_session(user=user, sid=session.sid)
    return {"refresh": str(refresh), "access": str(refresh.access_token)}


@transaction.atomic
def session_refresh(*, refresh: RefreshToken, user: User) -> dict[str, str] | None:
    """Rotate a live session's refresh token: the one sent is blacklisted, a new pair of the same
    session is returned. None when the token had been used already (a concurrent refresh won):
    then the session ends, as for any reuse."""
    _, first_use = BlacklistedToken.objects.get_or_create(token=refresh.outstand()[0])
    if not first_use:
        session_end(sid=refresh.get(SESSION_CLAIM), reason=TokenSession.EndReason.REUSED)
        return None
    rotated = RefreshToken.for_session(user=user, sid=refresh[SESSION_CLAIM])
    return {"refresh": str(rotated), "access": str(rotated.access_token)}


@transaction.atomic
def session_end(*, sid: str | None, reason: str = TokenSession.EndReason.LOGOUT) -> bool:
    """End one session: its access and refresh tokens stop working now. False if it had ended."""
    if not sid:
        return False
    return bool(TokenSession.objects.filter(sid=sid, ended_at=None).update(ended_at=timezone.now(), end_reason=reason))


@transaction.atomic
def session_logout(*, refresh: RefreshToken) -> None:
    """Logout: blacklist the refresh token and end its session (so its access token too)."""
    refresh.blacklist()
    session_end(sid=refresh.get(SESSION_CLAIM))


def session_end_if_reused(*, raw_token: str) -> bool:
    """A refresh token that was rotated (or logged out) came back: someone holds a copy, so the
    whole family ends, the token issued in its place included. Returns whether it was such a token.

    The signature is checked (UntypedToken), so nobody can end a session by forging a `sid`."""
    try:
        token = UntypedToken(raw_token)
    except TokenError:
        return False
    if token.get("token_type") != "refresh":
        return False
    if not BlacklistedToken.objects.filter(token__jti=token.get("jti")).exists():
        return False
    return session_end(sid=token.get(SESSION_CLAIM), reason=TokenSession.EndReason.REUSED)


@transaction.atomic
def tokens_revoke_all(*, user: User) -> int:
    """End every session of the user now: the token version moves on (every token issued so far
    stops working), sessions end and outstanding refresh tokens are blacklisted. Returns how
    many refresh tokens were blacklisted."""
    User.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)
    user.token_version = User.objects.values_list("token_version", flat=True).get(pk=user.pk)
    TokenSession.objects.filter(user=user, ended_at=None).update(
        ended_at=timezone.now(), end_reason=TokenSession.EndReason.REVOKED
    )
    outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    revoked = [BlacklistedToken(token=token) for token in outstanding]
    BlacklistedToken.objects.bulk_create(revoked, ignore_conflicts=True)
    return len(revoked)
