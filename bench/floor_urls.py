"""Benchmark-only URLs: the project's, plus a floor to compare our lists with (issue 19).

The floor is a plain DRF list over the same tables: a stock ModelSerializer with the model's own
columns (foreign keys as ids, nothing nested), no scoping, no audit, no filters backend, no
throttling, DRF's own PageNumberPagination at 20 rows, and the same JWT authentication as the
API. It is served by the same process, so middleware is shared. Loaded only through
bench/floor_settings.py; production never loads it.
"""

from django.urls import path
from rest_framework import generics, serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer

from accounts.authentication import SessionJWTAuthentication
from appointments.models import Appointment
from config.filters import clinic_day_start
from config.urls import handler400, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project_urlpatterns
from doctors.models import Doctor


class FloorPagination(PageNumberPagination):
    page_size = 20


class AppointmentFloorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appointment
        fields = "__all__"


class DoctorFloorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Doctor
        fields = "__all__"


class FloorList(generics.ListAPIView):
    """Stock DRF: the API's authentication, nothing else of ours."""

    authentication_classes = [SessionJWTAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = DefaultContentNegotiation
    pagination_class = FloorPagination
    throttle_classes = []
    filter_backends = []


class AppointmentFloor(FloorList):
    serializer_class = AppointmentFloorSerializer

    def get_queryset(self):
        # The filtered-page scenario's parameters, read by hand (same meaning as ours: clinic days).
        rows = Appointment.objects.all()
        params = self.request.query_params
        if "doctor" in params:
            rows = rows.filter(doctor_id=int(params["doctor"]))
        if "status" in params:
            rows = rows.filter(status__in=params["status"].split(","))
        if "date_from" in params:
            rows = rows.filter(
                start__gte=clinic_day_start(serializers.DateField().to_internal_value(params["date_from"]))
            )
        if "date_to" in params:
            day = serializers.DateField().to_internal_value(params["date_to"])
            rows = rows.filter(start__lt=clinic_day_start(day, days_after=1))
        return rows


class DoctorFloor(FloorList):
    serializer_class = DoctorFloorSerializer
    queryset = Doctor.objects.all()


urlpatterns = [
    path("floor/appointments/", AppointmentFloor.as_view()),
    path("floor/doctors/", DoctorFloor.as_view()),
    *project_urlpatterns,
]
