"""Role checks. Roles are read from the user row on every request, never from a token claim.

Every permission class of ours derives from SignedIn, so replacing the default IsAuthenticated on a
view can never open it to anonymous callers (they get 401 before any rule runs)."""

from rest_framework.permissions import IsAuthenticated


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
