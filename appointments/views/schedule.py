"""A doctor's schedule as booking sees it: the doctors list with its free-day filter, free slots,
and time off (which must not hide booked visits). Routed under doctors/ by appointments.urls."""

from datetime import timedelta

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from appointments import availability, services
from appointments.filters import DoctorSearchFilter
from appointments.serializers import SlotQuerySerializer, SlotsSerializer, TimeOffSerializer
from config.schema import CONFLICT
from doctors import selectors as doctor_selectors
from doctors import services as doctor_services
from doctors import views as doctor_views
from doctors.models import TimeOff
from doctors.permissions import DoctorScheduleWritePermission, is_doctor_self_or_admin


class DoctorViewSet(doctor_views.DoctorViewSet):
    """doctors/: the doctors app's viewset, plus the two things that need bookings, which that
    app cannot know of: the list's `available_on` filter and the free slots."""

    filterset_class = DoctorSearchFilter

    @extend_schema(
        summary="Free slots between two dates of the doctor's time zone (at most 62 days)",
        parameters=[SlotQuerySerializer],
        responses=SlotsSerializer,
    )
    @action(detail=True, methods=["get"], filterset_class=None, search_fields=None)
    def slots(self, request, pk=None):
        doctor = self.get_object()
        today = timezone.now().astimezone(doctor.zone).date()
        query = SlotQuerySerializer(
            data={"date_from": today.isoformat(), "date_to": (today + timedelta(days=13)).isoformat()}
            | request.query_params.dict()
        )
        query.is_valid(raise_exception=True)
        first, last = query.validated_data["date_from"], query.validated_data["date_to"]
        body = {
            "doctor": doctor.pk,
            "time_zone": doctor.time_zone,
            "slot_minutes": doctor.slot_minutes,
            "date_from": first,
            "date_to": last,
            "slots": availability.free_slots(doctor=doctor, first_day=first, last_day=last),
        }
        return Response(SlotsSerializer(body, context={"zone": doctor.zone}).data)


@extend_schema(tags=["doctors"])
@extend_schema_view(
    list=extend_schema(summary="The doctor's time off, latest first (reasons shown to that doctor and admins)"),
    create=extend_schema(
        summary="Block a period (that doctor or admin); 409 while active appointments fall in it",
        responses={201: TimeOffSerializer, 409: CONFLICT},
    ),
    destroy=extend_schema(summary="Remove one time-off period (that doctor or admin)", responses={204: None}),
)
class TimeOffViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = TimeOffSerializer
    permission_classes = [DoctorScheduleWritePermission]

    def get_doctor(self):
        if not hasattr(self, "_doctor"):
            doctors = doctor_selectors.doctor_list_for_user(user=self.request.user)
            self._doctor = get_object_or_404(doctors, pk=self.kwargs["doctor_pk"])
            self.check_object_permissions(self.request, self._doctor)
        return self._doctor

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request kwargs
            return TimeOff.objects.none()
        return doctor_selectors.time_off_of(doctor=self.get_doctor())

    def get_serializer_context(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request kwargs
            return super().get_serializer_context()
        show = is_doctor_self_or_admin(self.request.user, self.get_doctor())
        return {**super().get_serializer_context(), "show_reason": show}

    def create(self, request, doctor_pk=None):
        doctor = self.get_doctor()
        serializer = TimeOffSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        time_off = services.time_off_create(doctor=doctor, actor=request.user, **serializer.validated_data)
        return Response(TimeOffSerializer(time_off, context={"show_reason": True}).data, status=201)

    def destroy(self, request, doctor_pk=None, pk=None):
        doctor = self.get_doctor()
        time_off = get_object_or_404(doctor_selectors.time_off_of(doctor=doctor), pk=pk)
        doctor_services.time_off_delete(time_off=time_off)
        return Response(status=status.HTTP_204_NO_CONTENT)
