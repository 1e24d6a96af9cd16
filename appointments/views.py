from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.mixins import AuditReadsMixin
from appointments import calendar, selectors, services
from appointments.filters import AppointmentFilter
from appointments.models import AppointmentEvent
from appointments.permissions import AppointmentPermission
from appointments.serializers import (
    AdminAppointmentUpdateSerializer,
    AppointmentBookSerializer,
    AppointmentEventSerializer,
    AppointmentSerializer,
    CancelSerializer,
    PatientAppointmentUpdateSerializer,
    RescheduleSerializer,
    StaffAppointmentUpdateSerializer,
    TransitionSerializer,
)
from config.renderers import ErrorsAsJsonMixin, ICSRenderer
from config.schema import CONFLICT
from doctors.selectors import doctor_by_calendar_token

Action = AppointmentEvent.Action
ICS_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description="iCalendar (text/calendar)")
SEARCH_FIELDS = [
    "patient__user__first_name",
    "patient__user__last_name",
    "doctor__user__first_name",
    "doctor__user__last_name",
    "reason",
]
BOOK = extend_schema(
    summary="Book an appointment (patients for themselves, doctors into their own schedule, admins for anyone)",
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


@extend_schema(tags=["appointments"])
@extend_schema_view(
    list=extend_schema(
        summary="Appointments you may see (filters: doctor, patient, status, date_from, date_to; search; ordering)"
    ),
    retrieve=extend_schema(summary="One appointment"),
    create=BOOK,
    partial_update=extend_schema(
        summary="Edit reason (everyone), notes (doctor, admin) or status (admin, through the lifecycle rules)",
        request=AdminAppointmentUpdateSerializer,
        responses={200: AppointmentSerializer, 409: CONFLICT},
    ),
)
class AppointmentViewSet(
    AuditReadsMixin, ErrorsAsJsonMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = AppointmentSerializer
    audit_object_type = "appointment"
    permission_classes = [AppointmentPermission]
    filterset_class = AppointmentFilter
    search_fields = SEARCH_FIELDS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.appointment_list_for_user(user=self.request.user)

    def create(self, request):
        serializer = AppointmentBookSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        appointment = services.appointment_book(actor=request.user, **serializer.validated_data)
        return Response(AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)

    @BOOK
    @action(detail=False, methods=["post"])
    def book(self, request):
        """The same as POST /api/appointments/."""
        return self.create(request)

    def partial_update(self, request, pk=None):
        appointment = self.get_object()
        user = request.user
        if user.is_admin:
            input_class = AdminAppointmentUpdateSerializer
        elif user.is_doctor:
            input_class = StaffAppointmentUpdateSerializer
        else:
            input_class = PatientAppointmentUpdateSerializer
        serializer = input_class(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        appointment = services.appointment_update(actor=user, appointment=appointment, **serializer.validated_data)
        return Response(AppointmentSerializer(appointment).data)

    def _transition(self, request, action_name: str, *, note_field: str = "note", input_class=TransitionSerializer):
        appointment = self.get_object()
        serializer = input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = services.appointment_transition(
            actor=request.user, appointment=appointment, action=action_name, note=serializer.validated_data[note_field]
        )
        return Response(AppointmentSerializer(appointment).data)

    @transition_schema("Confirm a scheduled appointment (doctor, admin)")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._transition(request, Action.CONFIRMED)

    @transition_schema("Check the patient in, on the day (doctor, admin)")
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        return self._transition(request, Action.CHECKED_IN)

    @transition_schema("Complete a checked-in visit (doctor, admin)")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._transition(request, Action.COMPLETED)

    @transition_schema("Mark a no-show, after the start (doctor, admin)")
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, pk=None):
        return self._transition(request, Action.NO_SHOW)

    @transition_schema(
        "Cancel with a reason (patient: up to the cutoff before the start; doctor, admin: until the visit)",
        request=CancelSerializer,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._transition(request, Action.CANCELLED, note_field="reason", input_class=CancelSerializer)

    @extend_schema(
        summary="Move to another free slot of the same doctor (same rules as booking)",
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
            actor=request.user, appointment=appointment, start=serializer.validated_data["start"]
        )
        return Response(AppointmentSerializer(appointment).data)

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
            appointment, sequence=selectors.ics_sequence(appointment=appointment), summary=summary
        )
        return Response(
            body,
            content_type=calendar.ICS_CONTENT_TYPE,
            headers={"Content-Disposition": f'attachment; filename="appointment-{appointment.pk}.ics"'},
        )

    @extend_schema(
        summary="The appointment's history, oldest first: every change, who and when (a short, unpaginated list)",
        responses=AppointmentEventSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filterset_class=None, search_fields=None, pagination_class=None)
    def events(self, request, pk=None):
        events = selectors.events_of(appointment=self.get_object())
        return Response(AppointmentEventSerializer(events, many=True).data)


@extend_schema(
    tags=["appointments"],
    summary="A doctor's subscribable calendar feed (secret token from profile/; patients as initials)",
    parameters=[OpenApiParameter("token", str, required=True, description="The feed secret.")],
    responses={(200, "text/calendar"): ICS_RESPONSE, 404: OpenApiResponse(description="Unknown doctor or wrong token")},
    auth=[],
)
class DoctorCalendarFeedView(ErrorsAsJsonMixin, APIView):
    """For calendar apps, which cannot send a Bearer token: the secret in the URL is the key, and a
    wrong, rotated or missing one answers 404 like an unknown doctor."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [ICSRenderer]

    def get(self, request, pk):
        doctor = doctor_by_calendar_token(doctor_id=pk, token=request.query_params.get("token", ""))
        if doctor is None:
            raise NotFound("No calendar feed here.")
        rows = selectors.calendar_feed_rows(doctor=doctor)
        body = calendar.doctor_feed_ics(
            doctor_name=f"Dr {doctor.user.get_full_name()}", time_zone=doctor.time_zone, rows=rows
        )
        return Response(body, content_type=calendar.ICS_CONTENT_TYPE, headers={"Cache-Control": "private, max-age=300"})


@extend_schema(
    tags=["appointments"],
    summary="The caller's own appointments: upcoming soonest first, then past ones latest first",
)
class OwnAppointmentsView(AuditReadsMixin, generics.ListAPIView):
    serializer_class = AppointmentSerializer
    audit_object_type = "appointment"
    filterset_class = AppointmentFilter
    search_fields = SEARCH_FIELDS

    def get_queryset(self):
        return selectors.own_appointments_upcoming_first(user=self.request.user)
