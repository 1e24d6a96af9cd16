from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from config.views import health

api_patterns = [
    path("health/", health, name="health"),
    path("", include("accounts.urls")),
    path("", include("doctors.urls")),
    path("", include("patients.urls")),
    path("", include("appointments.urls")),
    path("", include("treatments.urls")),
    path("", include("prescriptions.urls")),
    path("", include("reports.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, so the page needs no inline
    # script under the Content-Security-Policy.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]

urlpatterns = [
    path("api/", include(api_patterns)),
    path("account/", include("accounts.urls_pages")),
    path("admin/", admin.site.urls),
    path("fhir/", include("fhir_server.urls")),
]
if settings.SILK_ENABLED:
    urlpatterns.append(path("silk/", include("silk.urls", namespace="silk")))

admin.site.site_header = f"{settings.CLINIC_NAME} administration"
admin.site.site_title = settings.CLINIC_NAME

# JSON, not HTML, for API clients; no stack trace or SQL ever reaches the body.
handler400 = "rest_framework.exceptions.bad_request"
handler404 = "config.views.not_found"
handler500 = "config.views.server_error"
