"""Accounts: lockout after failed logins (django-axes), sign-up and reset links, the second factor."""

from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured

from config.env import env_int, env_list, env_str
from config.settings.base import DEBUG
from config.settings.clinic import PUBLIC_BASE_URL

# --- Lockout (django-axes) ------------------------------------------------------------------------

# After LOGIN_FAILURE_LIMIT failed logins naming one account, or from one address, further logins
# of that account or from that address are refused for LOGIN_LOCKOUT_MINUTES (every failure while
# locked starts the wait again). The admin site and POST /api/token/ share the count.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.lockout.login_key"
# The same client address as throttling and the audit trail (DJANGO_NUM_PROXIES).
AXES_CLIENT_IP_CALLABLE = "config.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Attempts are kept for the cool-off only; the audit trail keeps each lockout.
AXES_USE_ATTEMPT_EXPIRATION = False
AXES_SENSITIVE_PARAMETERS = ["password", "otp", "new_password", "old_password"]

# --- Links in account e-mails -----------------------------------------------------------------

# Where the verification and reset links lead: `<base>/verify-email/?uid=&token=` and
# `<base>/password-reset/?uid=&token=`. The default is this server's own small pages; a portal
# with its own pages sets its URL and posts uid and token to the API.
ACCOUNT_LINK_BASE_URL = env_str("ACCOUNT_LINK_BASE_URL", f"{PUBLIC_BASE_URL}/account").rstrip("/")
# Seconds a reset link works (Django's setting) and a sign-up's verification link works.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600, minimum=60)
EMAIL_VERIFICATION_TIMEOUT = env_int("EMAIL_VERIFICATION_TIMEOUT", 3 * 24 * 3600, minimum=60)

# --- Second factor (TOTP) -----------------------------------------------------------------------

_MFA_ROLES = {"admin", "receptionist", "doctor"}
_required = {role.lower() for role in env_list("MFA_REQUIRED_ROLES", ["none"] if DEBUG else ["admin"])}
if not _required <= _MFA_ROLES | {"none"}:
    raise ImproperlyConfigured(
        f"MFA_REQUIRED_ROLES takes admin, receptionist, doctor (comma-separated) or none; got {sorted(_required)}."
    )
# The roles that must have a second factor to log in; `none` requires it of no role.
MFA_REQUIRED_ROLES = frozenset(_required - {"none"})
# The name authenticator apps show for the account.
OTP_TOTP_ISSUER = env_str("MFA_ISSUER", "") or env_str("CLINIC_NAME", "Demo Clinic")

# --- Staff sessions on the admin ---------------------------------------------------------------

# Front-desk computers are shared: an admin-site session ends after this many minutes without a
# request (accounts.middleware.StaffSessionIdleMiddleware).
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30, minimum=1)
