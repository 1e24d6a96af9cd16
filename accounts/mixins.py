"""View mixins shared by the apps (they may import them, as they import permissions)."""

from rest_framework.permissions import SAFE_METHODS

from accounts import services


class AuditReadsMixin:
    """Records every object a list page or a detail read showed, as `audit_object_type`.

    Lists cost one INSERT per request whatever the page size (the rows are written together at
    the end of the request); writes are audited by the services themselves."""

    audit_object_type = ""

    def audit_patient_of(self, obj) -> int | None:
        return obj.patient_id

    def audit_row_of(self, obj) -> tuple:
        """(object id, patient id) of a record shown: a model instance, or a `values()` row of a
        fast list (config.rows)."""
        if isinstance(obj, dict):
            return obj["id"], obj["patient_id"]
        return obj.pk, self.audit_patient_of(obj)

    def audit(self, objects) -> None:
        services.audit_read_rows(
            actor=self.request.user,
            object_type=self.audit_object_type,
            rows=[self.audit_row_of(obj) for obj in objects],
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self.audit(page)
        return page

    def get_object(self):
        obj = super().get_object()
        if self.request.method in SAFE_METHODS:
            self.audit([obj])
        return obj
