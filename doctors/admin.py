from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from config.admin import VIEW, RoleAdminMixin
from doctors import services
from doctors.models import Doctor, DoctorVisitType, Specialization, TimeOff, VisitType, WorkingHours


@admin.register(Specialization)
class SpecializationAdmin(RoleAdminMixin, admin.ModelAdmin):
    front_desk = frozenset({VIEW})
    list_display = ["name", "description"]
    search_fields = ["name"]


class VisitTypeForm(forms.ModelForm):
    """Retiring a doctor's default is refused as a form error (409 in the API)."""

    def clean(self):
        data = super().clean()
        retiring = self.instance.pk and data.get("is_active") is False
        if retiring and (refusal := services.visit_type_retire_refusal(visit_type=self.instance)):
            raise ValidationError(refusal.message)
        return data


@admin.register(VisitType)
class VisitTypeAdmin(RoleAdminMixin, admin.ModelAdmin):
    front_desk = frozenset({VIEW})
    form = VisitTypeForm
    list_display = [
        "name",
        "duration_minutes",
        "buffer_before_minutes",
        "buffer_after_minutes",
        "fee",
        "bookable_online",
        "is_active",
    ]
    list_filter = ["is_active", "bookable_online", "specializations"]
    search_fields = ["name"]
    filter_horizontal = ["specializations"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.VISIT_TYPE_FIELDS if name in form.cleaned_data}
        if change:
            # The form has already set the new values on obj; the service compares with the saved row.
            services.visit_type_update(visit_type=VisitType.objects.get(pk=obj.pk), **fields)
        else:
            obj.pk = services.visit_type_create(**fields).pk

    def save_related(self, request, form, formsets, change):
        # The specializations are set by the service, not by the form's m2m save.
        form.instance = VisitType.objects.get(pk=form.instance.pk)
        services.visit_type_update(visit_type=form.instance, specializations=form.cleaned_data["specializations"])


class WholeSetFormSet(BaseInlineFormSet):
    """An inline whose rows are checked and saved as a whole, by the same service as the API's PUT."""

    names: tuple[str, ...] = ()

    def rows(self) -> list[dict]:
        return [
            {name: form.cleaned_data[name] for name in self.names}
            for form in self.forms
            if form.cleaned_data and form not in self.deleted_forms
        ]

    def problems(self) -> list[str]:
        raise NotImplementedError

    def clean(self):
        super().clean()
        if not any(self.errors) and (problems := self.problems()):
            raise ValidationError(problems)


class WorkingHoursFormSet(WholeSetFormSet):
    names = ("weekday", "start_time", "end_time")

    def problems(self):
        return services.working_hours_overlaps(self.rows())


class OfferingFormSet(WholeSetFormSet):
    names = ("visit_type", "is_default")

    def problems(self):
        return services.offering_problems(doctor=self.instance, offerings=self.rows())


class OfferingInline(RoleAdminMixin, admin.TabularInline):
    front_desk = frozenset({VIEW})
    model = DoctorVisitType
    formset = OfferingFormSet
    extra = 0
    autocomplete_fields = ["visit_type"]


class WorkingHoursInline(RoleAdminMixin, admin.TabularInline):
    front_desk = frozenset({VIEW})
    model = WorkingHours
    formset = WorkingHoursFormSet
    extra = 0


class TimeOffInline(RoleAdminMixin, admin.TabularInline):
    """Shown here; added and removed on the time-off page, whose service checks the bookings.
    Admins only: the reasons are private."""

    model = TimeOff
    extra = 0
    fields = ["start", "end", "reason", "created_by"]
    readonly_fields = fields
    ordering = ["-start"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Doctor)
class DoctorAdmin(RoleAdminMixin, admin.ModelAdmin):
    front_desk = frozenset({VIEW})
    list_display = [
        "__str__",
        "specialization",
        "licence_number",
        "consultation_fee",
        "location",
        "slot_minutes",
        "is_accepting_patients",
        "is_active",
    ]
    list_filter = ["specialization", "is_accepting_patients", "user__is_active", "time_zone"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "licence_number", "location"]
    list_select_related = ["user", "specialization"]
    autocomplete_fields = ["user", "specialization"]
    inlines = [WorkingHoursInline, OfferingInline, TimeOffInline]

    @admin.display(boolean=True, ordering="user__is_active", description="active")
    def is_active(self, doctor):
        return doctor.user.is_active

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in Doctor.EDITABLE_FIELDS}
        # The form has already set the new values on obj; the service compares with the saved row.
        services.doctor_update(doctor=Doctor.objects.get(pk=obj.pk), **fields)

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads what formset.save() would have recorded.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if not formset.has_changed():
            return
        if formset.model is WorkingHours:
            formset.new_objects = services.working_hours_replace(doctor=form.instance, periods=formset.rows())
        elif formset.model is DoctorVisitType:
            formset.new_objects = services.doctor_visit_types_replace(doctor=form.instance, offerings=formset.rows())

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate the user account instead; appointments point here
