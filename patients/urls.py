from django.urls import path
from rest_framework.routers import SimpleRouter

from patients import views

router = SimpleRouter()
router.register("patients", views.PatientViewSet, basename="patient")
router.register("assignments", views.AssignmentViewSet, basename="assignment")

urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="register"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    *router.urls,
]
