"""Admin building blocks shared by the apps' admin modules."""


class ReadOnlyAdminMixin:
    """For records nobody edits by hand (audit events, appointment events, revisions, issued
    prescriptions): they can be listed and opened, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
