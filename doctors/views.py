from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import AdminWritesOthersRead, PersonRecordPermission
from config.idempotency import idempotent
from config.rows import RowsListMixin
from config.schema import CONFLICT
from doctors import selectors, services
from doctors.filters import DoctorFilter
from doctors.permissions import DoctorScheduleWritePermission
from doctors.serializers import (
    DOCTOR_ROW_COLUMNS,
    DoctorAdminUpdateSerializer,
    DoctorCreateSerializer,
    DoctorSelfUpdateSerializer,
    DoctorSerializer,
    OfferingInputSerializer,
    OfferingSerializer,
    SpecializationSerializer,
    VisitTypeSerializer,
    WorkingHoursSerializer,
    doctor_rows,
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

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)


@extend_schema(tags=["doctors"])
@extend_schema_view(
    list=extend_schema(summary="Visit types (admins also see retired ones)"),
    retrieve=extend_schema(summary="One visit type"),
    create=extend_schema(summary="Create a visit type (admin)"),
    partial_update=extend_schema(
        summary="Change a visit type (admin); booked visits keep what they were booked with",
        description="Retiring (is_active=false) a doctor's default answers 409 in_use: give them another first.",
        responses={200: VisitTypeSerializer, 409: CONFLICT},
    ),
    destroy=extend_schema(
        summary="Delete a visit type nobody offers or booked (admin); retire one with is_active=false",
        responses={204: None, 409: CONFLICT},
    ),
)
class VisitTypeViewSet(viewsets.ModelViewSet):
    serializer_class = VisitTypeSerializer
    permission_classes = [AdminWritesOthersRead]
    search_fields = ["name"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.visit_type_list_for_user(user=self.request.user)

    @idempotent
    def create(self, request):
        serializer = VisitTypeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit_type = services.visit_type_create(**serializer.validated_data)
        return Response(VisitTypeSerializer(visit_type).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        visit_type = self.get_object()
        serializer = VisitTypeSerializer(visit_type, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        visit_type = services.visit_type_update(visit_type=visit_type, **serializer.validated_data)
        return Response(VisitTypeSerializer(visit_type).data)

    def destroy(self, request, pk=None):
        services.visit_type_delete(visit_type=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


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
class DoctorViewSet(RowsListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Doctors and their weekly hours. Routed by appointments.urls, whose subclass adds what needs
    bookings: the free-day filter of the list and the free slots. The list is written from
    `values()` rows (config.rows)."""

    serializer_class = DoctorSerializer
    permission_classes = [PersonRecordPermission]
    filterset_class = DoctorFilter
    search_fields = ["user__first_name", "user__last_name", "specialization__name"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    row_columns = DOCTOR_ROW_COLUMNS

    def get_queryset(self):
        return selectors.doctor_list_for_user(user=self.request.user)

    def write_rows(self, rows):
        return doctor_rows(rows)

    @idempotent
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
    @action(
        detail=True,
        methods=["get"],
        url_path="working-hours",
        permission_classes=[DoctorScheduleWritePermission],
        filterset_class=None,
        search_fields=None,
        pagination_class=None,
    )
    def working_hours(self, request, pk=None):
        return self._whole_set(WorkingHoursSerializer, selectors.working_hours_of)

    @extend_schema(
        summary="Replace the whole weekly schedule (that doctor or admin)",
        request=WorkingHoursSerializer(many=True),
        responses=WorkingHoursSerializer(many=True),
    )
    @working_hours.mapping.put
    def replace_working_hours(self, request, pk=None):
        return self._whole_set(
            WorkingHoursSerializer,
            selectors.working_hours_of,
            given=WorkingHoursSerializer,
            replace=lambda doctor, rows: services.working_hours_replace(doctor=doctor, periods=rows),
        )

    @extend_schema(
        summary="The visit types the doctor offers, the default first", responses=OfferingSerializer(many=True)
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="visit-types",
        permission_classes=[DoctorScheduleWritePermission],
        filterset_class=None,
        search_fields=None,
        pagination_class=None,
    )
    def visit_types(self, request, pk=None):
        return self._whole_set(OfferingSerializer, selectors.offerings_of)

    @extend_schema(
        summary="Replace the visit types the doctor offers (that doctor or admin): exactly one default",
        request=OfferingInputSerializer(many=True),
        responses=OfferingSerializer(many=True),
    )
    @visit_types.mapping.put
    def replace_visit_types(self, request, pk=None):
        return self._whole_set(
            OfferingSerializer,
            selectors.offerings_of,
            given=OfferingInputSerializer,
            replace=lambda doctor, rows: services.doctor_visit_types_replace(doctor=doctor, offerings=rows),
        )

    def _whole_set(self, output, read, *, given=None, replace=None):
        """One of the doctor's sets that is written whole (weekly hours, visit types offered): GET
        it, or with `given` (the input serializer) and `replace` (the service) PUT it; either way
        the answer is the set as stored."""
        doctor = self.get_object()
        if replace is not None:
            serializer = given(data=self.request.data, many=True)
            serializer.is_valid(raise_exception=True)
            replace(doctor, serializer.validated_data)
        return Response(output(read(doctor=doctor), many=True).data)
