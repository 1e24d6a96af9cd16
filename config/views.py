import logging
import sys
import threading

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.defaults import page_not_found
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.exceptions import server_error as json_server_error
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from config.exceptions import ServiceUnavailable, database_trouble

logger = logging.getLogger(__name__)

HealthSerializer = inline_serializer("Health", {"status": serializers.CharField(), "database": serializers.CharField()})
HealthDownSerializer = inline_serializer(
    "HealthDown",
    {
        "status": serializers.CharField(),
        "database": serializers.CharField(),
        "detail": serializers.CharField(),
        "code": serializers.CharField(),
    },
)


def server_error(request):
    """Every unhandled exception lands here (outside DRF's views too: a middleware, the audit's
    insert). A database that cannot be reached is a 503 with Retry-After, not a 500."""
    trouble = database_trouble(sys.exc_info()[1])
    if trouble is not None:
        response = JsonResponse(trouble.detail, status=trouble.status_code)
        if getattr(trouble, "wait", None):
            response["Retry-After"] = str(trouble.wait)
        return response
    return json_server_error(request)


def not_found(request, exception=None):
    """404 as JSON under /api/ (clients parse it), Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


@extend_schema(
    tags=["system"],
    summary="Liveness and database reachability (no authentication)",
    responses={200: HealthSerializer, 503: OpenApiResponse(HealthDownSerializer, description="Database unreachable")},
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def health(request):
    """SELECT 1 on a connection of its own, given HEALTH_TIMEOUT_SECONDS: a database that is down
    or hung answers 503 within that, never a hang."""
    outcome: dict[str, str] = {}

    def probe():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            outcome["database"] = "ok"
        except DatabaseError as error:
            outcome["error"] = str(error)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=probe, name="health-probe", daemon=True)
    thread.start()
    thread.join(settings.HEALTH_TIMEOUT_SECONDS)
    if outcome.get("database") == "ok":
        return Response({"status": "ok", "database": "ok"})
    logger.error("Health check: database unreachable: %s", outcome.get("error", "no answer in time"))
    body = {
        "status": "unavailable",
        "database": "unreachable",
        "detail": ServiceUnavailable.default_detail,
        "code": "service_unavailable",
    }
    return Response(body, status=503, headers={"Retry-After": "5"})
