from django.urls import path

from reports import views

urlpatterns = [
    path("patients/<int:pk>/history/", views.PatientHistoryView.as_view(), name="patient-history"),
    path("reports/summary/", views.SummaryReportView.as_view(), name="report-summary"),
    path("reports/doctors/", views.DoctorsReportView.as_view(), name="report-doctors"),
    path("reports/revenue/", views.RevenueReportView.as_view(), name="report-revenue"),
    path("reports/patients/<int:pk>/", views.PatientReportView.as_view(), name="report-patient"),
]
