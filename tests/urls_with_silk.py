"""The project's URLs with Silk mounted, as SILK_ENABLED=1 would give (tests run with it off)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("silk/", include("silk.urls", namespace="silk"))]
