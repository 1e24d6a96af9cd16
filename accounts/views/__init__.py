"""The accounts app's API: tokens and logout (auth), e-mailed links (links), the second factor
(mfa), user management and the audit trail (users); the server-rendered link pages (pages)."""

from accounts.views.auth import (
    LogoutAllView,
    LogoutView,
    PasswordChangeView,
    TokenObtainView,
    TokenRefreshView,
    TokenVerifyView,
)
from accounts.views.links import EmailVerifyView, PasswordResetConfirmView, PasswordResetView
from accounts.views.mfa import MfaDisableView, TotpConfirmView, TotpEnrolView
from accounts.views.users import AuditEventViewSet, UserViewSet

__all__ = [
    "AuditEventViewSet",
    "EmailVerifyView",
    "LogoutAllView",
    "LogoutView",
    "MfaDisableView",
    "PasswordChangeView",
    "PasswordResetConfirmView",
    "PasswordResetView",
    "TokenObtainView",
    "TokenRefreshView",
    "TokenVerifyView",
    "TotpConfirmView",
    "TotpEnrolView",
    "UserViewSet",
]
