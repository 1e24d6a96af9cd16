from django.urls import path
from rest_framework.routers import SimpleRouter

from appointments import views

router = SimpleRouter()
router.register("appointments", views.AppointmentViewSet, basename="appointment")

urlpatterns = [
    path("profile/appointments/", views.OwnAppointmentsView.as_view(), name="own-appointments"),
    path("doctors/<int:pk>/calendar.ics", views.DoctorCalendarFeedView.as_view(), name="doctor-calendar-feed"),
    *router.urls,
]
