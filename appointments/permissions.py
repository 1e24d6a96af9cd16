from accounts.permissions import SignedIn

STAFF_ACTIONS = {"confirm", "check_in", "complete", "no_show"}


class AppointmentPermission(SignedIn):
    """Whoever sees an appointment (the selector decides) may read, cancel and edit it. Running
    the visit (confirm, check in, complete, no-show) is for the doctor or an admin; moving it is
    for the patient (before the cutoff) or an admin (ARCHITECTURE.md, roles table)."""

    message = "You may not do this to this appointment."

    def has_object_permission(self, request, view, obj):
        if view.action in STAFF_ACTIONS:
            return not request.user.is_patient
        if view.action == "reschedule":
            return not request.user.is_doctor
        return True
