"""Request plumbing: a request id for every request, and a cap on the size of request bodies."""

import logging
import re
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.http import JsonResponse

_request_id: ContextVar[str] = ContextVar("request_id", default="-")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_request_id() -> str:
    return _request_id.get()


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the address the trusted proxies saw (DJANGO_NUM_PROXIES)."""
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        return hops[-min(proxies, len(hops))] or None
    return request.META.get("REMOTE_ADDR") or None


class RequestIdMiddleware:
    """Sets `request.id`, echoes it as X-Request-ID, and tags every log line of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = _request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request.id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class BodySizeLimitMiddleware:
    """413 for a body declared larger than REQUEST_MAX_BYTES, before anything reads it. (DRF's
    parsers read the stream directly, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not apply;
    the JSON parser also stops reading at the limit, for bodies sent without a length.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.REQUEST_MAX_BYTES:
            return JsonResponse(
                {"detail": f"The request body is larger than {settings.REQUEST_MAX_BYTES} bytes."}, status=413
            )
        return self.get_response(request)


# What the pages built by libraries need beyond the strict policy of the CSP setting: Swagger UI,
# ReDoc and Silk inline <style> blocks; ReDoc the Redocly logo in its footer, from its CDN; Silk (a
# development tool, admins only) inline scripts, event handlers and eval.
_RELAXED = {
    "/api/docs/": {"style-src": ["'unsafe-inline'"]},
    "/api/redoc/": {"style-src": ["'unsafe-inline'"], "img-src": ["https://cdn.redoc.ly"]},
    "/silk/": {"style-src": ["'unsafe-inline'"], "script-src": ["'unsafe-inline'", "'unsafe-eval'"]},
}
# Responses that may carry patient data or tokens: never kept by a browser or a shared cache.
_NO_STORE_PREFIXES = ("/api/", "/account/", "/fhir/")


class SecurityHeadersMiddleware:
    """`Cache-Control: no-store` on every API and account-page response (lists, details, history,
    PDF, ICS, CSV, tokens), and the few relaxations of the Content-Security-Policy (django-csp
    builds the header from settings.CONTENT_SECURITY_POLICY after this runs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(_NO_STORE_PREFIXES):
            response["Cache-Control"] = "no-store"
        for prefix, extra in _RELAXED.items():
            if request.path.startswith(prefix):
                response._csp_update = extra
        return response


class ApiNotFoundMiddleware:
    """A 404 under /api/ is JSON, also with debug on (where Django answers its HTML page before any
    handler404 runs), so a client that mistypes a URL during development reads what it will read
    in production."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and request.path.startswith("/api/")
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return JsonResponse({"detail": "Not found."}, status=404)
        return response
