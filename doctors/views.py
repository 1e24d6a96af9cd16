from datetime import timedelta

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.schema import CONFLICT
from doctors import availability, selectors, services
from doctors.filters import DoctorFilter
from doctors.models import TimeOff
from doctors.permissions import (
    AdminWritesOthersRead,
    DoctorPermission,
    DoctorScheduleWritePermission,
    is_doctor_self_or_admin,
)
from doctors.serializers import (
    DoctorAdminUpdateSerializer,
    DoctorCreateSerializer,
    DoctorSelfUpdateSerializer,
    DoctorSerializer,
    SlotQuerySerializer,
    SlotsSerializer,
    SpecializationSerializer,
    TimeOffSerializer,
    WorkingHoursSerializer,
)


@extend_schema(tags=["doctors"])
@extend_schema_view(
    list=extend_schema(summary="List specializations"),
    retrieve=extend_schema(summary="One specialization"),
    create=extend_schema(summary="Create a specialization (admin)"),
    partial_update=extend_schema(summary="Rename or describe a specialization (admin)"),
    destroy=extend_schema(summary="Delete an unused specialization (admin)", responses={204: None, 409: CONFLICT}),
)
class SpecializationViewSet(viewsets.ModelViewSet):
    """Plain reference data: no rules beyond a unique name, so the serializer saves it."""

    serializer_class = SpecializationSerializer
    permission_classes = [AdminWritesOthersRead]
    search_fields = ["name"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.specialization_list()


@extend_schema(tags=["doctors"])
@extend_schema_view(
    list=extend_schema(
        summary="Find doctors by specialization, location, free day, fee; search by name or specialization"
    ),
    retrieve=extend_schema(summary="One doctor"),
    create=extend_schema(
        summary="Create a doctor with their user account (admin)",
        request=DoctorCreateSerializer,
        responses={201: DoctorSerializer},
    ),
    partial_update=extend_schema(
        summary="Update a doctor (admin: all fields; the doctor: their own profile fields)",
        request=DoctorAdminUpdateSerializer,
        responses=DoctorSerializer,
    ),
    destroy=extend_schema(summary="Deactivate a doctor (admin; nothing is deleted)", responses={204: None}),
)
class DoctorViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = DoctorSerializer
    permission_classes = [DoctorPermission]
    filterset_class = DoctorFilter
    search_fields = ["user__first_name", "user__last_name", "specialization__name"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.doctor_list_for_user(user=self.request.user)

    def create(self, request):
        serializer = DoctorCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        doctor = services.doctor_create(account=data.pop("user"), working_hours=data.pop("working_hours", None), **data)
        return Response(DoctorSerializer(doctor).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        doctor = self.get_object()
        input_class = DoctorAdminUpdateSerializer if request.user.is_admin else DoctorSelfUpdateSerializer
        serializer = input_class(doctor, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        doctor = services.doctor_update(doctor=doctor, **serializer.validated_data)
        return Response(DoctorSerializer(doctor).data)

    def destroy(self, request, pk=None):
        services.doctor_deactivate(doctor=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="The doctor's weekly working hours", responses=WorkingHoursSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="working-hours", permission_classes=[DoctorScheduleWritePermission])
    def working_hours(self, request, pk=None):
        doctor = self.get_object()
        return Response(WorkingHoursSerializer(selectors.working_hours_of(doctor=doctor), many=True).data)

    @extend_schema(
        summary="Replace the whole weekly schedule (that doctor or admin)",
        request=WorkingHoursSerializer(many=True),
        responses=WorkingHoursSerializer(many=True),
    )
    @working_hours.mapping.put
    def replace_working_hours(self, request, pk=None):
        doctor = self.get_object()
        serializer = WorkingHoursSerializer(data=request.data, many=True)
        serializer.is_valid(raise_exception=True)
        services.working_hours_replace(doctor=doctor, periods=serializer.validated_data)
        return Response(WorkingHoursSerializer(selectors.working_hours_of(doctor=doctor), many=True).data)

    @extend_schema(
        summary="Free slots between two dates of the doctor's time zone (at most 62 days)",
        parameters=[SlotQuerySerializer],
        responses=SlotsSerializer,
    )
    @action(detail=True, methods=["get"])
    def slots(self, request, pk=None):
        doctor = self.get_object()
        today = timezone.now().astimezone(doctor.zone).date()
        query = SlotQuerySerializer(
            data={"date_from": today.isoformat(), "date_to": (today + timedelta(days=13)).isoformat()}
            | request.query_params.dict()
        )
        query.is_valid(raise_exception=True)
        first, last = query.validated_data["date_from"], query.validated_data["date_to"]
        slots = availability.free_slots(doctor=doctor, first_day=first, last_day=last)
        body = {
            "doctor": doctor.pk,
            "time_zone": doctor.time_zone,
            "slot_minutes": doctor.slot_minutes,
            "date_from": first,
            "date_to": last,
            "slots": slots,
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
            doctors = selectors.doctor_list_for_user(user=self.request.user)
            self._doctor = get_object_or_404(doctors, pk=self.kwargs["doctor_pk"])
            self.check_object_permissions(self.request, self._doctor)
        return self._doctor

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request kwargs
            return TimeOff.objects.none()
        return selectors.time_off_of(doctor=self.get_doctor())

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
        time_off = get_object_or_404(selectors.time_off_of(doctor=doctor), pk=pk)
        services.time_off_delete(time_off=time_off)
        return Response(status=status.HTTP_204_NO_CONTENT)
