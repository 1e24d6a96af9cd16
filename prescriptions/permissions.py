from rest_framework.permissions import SAFE_METHODS

from accounts.permissions import SignedIn


class PrescriptionPermission(SignedIn):
    """Everyone reads what the selector lets them see; only doctors issue; the prescriber or an
    admin cancels."""

    message = "Only doctors issue prescriptions, and only the prescriber or an admin cancels one."

    def allows(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        if view.action in ("create", "create_alias"):
            return request.user.is_doctor
        return not request.user.is_patient

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return request.user.is_admin or obj.doctor.user_id == request.user.pk
