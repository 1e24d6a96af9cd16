import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.defaults import page_not_found
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

logger = logging.getLogger(__name__)

HealthSerializer = inline_serializer("Health", {"status": serializers.CharField(), "database": serializers.CharField()})


def not_found(request, exception=None):
    """404 as JSON under /api/ (clients parse it), Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


@extend_schema(
    tags=["system"],
    summary="Liveness and database reachability (no authentication)",
    responses={200: HealthSerializer, 503: OpenApiResponse(HealthSerializer, description="Database unreachable")},
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return Response({"status": "unavailable", "database": "unreachable"}, status=503)
    return Response({"status": "ok", "database": "ok"})
