from django.urls import path

from reports import views

urlpatterns = [
    path("patients/<int:pk>/history/", views.PatientHistoryView.as_view(), name="patient-history"),
]
