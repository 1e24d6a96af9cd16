"""Writes to user accounts. Every function is keyword-only and runs in one transaction."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from config.errors import DomainError

ACCOUNT_FIELDS = ("username", "email", "first_name", "last_name", "phone")


def _validate_password(password: str, user: User, field: str = "password") -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


@transaction.atomic
def user_create(*, username: str, password: str | None, role: str, email: str = "", **fields) -> User:
    """Create an account of any role; raises ValidationError for a weak password or a taken name.

    Without a password (a walk-in patient registered at the desk) the account cannot log in."""
    user = User(username=username, email=User.objects.normalize_email(email), role=role, **fields)
    if password is None:
        user.set_unusable_password()
    else:
        _validate_password(password, user)
        user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_update(*, user: User, **fields) -> User:
    """Change account fields (never the role: a doctor's or patient's profile hangs on it)."""
    if "role" in fields and fields["role"] != user.role:
        raise DomainError("The role of an existing account cannot change; create a new account instead.", field="role")
    fields.pop("role", None)
    if "email" in fields:
        fields["email"] = User.objects.normalize_email(fields["email"])
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean()
    user.save()
    if fields.get("is_active") is False:
        tokens_revoke_all(user=user)
    return user


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """Deactivate instead of deleting: the account's history stays; its sessions end now."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    tokens_revoke_all(user=user)
    return user


@transaction.atomic
def user_change_password(*, user: User, old_password: str, new_password: str) -> dict[str, str]:
    """Check the old password, set the new one, end every other session, return fresh tokens."""
    if not user.check_password(old_password):
        raise DomainError("The current password is not correct.", field="old_password")
    _validate_password(new_password, user, field="new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    tokens_revoke_all(user=user)
    return tokens_for_user(user=user)


def tokens_for_user(*, user: User) -> dict[str, str]:
    refresh = RefreshToken.for_user(user)
    return {"refresh": str(refresh), "access": str(refresh.access_token)}


def tokens_revoke_all(*, user: User) -> int:
    """Blacklist every refresh token the user still holds; returns how many were revoked."""
    outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    revoked = [BlacklistedToken(token=token) for token in outstanding]
    BlacklistedToken.objects.bulk_create(revoked, ignore_conflicts=True)
    return len(revoked)
