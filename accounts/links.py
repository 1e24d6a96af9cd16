"""The links e-mailed for verifying an address and resetting a password.

Each is `ACCOUNT_LINK_BASE_URL/<page>/?uid=...&token=...`, with a token from one of Django's
token generators: signed with the secret key, expiring, and single-use because what it hashes
changes once it is used (verification: the verified flag; reset: the password hash).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

from accounts.models import User

VERIFY_PAGE = "verify-email"
RESET_PAGE = "password-reset"


class PasswordResetTokens(PasswordResetTokenGenerator):
    """Django's reset tokens (expiring after PASSWORD_RESET_TIMEOUT), with a salt of our own."""

    key_salt = "accounts.links.PasswordResetTokens"


class EmailVerificationTokens(PasswordResetTokenGenerator):
    """Tokens for the sign-up link: dead once the address is verified, or after
    EMAIL_VERIFICATION_TIMEOUT seconds."""

    key_salt = "accounts.links.EmailVerificationTokens"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email_verified}{user.email}{user.is_active}{timestamp}"

    def check_token(self, user, token):
        # Django's check_token measures age against PASSWORD_RESET_TIMEOUT; this link has its own.
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except (ValueError, AttributeError):
            return False
        if not user or self._num_seconds(self._now()) - timestamp > settings.EMAIL_VERIFICATION_TIMEOUT:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


password_reset_tokens = PasswordResetTokens()
email_verification_tokens = EmailVerificationTokens()


def uid_for(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def user_for_uid(uid: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError):
        return None
    return User.objects.filter(pk=pk).first()


def link(page: str, user: User, token: str) -> str:
    return f"{settings.ACCOUNT_LINK_BASE_URL}/{page}/?{urlencode({'uid': uid_for(user), 'token': token})}"


def verification_link(user: User) -> str:
    return link(VERIFY_PAGE, user, email_verification_tokens.make_token(user))


def password_reset_link(user: User) -> str:
    return link(RESET_PAGE, user, password_reset_tokens.make_token(user))
