"""Calendars: a doctor's subscribable feed, and the secret in its URL."""

from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import SignedIn
from appointments import calendar, selectors
from appointments.serializers import CalendarFeedSerializer
from config.renderers import ErrorsAsJsonMixin, ICSRenderer
from config.schema import ICS_RESPONSE
from doctors import services as doctor_services
from doctors.selectors import doctor_by_calendar_token


@extend_schema(
    tags=["appointments"],
    summary="A doctor's subscribable calendar feed (secret token from profile/calendar-feed/; patients as initials)",
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
        body = calendar.doctor_feed_ics(
            doctor_name=f"Dr {doctor.user.get_full_name()}",
            time_zone=doctor.time_zone,
            appointments=selectors.calendar_feed_rows(doctor=doctor),
        )
        return Response(body, content_type=calendar.ICS_CONTENT_TYPE, headers={"Cache-Control": "private, max-age=300"})


class IsDoctor(SignedIn):
    message = "Only doctors have a calendar feed."

    def allows(self, request, view):
        return request.user.is_doctor and hasattr(request.user, "doctor_profile")


class CalendarFeedView(APIView):
    permission_classes = [IsDoctor]

    @extend_schema(
        tags=["auth"],
        summary="Make a new calendar feed URL for the caller (a doctor); the old one stops working",
        request=None,
        responses={201: CalendarFeedSerializer},
    )
    def post(self, request):
        doctor = request.user.doctor_profile
        token = doctor_services.calendar_token_rotate(doctor=doctor)
        path = reverse("doctor-calendar-feed", kwargs={"pk": doctor.pk})
        url = request.build_absolute_uri(f"{path}?{urlencode({'token': token})}")
        return Response(CalendarFeedSerializer({"url": url}).data, status=201)
