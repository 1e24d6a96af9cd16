"""Our JWT classes: every token names its session (`sid`) and the user's token version (`ver`).

accounts.authentication checks both against the database on each request; accounts.services
.sessions issues them. The enrolment token is the one exception: it only lets a user whose role
requires a second factor enrol one, for a few minutes, and names no session.
"""

from datetime import timedelta

from rest_framework_simplejwt import tokens

SESSION_CLAIM = "sid"
VERSION_CLAIM = "ver"


class SessionClaimsMixin:
    @classmethod
    def for_session(cls, *, user, sid: str):
        token = cls.for_user(user)
        token[SESSION_CLAIM] = sid
        token[VERSION_CLAIM] = user.token_version
        return token


class AccessToken(SessionClaimsMixin, tokens.AccessToken):
    pass


class RefreshToken(SessionClaimsMixin, tokens.RefreshToken):
    # Its access tokens copy every claim, `sid` and `ver` included.
    access_token_class = AccessToken


class MfaEnrolmentToken(tokens.Token):
    """Accepted only by the TOTP enrolment endpoints (accounts.authentication.MfaEnrolmentAuthentication)."""

    token_type = "mfa_enrolment"  # noqa: S105 - a token type, not a secret
    lifetime = timedelta(minutes=10)

    @classmethod
    def for_user(cls, user) -> "MfaEnrolmentToken":
        token = super().for_user(user)
        token[VERSION_CLAIM] = user.token_version
        return token
