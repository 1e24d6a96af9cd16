"""The request's audit context: where the request came from, and the reads it made.

Reads are collected during a request and written in one bulk insert when it ends (see
accounts.services.audit_reads); the IP address and request id reach the services through a
context variable, so no request object is passed around.
"""

from contextvars import ContextVar
from dataclasses import dataclass, field

from accounts.models import AuditEvent
from config.middleware import client_ip


@dataclass
class AuditContext:
    ip_address: str | None
    pending: list[AuditEvent] = field(default_factory=list)


audit_context: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


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
