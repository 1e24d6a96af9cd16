"""The request's audit context: where the request came from, and the reads it made.

Reads are collected during a request and written in one bulk insert when it ends (see
accounts.services.audit_reads); the IP address and request id reach the services through a
context variable, so no request object is passed around.
"""

from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings

from accounts.models import AuditEvent


@dataclass
class AuditContext:
    ip_address: str | None
    pending: list[AuditEvent] = field(default_factory=list)


audit_context: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the address the trusted proxies saw (DJANGO_NUM_PROXIES)."""
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        return hops[-min(proxies, len(hops))] or None
    return request.META.get("REMOTE_ADDR") or None


class AuditMiddleware:
    """Opens the request's audit context and writes its reads in one INSERT when it succeeds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        context = AuditContext(ip_address=client_ip(request))
        token = audit_context.set(context)
        try:
            response = self.get_response(request)
            if context.pending and response.status_code < 400:
                AuditEvent.objects.bulk_create(context.pending)
            return response
        finally:
            audit_context.reset(token)
