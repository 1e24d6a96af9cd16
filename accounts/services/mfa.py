"""A second factor for staff and doctors: TOTP (RFC 6238) with django-otp, and recovery codes.

Enrolling is two steps: begin (a new, unconfirmed device: its provisioning URI goes to the
authenticator app) and confirm with a first code (the device counts from then on, and ten
single-use recovery codes are issued). django-otp refuses a code used before (replay) and
slows down repeated wrong codes on each device.
"""

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from accounts.services.sessions import tokens_revoke_all
from config.errors import Conflict, DomainError, NotAllowed

MFA_ROLES = (Role.ADMIN, Role.RECEPTIONIST, Role.DOCTOR)
RECOVERY_CODES = 10

# What a login check may answer besides "fine" (None).
MFA_REQUIRED = "mfa_required"
MFA_INVALID = "mfa_invalid"
ENROLMENT_REQUIRED = "mfa_enrolment_required"


def mfa_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def mfa_required(user: User) -> bool:
    """Whether the user's role must have a second factor to log in (MFA_REQUIRED_ROLES)."""
    return user.role in settings.MFA_REQUIRED_ROLES


def _code_ok(user: User, code: str) -> bool:
    """A current TOTP code of a confirmed device, or an unused recovery code (then used up)."""
    code = "".join((code or "").split()).lower()
    if not code:
        return False
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if code.isdigit() and device.verify_token(code):
            return True
    return any(device.verify_token(code) for device in StaticDevice.objects.filter(user=user, confirmed=True))


@transaction.atomic
def mfa_login_check(*, user: User, code: str) -> str | None:
    """After the password: None when the login may go on, else why not: MFA_REQUIRED (enrolled,
    no code sent), MFA_INVALID (a wrong, used or throttled code), ENROLMENT_REQUIRED (the role
    needs a second factor and none is enrolled)."""
    if not mfa_enrolled(user):
        return ENROLMENT_REQUIRED if mfa_required(user) else None
    if not (code or "").strip():
        return MFA_REQUIRED
    return None if _code_ok(user, code) else MFA_INVALID


@transaction.atomic
def mfa_totp_begin(*, user: User) -> TOTPDevice:
    """Start enrolling: a new unconfirmed TOTP device (an unfinished earlier one is replaced).

    Raises NotAllowed (403) for patients, Conflict (409) mfa_already_enrolled when a device is
    confirmed (disable it first)."""
    if user.role not in MFA_ROLES:
        raise NotAllowed("A second factor is for staff and doctors.")
    if mfa_enrolled(user):
        raise Conflict(
            "A second factor is already enrolled; disable it first to enrol another.", code="mfa_already_enrolled"
        )
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def mfa_totp_confirm(*, user: User, code: str) -> list[str]:
    """Finish enrolling with a first code from the app; returns ten single-use recovery codes.

    Raises Conflict (409) mfa_not_started without a begun enrolment, DomainError (400) on `code`
    for a wrong code."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        raise Conflict("Start enrolling first: POST /api/auth/mfa/totp/.", code="mfa_not_started")
    if not device.verify_token("".join((code or "").split())):
        raise DomainError("That code is not right; enter the 6 digits the app shows now.", field="code")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return _new_recovery_codes(user)


@transaction.atomic
def mfa_disable(*, user: User, code: str) -> None:
    """Remove the second factor, proven with a current code or a recovery code.

    Raises Conflict (409) mfa_not_enrolled, DomainError (400) on `code` for a wrong code."""
    if not mfa_enrolled(user):
        raise Conflict("No second factor is enrolled.", code="mfa_not_enrolled")
    if not _code_ok(user, code):
        raise DomainError("That code is not right.", field="code")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def mfa_reset(*, user: User) -> None:
    """An admin removes someone's second factor (a lost phone); their sessions end, and they
    enrol again at their next login if their role requires it."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    tokens_revoke_all(user=user)
