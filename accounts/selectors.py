"""Reads of user accounts, scoped by who asks."""

from django.db.models import QuerySet

from accounts.models import AuditEvent, User


def user_list_for_admin() -> QuerySet[User]:
    """Every account, active or not; only admins reach this (see IsAdmin)."""
    return User.objects.all()


def audit_events_for_admin() -> QuerySet[AuditEvent]:
    """The audit trail, newest first; only admins reach this (see IsAdmin)."""
    return AuditEvent.objects.select_related("actor").order_by("-at", "-id")
