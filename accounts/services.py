"""Writes to user accounts. Every function is keyword-only and runs in one transaction."""

from collections.abc import Callable, Iterable

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.middleware import audit_context
from accounts.models import AuditEvent, User
from config.errors import DomainError
from config.middleware import current_request_id
from config.services import model_update


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


UPDATABLE_FIELDS = ("email", "first_name", "last_name", "phone", "is_active")


@transaction.atomic
def user_update(*, user: User, **fields) -> User:
    """Change account fields (never the role: a doctor's or patient's profile hangs on it).

    Raises DomainError (400) for a change of role, ValidationError for a taken e-mail address."""
    if "role" in fields and fields["role"] != user.role:
        raise DomainError("The role of an existing account cannot change; create a new account instead.", field="role")
    fields.pop("role", None)
    if "email" in fields:
        fields["email"] = User.objects.normalize_email(fields["email"])
    changed = model_update(instance=user, fields=UPDATABLE_FIELDS, data=fields)
    if "is_active" in changed and not user.is_active:
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


# --- Audit trail of patient data -------------------------------------------------------------------


def _audit_event(*, actor: User | None, action: str, object_type: str, object_id, patient_id) -> AuditEvent:
    context = audit_context.get()
    return AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        role=getattr(actor, "role", ""),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        patient_id=patient_id,
        ip_address=context.ip_address if context else None,
        request_id=current_request_id() if context else "",
    )


def audit_reads(
    *, actor: User, object_type: str, objects: Iterable, patient_of: Callable[[object], int | None]
) -> None:
    """Note that `actor` read these objects. Within a request they are written together when it
    ends (one INSERT however many rows a page holds); outside one, at once."""
    events = [
        _audit_event(
            actor=actor,
            action=AuditEvent.Action.READ,
            object_type=object_type,
            object_id=obj.pk,
            patient_id=patient_of(obj),
        )
        for obj in objects
    ]
    context = audit_context.get()
    if context is None:
        AuditEvent.objects.bulk_create(events)
    else:
        context.pending.extend(events)


def audit_write(*, actor: User, action: str, object_type: str, object_id, patient_id: int | None) -> None:
    """Record a change to patient data; call it inside the service's transaction, so the change
    and its audit row commit or roll back together."""
    _audit_event(actor=actor, action=action, object_type=object_type, object_id=object_id, patient_id=patient_id).save()
