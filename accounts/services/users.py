"""Writes to user accounts. Every function is keyword-only and runs in one transaction."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Role, User
from accounts.services.sessions import tokens_for_user, tokens_revoke_all
from config.errors import Conflict, DomainError
from config.services import model_update


def _validate_password(password: str, user: User, field: str = "password") -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def _guard_admins(*, actor: User | None, user: User, stays_admin: bool) -> None:
    """The clinic always keeps an active admin, and no admin locks themselves out.

    Raises Conflict (409): self_deactivation when an admin would deactivate or demote their own
    account, last_admin when the account is the last active admin. Locks the admin rows, so two
    admins removing each other at once cannot both succeed."""
    if stays_admin or not (user.is_active and user.role == Role.ADMIN):
        return
    if actor is not None and actor.pk == user.pk:
        raise Conflict(
            "You cannot deactivate or demote your own account; ask another admin to do it.", code="self_deactivation"
        )
    admins = list(User.objects.select_for_update().filter(role=Role.ADMIN, is_active=True).values_list("pk", flat=True))
    if admins == [user.pk]:
        raise Conflict(
            "This is the last active admin; make another account an admin before removing this one.",
            code="last_admin",
        )


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
def user_update(*, user: User, actor: User | None = None, **fields) -> User:
    """Change account fields (never the role: a doctor's or patient's profile hangs on it).

    Raises DomainError (400) for a change of role, ValidationError for a taken e-mail address,
    Conflict (409) for deactivating oneself or the last admin."""
    if "role" in fields and fields["role"] != user.role:
        raise DomainError("The role of an existing account cannot change; create a new account instead.", field="role")
    fields.pop("role", None)
    if "email" in fields:
        fields["email"] = User.objects.normalize_email(fields["email"])
    if fields.get("is_active") is False:
        _guard_admins(actor=actor, user=user, stays_admin=False)
    changed = model_update(instance=user, fields=UPDATABLE_FIELDS, data=fields)
    if "is_active" in changed and not user.is_active:
        tokens_revoke_all(user=user)
    return user


@transaction.atomic
def user_deactivate(*, user: User, actor: User | None = None) -> User:
    """Deactivate instead of deleting: the account's history stays; its sessions end now.

    Raises Conflict (409) for deactivating oneself or the last active admin."""
    _guard_admins(actor=actor, user=user, stays_admin=False)
    user.is_active = False
    user.save(update_fields=["is_active"])
    tokens_revoke_all(user=user)
    return user


@transaction.atomic
def user_change_check(*, actor: User, user: User, role: str, is_active: bool) -> None:
    """Whether `actor` may give the stored account `user` this role and activity; raises the
    Conflicts of user_save_from_admin (for forms that say so before saving)."""
    _guard_admins(actor=actor, user=user, stays_admin=is_active and role == Role.ADMIN)


ADMIN_EDITABLE_FIELDS = ("username", "first_name", "last_name", "email", "phone", "role", "is_active", "is_superuser")
# A change of any of these ends the account's sessions: what it may do changed.
SESSION_ENDING_FIELDS = {"role", "is_active", "is_superuser"}


@transaction.atomic
def user_save_from_admin(*, actor: User, user: User) -> User:
    """The Django admin's save of an account, with the values its form set on `user`.

    Same rules as the API: Conflict (409) for deactivating or demoting oneself or the last
    active admin; a change of role, activity or superuser status ends every session."""
    if user.pk is None:  # the admin's add form has validated it
        user.save()
        return user
    stored = User.objects.select_for_update().get(pk=user.pk)
    _guard_admins(actor=actor, user=stored, stays_admin=user.is_active and user.role == Role.ADMIN)
    changed = {name for name in ADMIN_EDITABLE_FIELDS if getattr(stored, name) != getattr(user, name)}
    user.save()
    if changed & SESSION_ENDING_FIELDS or stored.password != user.password:
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


@transaction.atomic
def user_set_password(*, user: User, new_password: str, field: str = "new_password") -> User:
    """Set a password after the validators accept it (a reset link, say); every session ends."""
    _validate_password(new_password, user, field=field)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    tokens_revoke_all(user=user)
    return user
