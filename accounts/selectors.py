"""Reads of user accounts, and the one place that turns "who is asking" into "which rows"."""

from collections.abc import Callable

from django.db.models import QuerySet

from accounts.models import AuditEvent, Role, User

# A role's rule: (the queryset, the caller) -> the rows that caller may see.
RoleRule = Callable[[QuerySet, User], QuerySet]


def everything(queryset: QuerySet, user: User) -> QuerySet:
    return queryset


def nothing(queryset: QuerySet, user: User) -> QuerySet:
    return queryset.none()


def scope_by_role(
    queryset: QuerySet,
    user: User,
    *,
    admin: RoleRule = everything,
    receptionist: RoleRule = nothing,
    doctor: RoleRule = nothing,
    patient: RoleRule = nothing,
) -> QuerySet:
    """The rows of `queryset` that `user` may see, by their role: each rule narrows the queryset
    for its role (admins see everything unless told otherwise); an anonymous or inactive caller,
    or a role without a rule, sees nothing."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    rules = {Role.ADMIN: admin, Role.RECEPTIONIST: receptionist, Role.DOCTOR: doctor, Role.PATIENT: patient}
    return rules.get(user.role, nothing)(queryset, user)


def user_list_for_admin() -> QuerySet[User]:
    """Every account, active or not; only admins reach this (see IsAdmin)."""
    return User.objects.all()


def audit_events_for_admin() -> QuerySet[AuditEvent]:
    """The audit trail, newest first; only admins reach this (see IsAdmin)."""
    return AuditEvent.objects.select_related("actor").order_by("-at", "-id")
