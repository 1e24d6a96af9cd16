from django.contrib import admin
from django.db.models import Prefetch
from django.utils.html import format_html_join
from django.utils.text import Truncator

from config.admin import LinkedRecordsMixin, ReadOnlyAdminMixin, RoleAdminMixin, change_url, related_records
from treatments import services
from treatments.models import Treatment, TreatmentRevision


def _shown(value) -> str:
    return "(empty)" if value in ("", None) else Truncator(str(value)).chars(80)


def revision_changes(revision: TreatmentRevision) -> list[tuple[str, str, str]]:
    """(field, before, after) for each field one revision changed. A revision keeps the values
    before the change; the value after it is what the next revision of that field kept, or the
    treatment's current value. Reads `treatment.revisions` (prefetch it: no query per row)."""
    treatment = revision.treatment
    later = sorted(
        (
            other
            for other in treatment.revisions.all()
            if (other.changed_at, other.pk) > (revision.changed_at, revision.pk)
        ),
        key=lambda other: (other.changed_at, other.pk),
    )
    changes = []
    for name in revision.changed_fields:
        after = next((other.previous[name] for other in later if name in other.previous), getattr(treatment, name, ""))
        changes.append((name, _shown(revision.previous.get(name)), _shown(after)))
    return changes


def changes_html(revision: TreatmentRevision) -> str:
    return format_html_join("", "<div>{}: {} -&gt; {}</div>", revision_changes(revision)) or "-"


REVISIONS_WITH_SIBLINGS = Prefetch("treatment__revisions", queryset=TreatmentRevision.objects.order_by())


class TreatmentRevisionInline(RoleAdminMixin, admin.TabularInline):
    model = TreatmentRevision
    extra = 0
    fields = ["changed_at", "changed_by", "changes"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("treatment", "changed_by")
            .prefetch_related(REVISIONS_WITH_SIBLINGS)
        )

    @admin.display(description="field: before -> after")
    def changes(self, revision):
        return changes_html(revision)


@admin.register(Treatment)
class TreatmentAdmin(LinkedRecordsMixin, RoleAdminMixin, admin.ModelAdmin):
    """Edits here go through the same service as the API, so each one leaves a revision. Clinical:
    admins only."""

    list_display = ["created_at", "patient", "doctor", "diagnosis", "icd10_code", "cost", "status"]
    list_filter = ["status", "appointment__doctor__specialization"]
    search_fields = ["diagnosis", "icd10_code", "appointment__patient__user__last_name"]
    list_select_related = ["appointment__doctor__user", "appointment__patient__user"]
    date_hierarchy = "created_at"
    raw_id_fields = ["appointment"]
    fields = [
        "appointment",
        "diagnosis",
        "icd10_code",
        "procedure",
        "clinical_notes",
        "follow_up",
        "cost",
        "status",
        "error_reason",
        "created_by",
        "created_at",
        "updated_at",
    ]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [TreatmentRevisionInline]

    @admin.display(ordering="appointment__patient__user__last_name")
    def patient(self, treatment):
        return treatment.appointment.patient

    @admin.display(ordering="appointment__doctor__user__last_name")
    def doctor(self, treatment):
        return treatment.appointment.doctor

    def linked_records(self, request, obj):
        appointment = obj.appointment
        visit = ("Appointment", change_url(appointment), str(appointment))
        return [visit, *related_records(request, appointment, exclude=obj)]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "appointment"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in services.EDITABLE_FIELDS}
        if change:
            status = form.cleaned_data.get("status")
            services.treatment_update(
                actor=request.user,
                treatment=obj,
                status=status if "status" in form.changed_data else None,
                error_reason=form.cleaned_data.get("error_reason", ""),
                **fields,
            )
        else:
            created = services.treatment_create(
                actor=request.user,
                appointment=form.cleaned_data["appointment"],
                **{name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS},
            )
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TreatmentRevision)
class TreatmentRevisionAdmin(ReadOnlyAdminMixin, RoleAdminMixin, admin.ModelAdmin):
    list_display = ["changed_at", "treatment", "changed_by", "changes"]
    fields = ["treatment", "changed_at", "changed_by", "changes"]
    readonly_fields = fields
    list_select_related = [
        "treatment__appointment__patient__user",
        "treatment__appointment__doctor__user",
        "changed_by",
    ]
    date_hierarchy = "changed_at"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(REVISIONS_WITH_SIBLINGS)

    @admin.display(description="field: before -> after")
    def changes(self, revision):
        return changes_html(revision)
