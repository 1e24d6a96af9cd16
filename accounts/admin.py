from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import AuditEvent, User
from accounts.services import mfa
from config.admin import ReadOnlyAdminMixin, RoleAdminMixin, admin_link
from config.errors import DomainError


class OtpAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's login asks for the second factor too, with the same rule as POST /api/token/."""

    otp = forms.CharField(
        label="Code",
        required=False,
        max_length=32,
        help_text="Once you have a second factor: the 6-digit code from your authenticator app, or a recovery code.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        mfa.MFA_REQUIRED: "Enter the code from your authenticator app (or a recovery code).",
        mfa.MFA_INVALID: "That code is not right, or was used already; enter the code your app shows now.",
        mfa.ENROLMENT_REQUIRED: (
            "Your role must sign in with a second factor, and none is enrolled yet. Log in at POST /api/token/: "
            "its answer carries an enrolment token for POST /api/auth/mfa/totp/ and /api/auth/mfa/totp/confirm/ "
            '(see the README, "Second factor"); then sign in here with a code.'
        ),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        outcome = services.mfa_login_check(user=user, code=self.cleaned_data.get("otp", ""))
        if outcome is not None:
            raise ValidationError(self.error_messages[outcome], code=outcome)


admin.site.login_form = OtpAdminAuthenticationForm
admin.site.login_template = "accounts/admin_login.html"


@admin.register(User)
class UserAdmin(RoleAdminMixin, DjangoUserAdmin):
    """Admins only: user management is not the front desk's."""

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
    actions = ["remove_second_factor"]

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: appointments and records point at them.
        return False

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class GuardedForm(form_class):
            """Says on the form what the service would refuse: demoting or deactivating yourself
            or the last active admin. (clean() runs before the instance takes the new values.)"""

            def clean(self):
                data = super().clean()
                if self.instance.pk is not None:
                    role, active = data.get("role", self.instance.role), data.get("is_active", self.instance.is_active)
                    try:
                        services.user_change_check(actor=request.user, user=self.instance, role=role, is_active=active)
                    except DomainError as error:
                        raise ValidationError(error.message) from None
                return data

        return GuardedForm

    def save_model(self, request, obj, form, change):
        # The same rules as the API: never the last admin, sessions end when access changes.
        services.user_save_from_admin(actor=request.user, user=obj)

    @admin.action(description="Remove the second factor (a lost phone): they enrol again")
    def remove_second_factor(self, request, queryset):
        for user in queryset:
            services.mfa_reset(user=user)
        self.message_user(request, f"Removed the second factor of {len(queryset)} account(s); their sessions ended.")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, RoleAdminMixin, admin.ModelAdmin):
    """Read-only: the trail is append-only. Admins only."""

    list_display = ["at", "actor", "role", "action", "object_type", "object_id", "patient", "ip_address"]
    readonly_fields = ["patient"]
    list_filter = ["action", "role", "object_type"]
    search_fields = ["=object_id", "=patient_id", "=request_id", "actor__username", "actor__last_name"]
    list_select_related = ["actor"]
    date_hierarchy = "at"
    show_full_result_count = False

    def get_queryset(self, request):
        # The patient's name through the ORM's reverse relation from the account (this app is
        # the first in the chain and imports no later one): one subquery, not a query a row.
        names = User.objects.filter(patient_profile__pk=OuterRef("patient_id")).annotate(
            full_name=Concat("first_name", Value(" "), "last_name")
        )
        return super().get_queryset(request).annotate(patient_name=Subquery(names.values("full_name")[:1]))

    @admin.display(description="patient", ordering="patient_id")
    def patient(self, event):
        if event.patient_id is None:
            return "-"
        name = (getattr(event, "patient_name", None) or "").strip() or f"patient {event.patient_id}"
        return admin_link(PATIENT_MODEL, text=f"{name} (#{event.patient_id})", pk=event.patient_id)


# What someone may do follows from their role, not from groups: hiding the page avoids the
# impression that groups grant anything here.
admin.site.unregister(Group)
# The patients app's record model, reached from the account's reverse relation (no import).
PATIENT_MODEL = User._meta.get_field("patient_profile").related_model
# django-otp's pages would show anyone's TOTP secret as a QR code and let devices be added by
# hand; second factors are enrolled by their owner (the API) and removed with the user action.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
