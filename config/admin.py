"""Admin building blocks shared by the apps' admin modules: who may open each page (from the
role), read-only pages, links between records and the one way datetimes are shown."""

from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.html import format_html

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
# What the admin's own filter links put after a field (`status__exact`, `start__year`, ...).
FILTER_OPERATORS = {"exact", "iexact", "in", "isnull", "gte", "lte", "gt", "lt", "range", "year", "month", "day"}


class RoleAdminMixin:
    """Admin pages answer from the role (docs/ARCHITECTURE.md, roles), never from groups or
    per-user permissions: an admin may do whatever the page allows; a receptionist only what
    `front_desk` lists; anyone else nothing. A page listing nothing for the front desk (the
    clinical records, the audit log, users) is absent from their admin and answers 403, the same
    for every id, so ids cannot be probed. Put it after mixins that take rights away
    (ReadOnlyAdminMixin) and before admin.ModelAdmin / InlineModelAdmin."""

    front_desk: frozenset[str] = frozenset()

    def role_allows(self, request, what: str) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return user.is_admin or (user.is_receptionist and what in self.front_desk)

    def has_module_permission(self, request):
        return self.role_allows(request, VIEW)

    def has_view_permission(self, request, obj=None):
        return self.role_allows(request, VIEW) or self.has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self.role_allows(request, ADD)

    def has_change_permission(self, request, obj=None):
        return self.role_allows(request, CHANGE)

    def has_delete_permission(self, request, obj=None):
        return self.role_allows(request, DELETE)

    def lookup_allowed(self, lookup, value, request=None):
        # Django lets a changelist URL filter on any field of the model (?notes__icontains=HIV),
        # whatever the page offers: enough for the front desk to learn clinical fields it is never
        # shown. Anyone but an admin filters only by what the page's filters and dates offer;
        # anything else is Django's 400 for a disallowed lookup.
        if request is None or request.user.is_admin:
            return super().lookup_allowed(lookup, value, request)
        parameters, fields = self._offered_lookups(request)
        field, _, operator = lookup.rpartition("__")
        return lookup in parameters or lookup in fields or (field in fields and operator in FILTER_OPERATORS)

    def _offered_lookups(self, request) -> tuple[set[str], set[str]]:
        """The parameters of the page's own filters, and the fields its filters and dates use."""
        parameters, fields = set(), {self.date_hierarchy} if self.date_hierarchy else set()
        for entry in self.get_list_filter(request):
            if isinstance(entry, type) and issubclass(entry, admin.SimpleListFilter):
                parameters.add(entry.parameter_name)
            else:
                fields.add(entry[0] if isinstance(entry, list | tuple) else entry)
        return parameters, fields


class ReadOnlyAdminMixin:
    """For records nobody edits by hand (audit events, appointment events, revisions, issued
    prescriptions): they can be listed and opened, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def admin_datetime(value) -> str:
    """A datetime as every admin page shows it: in the clinic's zone, the zone named
    (config/formats: "2026-12-07 09:30 CET")."""
    if value is None:
        return "-"
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def admin_time(value) -> str:
    return formats.time_format(timezone.localtime(value), "TIME_FORMAT")


def change_url(obj, pk=None) -> str:
    """The admin page of a record, built from its model, so a link needs no import of the app
    that owns it."""
    try:
        return reverse(admin_urlname(obj._meta, "change"), args=[pk if pk is not None else obj.pk])
    except NoReverseMatch:
        return ""


def admin_link(obj, text=None, pk=None) -> str:
    url = change_url(obj, pk)
    label = text if text is not None else str(obj)
    return format_html('<a href="{}">{}</a>', url, label) if url else label


def related_records(request, obj, *, exclude=None) -> list[tuple[str, str, str]]:
    """(label, url, text) for the records of other apps that point at `obj` (an appointment's
    treatments and prescriptions), found through the ORM's reverse relations, so the app of
    `obj` imports none of them; only those the signed-in user may open. One query a relation."""
    from django.contrib import admin

    links = []
    for relation in obj._meta.related_objects:
        model = relation.related_model
        model_admin = admin.site._registry.get(model)
        if model._meta.app_label == obj._meta.app_label or model_admin is None:
            continue
        if not model_admin.has_view_permission(request):
            continue
        if relation.one_to_one:
            related = getattr(obj, relation.get_accessor_name(), None)
            rows = [related] if related is not None else []
        else:
            rows = list(getattr(obj, relation.get_accessor_name()).all())
        for row in rows:
            if row != exclude:
                links.append((model._meta.verbose_name.capitalize(), change_url(row), str(row)))
    return links


class LinkedRecordsMixin:
    """A change page that lists the records linked to this one at its top (the appointment, its
    treatments and prescriptions), each a link; config/templates/admin/linked_change_form.html."""

    change_form_template = "admin/linked_change_form.html"

    def linked_records(self, request, obj) -> list[tuple[str, str, str]]:
        raise NotImplementedError

    def change_view(self, request, object_id, form_url="", extra_context=None):
        links = []
        if self.has_view_permission(request):
            obj = self.get_object(request, object_id)
            links = self.linked_records(request, obj) if obj is not None else []
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "linked_records": links})
