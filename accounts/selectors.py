"""Reads of user accounts, scoped by who asks."""

from django.db.models import QuerySet

from accounts.models import User


def user_list_for_admin() -> QuerySet[User]:
    """Every account, active or not; only admins reach this (see IsAdmin)."""
    return User.objects.all()
