"""Role checks. Roles are read from the user row on every request, never from a token claim.

Every permission class of ours derives from SignedIn, so replacing the default IsAuthenticated on a
view can never open it to anonymous callers (they get 401 before any rule runs)."""

from rest_framework.permissions import SAFE_METHODS, IsAuthenticated

from accounts.models import Role


class SignedIn(IsAuthenticated):
    def has_permission(self, request, view):
        return super().has_permission(request, view) and self.allows(request, view)

    def allows(self, request, view) -> bool:
        return True


class IsAdmin(SignedIn):
    """Admins only; everyone else (signed in) gets 403."""

    message = "Only admins may do this."

    def allows(self, request, view):
        return request.user.is_admin


class NotFrontDesk(SignedIn):
    """Clinical records: whole endpoints (lists, creating one) are closed to the front desk (403);
    a single record is simply not visible to them (the selector answers 404)."""

    message = "The front desk does not see clinical records."

    def allows(self, request, view):
        return not (request.user.is_receptionist and not getattr(view, "detail", False))


class AdminWritesOthersRead(SignedIn):
    """Reference data: everyone signed in reads, admins write."""

    message = "Only admins may change this."

    def allows(self, request, view):
        return request.method in SAFE_METHODS or request.user.is_admin


class PersonRecordPermission(SignedIn):
    """A doctor's or a patient's record (anything with a `user_id`): whoever sees it reads it (the
    selector decides who sees it); the person it describes edits it, and so do the roles in the
    view's `editor_roles`; the view's `creator_roles` create records; only admins deactivate.
    (What each of them may change is the input serializer's: patients.serializers.)"""

    message = "Only the person this record describes, or the staff who keep it, may change it."

    def allows(self, request, view):
        if view.action == "create":
            return request.user.role in getattr(view, "creator_roles", (Role.ADMIN,))
        if view.action == "destroy":
            return request.user.is_admin
        return True

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return request.user.role in getattr(view, "editor_roles", (Role.ADMIN,)) or obj.user_id == request.user.pk
