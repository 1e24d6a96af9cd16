"""A doctor's schedule as booking sees it: the doctors list with its free-day filter, free slots,
and what can take booked time away (time off, a date's override, clinic closures). Routed under
doctors/ and closures/ by appointments.urls."""

from datetime import timedelta

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import AdminWritesOthersRead
from appointments import availability, selectors, services
from appointments.filters import DoctorSearchFilter
from appointments.serializers_schedule import (
    CancelledAppointmentsSerializer,
    ClinicClosureSerializer,
    ClinicClosureWrittenSerializer,
    ConflictQuerySerializer,
    ScheduleOverrideSerializer,
    ScheduleOverrideWrittenSerializer,
    SlotQuerySerializer,
    SlotsSerializer,
    TimeOffSerializer,
    TimeOffWrittenSerializer,
)
from config.idempotency import idempotent
from config.schema import CONFLICT
from doctors import selectors as doctor_selectors
from doctors import services as doctor_services
from doctors import views as doctor_views
from doctors.models import ScheduleOverride, TimeOff
from doctors.permissions import DoctorScheduleWritePermission, is_doctor_self_or_admin

CONFLICT_CHOICE = "With on_conflict=refuse (default) 409 appointments_in_time_off lists the visits in the way"


class DoctorViewSet(doctor_views.DoctorViewSet):
    """doctors/: the doctors app's viewset, plus the two things that need bookings, which that
    app cannot know of: the list's `available_on` filter and the free slots."""

    filterset_class = DoctorSearchFilter

    @extend_schema(
        summary="Free slots of one visit type between two dates of the doctor's time zone (at most 62 days)",
        parameters=[SlotQuerySerializer],
        responses=SlotsSerializer,
    )
    @action(detail=True, methods=["get"], filterset_class=None, search_fields=None)
    def slots(self, request, pk=None):
        doctor = self.get_object()
        user = request.user
        today = timezone.now().astimezone(doctor.zone).date()
        query = SlotQuerySerializer(
            data={"date_from": today.isoformat(), "date_to": (today + timedelta(days=13)).isoformat()}
            | request.query_params.dict()
        )
        query.is_valid(raise_exception=True)
        first, last = query.validated_data["date_from"], query.validated_data["date_to"]
        visit_type = availability.bookable_visit_type(
            doctor=doctor, visit_type=query.validated_data.get("visit_type"), online=user.is_patient
        )
        slots = selectors.free_slots_for_user(
            user=user, doctor=doctor, visit_type=visit_type, first_day=first, last_day=last
        )
        body = {
            "doctor": doctor.pk,
            "time_zone": doctor.time_zone,
            "slot_minutes": doctor.slot_minutes,
            "visit_type": visit_type,
            "date_from": first,
            "date_to": last,
            "slots": slots,
        }
        return Response(SlotsSerializer(body, context={"zone": doctor.zone}).data)


class ScheduleWriteMixin:
    """Writes that can take booked time away: the body checked by the view's serializer, the
    service called with it, the answer the row as stored plus the visits it cancelled."""

    written_serializer_class = None

    def write(self, service, *, instance=None, code=status.HTTP_200_OK, **arguments):
        serializer = self.get_serializer_class()(instance, data=self.request.data, partial=instance is not None)
        serializer.is_valid(raise_exception=True)
        outcome = service(actor=self.request.user, **arguments, **serializer.validated_data)
        context = {"show_reason": True, "cancelled": outcome.cancelled}
        return Response(self.written_serializer_class(outcome.stored, context=context).data, status=code)


class DoctorScheduleMixin(ScheduleWriteMixin):
    """For views under doctors/{doctor_pk}/: the doctor, found among those the caller may see, and
    whether the caller may read the private reasons."""

    permission_classes = [DoctorScheduleWritePermission]

    def get_doctor(self):
        if not hasattr(self, "_doctor"):
            doctors = doctor_selectors.doctor_list_for_user(user=self.request.user)
            self._doctor = get_object_or_404(doctors, pk=self.kwargs["doctor_pk"])
            self.check_object_permissions(self.request, self._doctor)
        return self._doctor

    def get_object(self):
        # One of this doctor's rows: the permission was checked against the doctor (get_doctor).
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_serializer_context(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request kwargs
            return super().get_serializer_context()
        show = is_doctor_self_or_admin(self.request.user, self.get_doctor())
        return {**super().get_serializer_context(), "show_reason": show}


@extend_schema(tags=["doctors"])
@extend_schema_view(
    list=extend_schema(summary="The doctor's time off, latest first (reasons shown to that doctor and admins)"),
    create=extend_schema(
        summary="Block a period (that doctor or admin); on_conflict=cancel also cancels the visits in it",
        description=CONFLICT_CHOICE + ".",
        responses={201: TimeOffWrittenSerializer, 409: CONFLICT},
    ),
    destroy=extend_schema(summary="Remove one time-off period (that doctor or admin)", responses={204: None}),
)
class TimeOffViewSet(DoctorScheduleMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = TimeOffSerializer
    written_serializer_class = TimeOffWrittenSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request kwargs
            return TimeOff.objects.none()
        return doctor_selectors.time_off_of(doctor=self.get_doctor())

    @idempotent
    def create(self, request, doctor_pk=None):
        # The doctor first: one the caller may not change answers 403 whatever the body.
        return self.write(services.time_off_create, doctor=self.get_doctor(), code=status.HTTP_201_CREATED)

    def destroy(self, request, doctor_pk=None, pk=None):
        doctor_services.time_off_delete(time_off=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["doctors"])
@extend_schema_view(
    list=extend_schema(summary="The doctor's date overrides: dates with their own hours, or closed"),
    retrieve=extend_schema(summary="One date override"),
    create=extend_schema(
        summary="Give one date its own hours, or close it (that doctor or admin); one per date",
        description=CONFLICT_CHOICE + "; a second override for the same date answers 409 override_exists.",
        responses={201: ScheduleOverrideWrittenSerializer, 409: CONFLICT},
    ),
    partial_update=extend_schema(
        summary="Change a date override (that doctor or admin)",
        description=CONFLICT_CHOICE + ".",
        responses={200: ScheduleOverrideWrittenSerializer, 409: CONFLICT},
    ),
    destroy=extend_schema(
        summary="Give the date back to the weekly hours (that doctor or admin)",
        description=CONFLICT_CHOICE + " (visits booked on the override's own hours); with on_conflict=cancel "
        "200 lists the visits cancelled, else 204.",
        parameters=[ConflictQuerySerializer],
        responses={200: CancelledAppointmentsSerializer, 204: None, 409: CONFLICT},
    ),
)
class ScheduleOverrideViewSet(
    DoctorScheduleMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ScheduleOverrideSerializer
    written_serializer_class = ScheduleOverrideWrittenSerializer
    pagination_class = None  # a doctor's exceptions: a short list, by date

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request kwargs
            return ScheduleOverride.objects.none()
        return doctor_selectors.overrides_of(doctor=self.get_doctor())

    @idempotent
    def create(self, request, doctor_pk=None):
        # The doctor first: one the caller may not change answers 403 whatever the body.
        return self.write(services.schedule_override_create, doctor=self.get_doctor(), code=status.HTTP_201_CREATED)

    def partial_update(self, request, doctor_pk=None, pk=None):
        override = self.get_object()
        return self.write(services.schedule_override_update, instance=override, override=override)

    def destroy(self, request, doctor_pk=None, pk=None):
        override = self.get_object()
        query = ConflictQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        outcome = services.schedule_override_delete(actor=request.user, override=override, **query.validated_data)
        if query.validated_data["on_conflict"] == "cancel":
            return Response(CancelledAppointmentsSerializer({"cancelled_appointments": outcome.cancelled}).data)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["doctors"])
@extend_schema_view(
    list=extend_schema(summary="Days the whole clinic is closed (public holidays)"),
    retrieve=extend_schema(summary="One clinic closure"),
    create=extend_schema(
        summary="Close the clinic for a day or a range of days (admin)",
        description=CONFLICT_CHOICE + " (of every doctor).",
        responses={201: ClinicClosureWrittenSerializer, 409: CONFLICT},
    ),
    destroy=extend_schema(summary="Reopen: remove a closure (admin)", responses={204: None}),
)
class ClinicClosureViewSet(
    ScheduleWriteMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ClinicClosureSerializer
    written_serializer_class = ClinicClosureWrittenSerializer
    permission_classes = [AdminWritesOthersRead]

    def get_queryset(self):
        return doctor_selectors.closure_list()

    @idempotent
    def create(self, request):
        return self.write(services.clinic_closure_create, code=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        doctor_services.clinic_closure_delete(closure=instance)
