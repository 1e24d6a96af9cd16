"""Role checks. Roles are read from the user row on every request, never from a token claim."""

from rest_framework.permissions import BasePermission


class IsAdmin(BasePermission):
    """Admins only; everyone else (signed in) gets 403."""

    message = "Only admins may do this."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_admin)


class IsDoctor(BasePermission):
    message = "Only doctors may do this."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_doctor)


class IsPatient(BasePermission):
    message = "Only patients may do this."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_patient)
