"""Bearer-token authentication that can be revoked at once.

A token is accepted only while its `ver` equals the user's `token_version` and its session
(`sid`) has not ended. Both are read in the query that loads the user, which happens on every
request anyway, so revocation costs no extra query.
"""

from django.db.models import Exists, OuterRef
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import get_md5_hash_password

from accounts.jwt import SESSION_CLAIM, VERSION_CLAIM, MfaEnrolmentToken
from accounts.models import TokenSession, User

ENDED = "This session has ended (logged out, or the password or account changed); log in again."


def token_user(token, *, needs_session: bool = True) -> User:
    """The active user a validated token belongs to; AuthenticationFailed (401) if the token was
    revoked: its version is behind, its session ended, or the password changed since."""
    user_id, sid = token.get(api_settings.USER_ID_CLAIM), token.get(SESSION_CLAIM)
    if user_id is None or VERSION_CLAIM not in token or (needs_session and not sid):
        raise InvalidToken("This token is not one this server issues; log in again.")
    users = User.objects.all()
    if needs_session:
        live = TokenSession.objects.filter(sid=sid, user_id=OuterRef("pk"), ended_at=None)
        users = users.annotate(session_live=Exists(live))
    try:
        user = users.get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise AuthenticationFailed("User not found", code="user_not_found") from None
    if not user.is_active:
        raise AuthenticationFailed("User is inactive", code="user_inactive")
    revoked = token[VERSION_CLAIM] != user.token_version or (needs_session and not user.session_live)
    if revoked or token.get(api_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password):
        raise AuthenticationFailed(ENDED, code="token_revoked")
    return user


class SessionJWTAuthentication(JWTAuthentication):
    """simplejwt's Bearer authentication, refusing revoked tokens (see token_user)."""

    def get_user(self, validated_token):
        return token_user(validated_token)


class MfaEnrolmentAuthentication(JWTAuthentication):
    """The short-lived enrolment token a login answers when the role needs a second factor and
    none is enrolled. Listed first on the enrolment endpoints only; any other token is left to
    the next authentication class."""

    def get_validated_token(self, raw_token):
        try:
            return MfaEnrolmentToken(raw_token)
        except TokenError:
            return None

    def authenticate(self, request):
        header = self.get_header(request)
        raw = self.get_raw_token(header) if header is not None else None
        token = self.get_validated_token(raw) if raw is not None else None
        if token is None:
            return None
        return token_user(token, needs_session=False), token


class SessionJWTScheme(SimpleJWTScheme):
    """The OpenAPI security scheme of our Bearer tokens (the same as simplejwt's)."""

    target_class = "accounts.authentication.SessionJWTAuthentication"


class MfaEnrolmentScheme(SimpleJWTScheme):
    """Sent the same way (a Bearer token); its own name, so the docs say which endpoints take it."""

    target_class = "accounts.authentication.MfaEnrolmentAuthentication"
    name = "mfaEnrolmentToken"
