from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group

from accounts.models import AuditEvent, User
from config.admin import ReadOnlyAdminMixin


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "email", "first_name", "last_name", "phone"]
    ordering = ["username"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "email", "phone"]}),
        ("Access", {"fields": ["role", "is_active", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "email", "role", "password1", "password2"]}),
    ]
    filter_horizontal = []

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: appointments and records point at them.
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the trail is append-only."""

    list_display = ["at", "actor", "role", "action", "object_type", "object_id", "patient_id", "ip_address"]
    list_filter = ["action", "role", "object_type"]
    search_fields = ["=object_id", "=patient_id", "=request_id", "actor__username", "actor__last_name"]
    list_select_related = ["actor"]
    date_hierarchy = "at"
    show_full_result_count = False


# What someone may do follows from their role, not from groups: hiding the page avoids the
# impression that groups grant anything here.
admin.site.unregister(Group)
