from rest_framework.permissions import SAFE_METHODS

from accounts.permissions import SignedIn


class TreatmentPermission(SignedIn):
    """Patients read their own; doctors and admins record. Changing a record is for the visit's
    doctor or an admin (another doctor who can read it gets 403)."""

    message = "Only the doctor of this visit or an admin may do this."

    def allows(self, request, view):
        return request.method in SAFE_METHODS or not request.user.is_patient

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return user.is_admin or obj.appointment.doctor.user_id == user.pk
