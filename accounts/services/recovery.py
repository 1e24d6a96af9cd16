"""E-mail verification and password reset.

Neither says to the caller whether an account exists: the request always succeeds the same way,
and only the owner of the address learns what happened, by e-mail (accounts.tasks).
"""

import uuid

from django.db import transaction

from accounts import tasks
from accounts.links import email_verification_tokens, password_reset_tokens, user_for_uid
from accounts.models import User
from accounts.services.users import user_set_password
from config.errors import DomainError
from config.tasks import enqueue

INVALID_LINK = "This link is invalid, already used or expired; ask for a new one."


def account_email_send(
    *, kind: str, user: User | None = None, to: str = "", name: str = "", username: str = ""
) -> None:
    """Queue an account e-mail with the current transaction (the outbox of config.tasks.enqueue:
    a crash after the commit loses nothing), to the user (a link is made when it is sent, so no
    secret waits in the queue) or to a bare address (nothing to link). The message's own key
    makes a task that runs again send nothing twice."""
    message_id = uuid.uuid4().hex
    args = (kind, user.pk, "", "", "") if user is not None else (kind, None, to, name, username)
    enqueue(tasks.send_account_email, *args, message_id)


@transaction.atomic
def email_verify(*, uid: str, token: str) -> User:
    """Mark the address verified so the account can log in; the link then stops working.

    Raises DomainError (400) on `token` for an invalid, used or expired link."""
    user = user_for_uid(uid)
    if user is None or not user.is_active or not email_verification_tokens.check_token(user, token):
        raise DomainError(INVALID_LINK, field="token")
    user.email_verified = True
    user.save(update_fields=["email_verified"])
    return user


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """E-mail a reset link to the active account with this address, if there is one."""
    email = User.objects.normalize_email(email).strip()
    user = User.objects.exclude(email="").filter(email__lower=email.lower(), is_active=True).first()
    if user is not None:
        account_email_send(kind=tasks.PASSWORD_RESET, user=user)


@transaction.atomic
def password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    """Set a new password from a reset link: the validators apply, every session ends, the link
    stops working (it hashes the old password). Following it proves the address, so an
    unverified sign-up becomes verified.

    Raises DomainError (400) on `token` for an invalid, used or expired link; ValidationError on
    `new_password` for a weak password."""
    user = user_for_uid(uid)
    if user is None or not user.is_active or not password_reset_tokens.check_token(user, token):
        raise DomainError(INVALID_LINK, field="token")
    user_set_password(user=user, new_password=new_password)
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user
