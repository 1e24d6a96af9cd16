"""Every write to accounts, one transaction each.

users: create, update, deactivate (never the last admin), passwords. sessions: the tokens of a
login, logout, revocation. audit: the trail of patient data and lockouts. recovery: e-mail
verification and password reset links. mfa: TOTP second factor and recovery codes.
"""

from accounts.services.audit import audit_lockout, audit_read_rows, audit_reads, audit_write
from accounts.services.mfa import (
    mfa_disable,
    mfa_enrolled,
    mfa_login_check,
    mfa_reset,
    mfa_totp_begin,
    mfa_totp_confirm,
)
from accounts.services.recovery import account_email_send, email_verify, password_reset_confirm, password_reset_request
from accounts.services.sessions import (
    session_end,
    session_end_if_reused,
    session_logout,
    session_refresh,
    tokens_for_user,
    tokens_revoke_all,
)
from accounts.services.users import (
    user_change_check,
    user_change_password,
    user_create,
    user_deactivate,
    user_save_from_admin,
    user_set_password,
    user_update,
)

__all__ = [
    "account_email_send",
    "audit_lockout",
    "audit_read_rows",
    "audit_reads",
    "audit_write",
    "email_verify",
    "mfa_disable",
    "mfa_enrolled",
    "mfa_login_check",
    "mfa_reset",
    "mfa_totp_begin",
    "mfa_totp_confirm",
    "password_reset_confirm",
    "password_reset_request",
    "session_end",
    "session_end_if_reused",
    "session_logout",
    "session_refresh",
    "tokens_for_user",
    "tokens_revoke_all",
    "user_change_check",
    "user_change_password",
    "user_create",
    "user_deactivate",
    "user_save_from_admin",
    "user_set_password",
    "user_update",
]
