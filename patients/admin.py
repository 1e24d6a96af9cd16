from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import User
from config.admin import ADD, CHANGE, VIEW, RoleAdminMixin
from config.errors import DomainError
from patients import services
from patients.models import Assignment, Patient

ACCOUNT_FIELDS = ("username", "first_name", "last_name", "email", "phone")


class WalkInForm(forms.ModelForm):
    """Register a walk-in from the admin: the account (no password: it cannot log in until the
    patient sets one) and the record, through patients.services.patient_register_walk_in, so a
    national id on file or a possible duplicate is a form error, as the API's 409."""

    username = User._meta.get_field("username").formfield()
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(max_length=254, required=False)
    phone = User._meta.get_field("phone").formfield(required=False)
    confirm_duplicate = forms.BooleanField(
        required=False,
        help_text="Tick when a patient with the same name and date of birth is on file and this is someone else.",
    )

    class Meta:
        model = Patient
        fields = list(Patient.EDITABLE_FIELDS)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        account = {name: data.get(name, "") for name in ACCOUNT_FIELDS}
        profile = {name: data[name] for name in self._meta.fields if name in data}
        try:
            self.instance = services.patient_register_walk_in(
                actor=self.actor,
                account={**account, "password": None},
                confirm_duplicate=data.get("confirm_duplicate", False),
                **profile,
            )
        except DomainError as refusal:
            self.add_error(refusal.field if refusal.field in self.fields else None, refusal.message)
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                self.add_error(name if name in self.fields else None, problems)
        except IntegrityError:  # the same username taken by a registration a moment earlier
            self.add_error(None, "Someone registered that username or e-mail address just now; choose another.")
        return data

    def _post_clean(self):
        pass  # the service validated and saved the record

    def save(self, commit=True):
        return self.instance

    def save_m2m(self):
        pass


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["doctor", "patient", "reason_for_assignment", "is_active"]

    def clean_is_active(self):
        is_active = self.cleaned_data["is_active"]
        if is_active and self.instance.pk is not None and not self.instance.is_active:
            raise ValidationError("An ended assignment cannot restart; add a new one.")
        return is_active


class AssignmentInline(RoleAdminMixin, admin.TabularInline):
    """Assignments are made and ended through the same service as the API (PatientAdmin.save_formset).
    Admins only, as the reasons are clinical."""

    model = Assignment
    form = AssignmentForm
    fk_name = "patient"
    extra = 0
    fields = ["doctor", "reason_for_assignment", "is_active", "assigned_by", "created_at", "ended_at"]
    readonly_fields = ["assigned_by", "created_at", "ended_at"]
    autocomplete_fields = ["doctor"]

    def has_delete_permission(self, request, obj=None):
        return False


def save_assignment_form(request, form) -> Assignment | None:
    """An assignment form (inline or its own page) through the services: create, change the
    reason, or end it (unticking is_active records who ended it and when)."""
    data = form.cleaned_data
    assignment = form.instance
    if assignment.pk is None:
        return services.assignment_create(
            actor=request.user,
            doctor=data["doctor"],
            patient=data["patient"],
            reason_for_assignment=data.get("reason_for_assignment", ""),
        )
    changed = set(form.changed_data)
    return services.assignment_update(
        assignment=assignment,
        actor=request.user,
        reason_for_assignment=data["reason_for_assignment"] if "reason_for_assignment" in changed else None,
        end="is_active" in changed and not data["is_active"],
    )


@admin.register(Patient)
class PatientAdmin(RoleAdminMixin, admin.ModelAdmin):
    """The front desk reads and keeps demographics, contact and insurance; the clinical fields are
    left out of their pages (not blanked), as in the API."""

    front_desk = frozenset({VIEW, ADD, CHANGE})
    list_display = ["__str__", "email", "phone", "date_of_birth", "sex", "national_id", "insurance_number", "is_active"]
    list_filter = ["sex", "blood_group", "user__is_active"]
    search_fields = [
        "user__first_name",
        "user__last_name",
        "user__email",
        "user__phone",
        "national_id",
        "insurance_number",
    ]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [AssignmentInline]

    @admin.display(ordering="user__email")
    def email(self, patient):
        return patient.user.email

    @admin.display(ordering="user__phone")
    def phone(self, patient):
        return patient.user.phone

    @admin.display(boolean=True, ordering="user__is_active", description="active")
    def is_active(self, patient):
        return patient.user.is_active

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        actor, editable = request.user, self._editable(request)

        class WalkIn(WalkInForm):
            class Meta(WalkInForm.Meta):
                fields = list(editable)

            def __init__(self, *args, **inner):
                super().__init__(*args, actor=actor, **inner)

        return WalkIn

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*ACCOUNT_FIELDS, *self._editable(request), "confirm_duplicate"]
        return super().get_fields(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @staticmethod
    def _editable(request):
        return Patient.EDITABLE_FIELDS if request.user.is_admin else Patient.FRONT_DESK_EDITABLE_FIELDS

    def save_model(self, request, obj, form, change):
        if not change:
            return  # registered by the form, through patients.services.patient_register_walk_in
        editable = Patient.EDITABLE_FIELDS if request.user.is_admin else Patient.FRONT_DESK_EDITABLE_FIELDS
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in editable}
        # The form has already set the new values on obj; the service compares with the saved row.
        services.patient_update(patient=Patient.objects.get(pk=obj.pk), actor=request.user, **fields)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Assignment:
            super().save_formset(request, form, formset, change)
            return
        # The admin's change message reads what formset.save() would have recorded.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            adding = inline_form.instance.pk is None
            inline_form.cleaned_data["patient"] = form.instance
            try:
                saved = save_assignment_form(request, inline_form)
            except (DomainError, ValidationError) as refusal:
                self.message_user(request, f"Assignment not saved: {_message(refusal)}", messages.ERROR)
                continue
            if adding:
                formset.new_objects.append(saved)
            else:
                formset.changed_objects.append((saved, inline_form.changed_data))

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate the user account instead; every record is kept

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fields = super().get_readonly_fields(request, obj)
        return fields if request.user.is_admin else [*fields, "user"]

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        return excluded if request.user.is_admin else [*excluded, *Patient.CLINICAL_FIELDS]

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        return filters if request.user.is_admin else [name for name in filters if name not in Patient.CLINICAL_FIELDS]


def _message(refusal: Exception) -> str:
    return refusal.message if isinstance(refusal, DomainError) else "; ".join(refusal.messages)


@admin.register(Assignment)
class AssignmentAdmin(RoleAdminMixin, admin.ModelAdmin):
    form = AssignmentForm
    list_display = ["doctor", "patient", "is_active", "assigned_by", "created_at", "ended_at"]
    list_filter = ["is_active", "doctor__specialization"]
    search_fields = ["doctor__user__last_name", "patient__user__last_name", "reason_for_assignment"]
    list_select_related = ["doctor__user", "patient__user", "assigned_by"]
    autocomplete_fields = ["doctor", "patient"]
    readonly_fields = ["assigned_by", "ended_by", "created_at", "updated_at", "ended_at"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        # Who is assigned to whom is fixed once saved: end it and make a new one instead.
        return [*self.readonly_fields, "doctor", "patient"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        saved = save_assignment_form(request, form)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False
