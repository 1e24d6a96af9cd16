from django.urls import path, re_path

from fhir_server import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.MetadataView.as_view(), name="metadata"),
    path("Appointment/$book", views.BookView.as_view(), name="book"),
    path("<str:resource_type>/<str:resource_id>", views.InstanceView.as_view(), name="instance"),
    path("<str:resource_type>", views.TypeView.as_view(), name="type"),
    re_path(r"^.*$", views.UnknownView.as_view(), name="unknown"),
]
