from rest_framework.permissions import SAFE_METHODS

from accounts.permissions import SignedIn


def is_doctor_self_or_admin(user, doctor) -> bool:
    return user.is_admin or (user.is_doctor and doctor.user_id == user.pk)


class DoctorScheduleWritePermission(SignedIn):
    """A doctor's hours, time off and the like: everyone reads; only that doctor or an admin writes."""

    message = "Only this doctor or an admin may change this schedule."

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or is_doctor_self_or_admin(request.user, obj)
