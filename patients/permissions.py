from rest_framework.permissions import SAFE_METHODS

from accounts.permissions import SignedIn


class PatientPermission(SignedIn):
    """Visible records are readable (the selector decides visibility); a patient edits their own,
    admins edit any and are the only ones to create or deactivate."""

    message = "Only this patient or an admin may change this record."

    def allows(self, request, view):
        if view.action in ("create", "destroy"):
            return request.user.is_admin
        return True

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return request.user.is_admin or obj.user_id == request.user.pk


class AssignmentPermission(SignedIn):
    """Doctors and patients read their own assignments; only admins create, change or end them."""

    message = "Only admins manage assignments."

    def allows(self, request, view):
        return request.method in SAFE_METHODS or request.user.is_admin
