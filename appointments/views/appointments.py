from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.mixins import AuditReadsMixin
from appointments import calendar, selectors, services
from appointments.filters import AppointmentFilter
from appointments.models import AppointmentEvent
from appointments.serializers import (
    AppointmentBookSerializer,
    AppointmentEventSerializer,
    AppointmentSerializer,
    AppointmentUpdateSerializer,
    CancelSerializer,
    RescheduleSerializer,
    TransitionSerializer,
    appointment_rows,
)
from config.idempotency import idempotent
from config.renderers import ErrorsAsJsonMixin, ICSRenderer
from config.rows import RowsListMixin
from config.schema import CONFLICT, ICS_RESPONSE

Action = AppointmentEvent.Action
SEARCH_FIELDS = [
    "patient__user__first_name",
    "patient__user__last_name",
    "doctor__user__first_name",
    "doctor__user__last_name",
    "reason",
]
BOOK = extend_schema(
    summary="Book a visit (patients for themselves, doctors into their own schedule, front desk and admins for anyone)",
    description=(
        "`visit_type` (default: the doctor's default) sets the length and the doctor's buffers; `start` must be "
        "a free slot of that visit type. The front desk may book inside the minimum notice, and `walk_in: true` "
        "books a visit starting now, checked in at once."
    ),
    request=AppointmentBookSerializer,
    responses={
        201: AppointmentSerializer,
        409: OpenApiResponse(CONFLICT.response, description="doctor_busy or patient_busy: the time is taken"),
    },
)


def transition_schema(summary: str, request=TransitionSerializer):
    return extend_schema(
        summary=summary,
        request=request,
        responses={
            200: AppointmentSerializer,
            409: OpenApiResponse(CONFLICT.response, description="invalid_transition"),
        },
    )


class AppointmentRowsMixin(RowsListMixin):
    """Lists written from `values()` rows (config.rows): the busiest read of the front desk."""

    row_columns = ("id", "patient_id")  # the page; appointment_rows reads the rest by id

    def write_rows(self, rows):
        return appointment_rows(rows, user=self.request.user)


@extend_schema(tags=["appointments"])
@extend_schema_view(
    list=extend_schema(
        summary="Appointments you may see (filters: doctor, patient, status, date_from, date_to; search; ordering)"
    ),
    retrieve=extend_schema(summary="One appointment"),
    create=BOOK,
    partial_update=extend_schema(
        summary="Edit reason (everyone), notes (doctor, admin) or status (admin, through the lifecycle rules)",
        request=AppointmentUpdateSerializer,
        responses={200: AppointmentSerializer, 409: CONFLICT},
    ),
)
class AppointmentViewSet(
    AuditReadsMixin,
    AppointmentRowsMixin,
    ErrorsAsJsonMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Reads are scoped by the selector; what each role may do is the services' rule
    (appointments.policies), so the API, the admin and any other caller obey the same one."""

    serializer_class = AppointmentSerializer
    audit_object_type = "appointment"
    filterset_class = AppointmentFilter
    search_fields = SEARCH_FIELDS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.appointment_list_for_user(user=self.request.user)

    @idempotent
    def create(self, request):
        serializer = AppointmentBookSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        appointment = services.appointment_book(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(appointment).data, status=status.HTTP_201_CREATED)

    @BOOK
    @action(detail=False, methods=["post"])
    @idempotent
    def book(self, request):
        """The same as POST /api/appointments/."""
        return self.create(request)

    def partial_update(self, request, pk=None):
        appointment = self.get_object()
        serializer = AppointmentUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        appointment = services.appointment_update(
            actor=request.user, appointment=appointment, **serializer.validated_data
        )
        return Response(self.get_serializer(appointment).data)

    def _transition(self, request, action_name: str, *, note_field: str = "note", input_class=TransitionSerializer):
        appointment = self.get_object()
        serializer = input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = services.appointment_transition(
            actor=request.user, appointment=appointment, action=action_name, note=serializer.validated_data[note_field]
        )
        return Response(self.get_serializer(appointment).data)

    @transition_schema("Confirm a scheduled appointment (doctor, front desk, admin)")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._transition(request, Action.CONFIRMED)

    @transition_schema("Check the patient in, on the day (doctor, front desk, admin)")
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        return self._transition(request, Action.CHECKED_IN)

    @transition_schema("Complete a checked-in visit (doctor, admin)")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._transition(request, Action.COMPLETED)

    @transition_schema("Mark a no-show, after the start (doctor, front desk, admin)")
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, pk=None):
        return self._transition(request, Action.NO_SHOW)

    @transition_schema(
        "Cancel with a reason (patient: up to the cutoff before the start; doctor, front desk, admin: until the visit)",
        request=CancelSerializer,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._transition(request, Action.CANCELLED, note_field="reason", input_class=CancelSerializer)

    @extend_schema(
        summary="Move to another free slot of the same doctor, and optionally another visit type (booking rules; the "
        "patient before the cutoff, the doctor until it starts, the front desk, admins)",
        request=RescheduleSerializer,
        responses={
            200: AppointmentSerializer,
            409: OpenApiResponse(CONFLICT.response, description="doctor_busy, patient_busy or invalid_transition"),
        },
    )
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        appointment = self.get_object()
        serializer = RescheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = services.appointment_reschedule(
            actor=request.user, appointment=appointment, **serializer.validated_data
        )
        return Response(self.get_serializer(appointment).data)

    @extend_schema(
        summary="The appointment as an iCalendar file (.ics) for your calendar",
        responses={(200, "text/calendar"): ICS_RESPONSE},
    )
    @action(detail=True, methods=["get"], renderer_classes=[ICSRenderer], filterset_class=None, search_fields=None)
    def ics(self, request, pk=None):
        appointment = self.get_object()
        user = request.user
        if user.is_patient:
            summary = f"Appointment with Dr {appointment.doctor.user.get_full_name()}"
        else:
            summary = f"Appointment: {appointment.patient.user.get_full_name()}"
        body = calendar.single_event_ics(
            appointment, sequence=selectors.ics_sequence_of(appointment=appointment), summary=summary
        )
        return Response(
            body,
            content_type=calendar.ICS_CONTENT_TYPE,
            headers={"Content-Disposition": f'attachment; filename="appointment-{appointment.pk}.ics"'},
        )

    @extend_schema(
        summary="The appointment's history, oldest first: every change, who and when (a short, unpaginated list)",
        description="The front desk reads a note only on cancellations (the reason); the doctor's notes on "
        "completing or a no-show are left out of their answer.",
        responses=AppointmentEventSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filterset_class=None, search_fields=None, pagination_class=None)
    def events(self, request, pk=None):
        events = selectors.events_of(appointment=self.get_object())
        return Response(AppointmentEventSerializer(events, many=True, context={"request": request}).data)


@extend_schema(
    tags=["appointments"],
    summary="The caller's own appointments: upcoming soonest first, then past ones latest first",
)
class OwnAppointmentsView(AuditReadsMixin, AppointmentRowsMixin, generics.ListAPIView):
    serializer_class = AppointmentSerializer
    audit_object_type = "appointment"
    filterset_class = AppointmentFilter
    search_fields = SEARCH_FIELDS

    def get_queryset(self):
        return selectors.own_appointments_upcoming_first(user=self.request.user)
