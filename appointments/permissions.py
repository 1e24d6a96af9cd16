from accounts.permissions import SignedIn

STAFF_ACTIONS = {"confirm", "check_in", "complete", "no_show"}


class AppointmentPermission(SignedIn):
    """Whoever sees an appointment (the selector decides) may read, cancel, reschedule and edit
    it; running the visit (confirm, check in, complete, no-show) is for the doctor or an admin."""

    message = "Only the doctor or an admin can do this."

    def has_object_permission(self, request, view, obj):
        if view.action in STAFF_ACTIONS:
            return not request.user.is_patient
        return True
