from rest_framework.permissions import SAFE_METHODS

from accounts.permissions import SignedIn


def is_doctor_self_or_admin(user, doctor) -> bool:
    return user.is_admin or (user.is_doctor and doctor.user_id == user.pk)


class DoctorPermission(SignedIn):
    """Everyone signed in reads; admins create and deactivate; a doctor edits only their own."""

    message = "Only this doctor or an admin may change this profile."

    def allows(self, request, view):
        if view.action in ("create", "destroy"):
            return request.user.is_admin
        return True

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return is_doctor_self_or_admin(request.user, obj)


class DoctorScheduleWritePermission(SignedIn):
    """Working hours and time off: everyone reads; only that doctor or an admin writes."""

    message = "Only this doctor or an admin may change this schedule."

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or is_doctor_self_or_admin(request.user, obj)


class AdminWritesOthersRead(SignedIn):
    message = "Only admins may change this."

    def allows(self, request, view):
        return request.method in SAFE_METHODS or request.user.is_admin
