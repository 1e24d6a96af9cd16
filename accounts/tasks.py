"""Account e-mails, sent in the background (django-tasks) with bounded retries.

A task gets the user's id (or, for someone without an account, the bare address) and builds
any link when it runs, so no token ever waits in the task queue. It is queued in the transaction
of the change (config.tasks.enqueue) and sent once per message key (config.tasks.send_once).
"""

from django.conf import settings
from django_tasks import task

from accounts.links import password_reset_link, verification_link
from accounts.models import User
from config.email import templated_email
from config.tasks import retry_later, send_once

VERIFY = "verify"
ALREADY_REGISTERED = "already_registered"
USERNAME_TAKEN = "username_taken"
PASSWORD_RESET = "password_reset"  # noqa: S105 - a kind of e-mail

SUBJECTS = {
    VERIFY: "confirm your e-mail address",
    ALREADY_REGISTERED: "you already have an account",
    USERNAME_TAKEN: "that username is taken",
    PASSWORD_RESET: "choose a new password",
}


def _valid_for(seconds: int) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if (seconds >= size and seconds % size == 0) or unit == "minute":
            count = max(1, seconds // size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return ""


def account_email(kind: str, user: User | None, *, to: str = "", name: str = "", username: str = ""):
    context = {"username": user.username if user else username}
    if kind == VERIFY:
        context.update(link=verification_link(user), valid_for=_valid_for(settings.EMAIL_VERIFICATION_TIMEOUT))
    elif kind == PASSWORD_RESET:
        context.update(link=password_reset_link(user), valid_for=_valid_for(settings.PASSWORD_RESET_TIMEOUT))
    name = (user.get_full_name() or user.username) if user else (name or username)
    return templated_email(
        to=user.email if user else to,
        subject=SUBJECTS[kind],
        template=f"accounts/email/{kind}",
        context={"recipient_name": name, **context},
    )


@task()
def send_account_email(
    kind: str,
    user_id: int | None = None,
    to: str = "",
    name: str = "",
    username: str = "",
    message_id: str = "",
    attempt: int = 1,
) -> None:
    """Send one account e-mail, once per `message_id` (config.tasks.send_once): a task handed out
    again after its worker died, or retried, sends nothing twice."""
    try:
        user = User.objects.get(pk=user_id) if user_id is not None else None
        message = account_email(kind, user, to=to, name=name, username=username)
        if message_id:
            send_once(f"account-email:{kind}:{message_id}", message.send)
        else:  # queued before messages had keys
            message.send()
    except Exception as error:
        retry_later(send_account_email, kind, user_id, to, name, username, message_id, attempt=attempt, error=error)
