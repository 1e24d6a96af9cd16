from django.urls import path
from rest_framework.routers import SimpleRouter

from doctors import views

router = SimpleRouter()
router.register("specializations", views.SpecializationViewSet, basename="specialization")
router.register("doctors", views.DoctorViewSet, basename="doctor")

time_off_list = views.TimeOffViewSet.as_view({"get": "list", "post": "create"})
time_off_detail = views.TimeOffViewSet.as_view({"delete": "destroy"})

urlpatterns = [
    *router.urls,
    path("doctors/<int:doctor_pk>/time-off/", time_off_list, name="doctor-time-off-list"),
    path("doctors/<int:doctor_pk>/time-off/<int:pk>/", time_off_detail, name="doctor-time-off-detail"),
]
