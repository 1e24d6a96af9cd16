"""One appointment's next steps in the admin (confirm, check in, complete, no-show, cancel,
reschedule): which apply now, and the page that asks what it needs and calls the API's service,
so the same rules, history, audit rows and e-mails follow. A refusal is shown on the page."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from appointments import services
from appointments.admin.forms import CancelForm, EmptyForm, RescheduleForm, refusal_as_form_error
from appointments.models import Appointment, AppointmentEvent, Status
from config.errors import DomainError

Action = AppointmentEvent.Action


@dataclass(frozen=True)
class Step:
    slug: str
    label: str
    action: str | None  # the lifecycle action; None: reschedule
    form: type
    one_click: bool  # nothing to ask: a button on the day sheet


STEPS = {
    step.slug: step
    for step in (
        Step("confirm", "Confirm", Action.CONFIRMED, EmptyForm, True),
        Step("check-in", "Check in", Action.CHECKED_IN, EmptyForm, True),
        Step("complete", "Complete", Action.COMPLETED, EmptyForm, True),
        Step("no-show", "No-show", Action.NO_SHOW, EmptyForm, True),
        Step("reschedule", "Reschedule", None, RescheduleForm, False),
        Step("cancel", "Cancel", Action.CANCELLED, CancelForm, False),
    )
}


def next_steps(appointment: Appointment, *, user, now=None) -> list[Step]:
    """What can be done to it now, by this user: the lifecycle (services.TRANSITIONS) and the
    rules the services check on timing, so the page offers nothing they would refuse outright.
    Completing a visit is clinical: admins only (the service says the same)."""
    now = now or timezone.now()
    status, zone = appointment.status, appointment.doctor.zone
    today = appointment.start.astimezone(zone).date() == now.astimezone(zone).date()
    open_ = status in (Status.SCHEDULED, Status.CONFIRMED)
    wanted = [
        ("confirm", status == Status.SCHEDULED),
        ("check-in", status == Status.CONFIRMED and today),
        ("complete", status == Status.CHECKED_IN and user.is_admin),
        ("no-show", open_ and now >= appointment.start),
        ("reschedule", open_),
        ("cancel", open_),
    ]
    return [STEPS[slug] for slug, applies in wanted if applies]


def step_url(appointment: Appointment, step: Step, *, back: str = "") -> str:
    url = reverse("admin:appointments_appointment_act", args=[appointment.pk, step.slug])
    return f"{url}?{urlencode({'next': back})}" if back else url


def _back(request, appointment) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return reverse("admin:appointments_appointment_change", args=[appointment.pk])


def _day(request, appointment) -> date:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localtime(appointment.start, appointment.doctor.zone).date()


def act_view(model_admin, request, object_id, slug):
    """GET: the page that asks (a reason, a new start) or confirms; POST: the service."""
    step = STEPS.get(slug)
    if step is None:
        raise Http404("No such step.")
    queryset = model_admin.get_queryset(request).select_related("doctor__user", "patient__user", "visit_type")
    appointment = get_object_or_404(queryset, pk=object_id)
    if not model_admin.has_change_permission(request, appointment):
        raise PermissionDenied
    back = _back(request, appointment)
    day = _day(request, appointment)
    form = step.form(request.POST if request.method == "POST" else None, appointment=appointment, day=day)
    if request.method == "POST" and form.is_valid():
        try:
            if step.action is None:
                services.appointment_reschedule(
                    actor=request.user, appointment=appointment, start=form.cleaned_data["start"]
                )
                done = "rescheduled"
            else:
                note = form.cleaned_data.get("reason", "")
                services.appointment_transition(
                    actor=request.user, appointment=appointment, action=step.action, note=note
                )
                done = services.TRANSITIONS[step.action].verb
        except DomainError as refusal:
            refusal_as_form_error(form, refusal)
        else:
            model_admin.message_user(request, f"{appointment}: {done}.", messages.SUCCESS)
            return redirect(back)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"{step.label}: {appointment}",
        "opts": model_admin.model._meta,
        "appointment": appointment,
        "step": step,
        "form": form,
        "back": back,
        "day": day,
        "original": appointment,
    }
    return TemplateResponse(request, "admin/appointments/act.html", context)
