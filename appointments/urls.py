from django.urls import path
from rest_framework.routers import SimpleRouter

from appointments.views import appointments, calendar, schedule

router = SimpleRouter()
router.register("appointments", appointments.AppointmentViewSet, basename="appointment")
# doctors/ is routed here, not in doctors.urls: its list filters by free time and it offers free
# slots, and both need bookings (appointments.views.schedule).
router.register("doctors", schedule.DoctorViewSet, basename="doctor")
router.register("closures", schedule.ClinicClosureViewSet, basename="closure")

time_off_list = schedule.TimeOffViewSet.as_view({"get": "list", "post": "create"})
time_off_detail = schedule.TimeOffViewSet.as_view({"delete": "destroy"})
override_list = schedule.ScheduleOverrideViewSet.as_view({"get": "list", "post": "create"})
override_detail = schedule.ScheduleOverrideViewSet.as_view(
    {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
)

urlpatterns = [
    path("profile/appointments/", appointments.OwnAppointmentsView.as_view(), name="own-appointments"),
    path("profile/calendar-feed/", calendar.CalendarFeedView.as_view(), name="calendar-feed"),
    path("doctors/<int:pk>/calendar.ics", calendar.DoctorCalendarFeedView.as_view(), name="doctor-calendar-feed"),
    path("doctors/<int:doctor_pk>/time-off/", time_off_list, name="doctor-time-off-list"),
    path("doctors/<int:doctor_pk>/time-off/<int:pk>/", time_off_detail, name="doctor-time-off-detail"),
    path("doctors/<int:doctor_pk>/schedule-overrides/", override_list, name="doctor-override-list"),
    path("doctors/<int:doctor_pk>/schedule-overrides/<int:pk>/", override_detail, name="doctor-override-detail"),
    *router.urls,
]
