"""The request's audit context: where the request came from, and the reads it made.

Reads are collected during a request and written in one INSERT statement when it ends (see
accounts.services.audit_reads); the IP address and request id reach the services through a
context variable, so no request object is passed around.
"""

import time
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import logout

from accounts.models import AuditEvent
from config.middleware import client_ip, current_request_id


@dataclass
class AuditContext:
    ip_address: str | None
    request_id: str = ""
    # Reads to write when the request succeeds: (actor_id, role, object_type, object_id, patient_id).
    pending: list[tuple] = field(default_factory=list)


audit_context: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


class AuditMiddleware:
    """Opens the request's audit context and writes its reads in one INSERT when it succeeds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        context = AuditContext(ip_address=client_ip(request), request_id=current_request_id())
        token = audit_context.set(context)
        try:
            response = self.get_response(request)
            if context.pending and response.status_code < 400:
                AuditEvent.objects.insert_reads(
                    context.pending, ip_address=context.ip_address, request_id=context.request_id
                )
            return response
        finally:
            audit_context.reset(token)


# The session key holding when a staff session last made a request (epoch seconds).
LAST_SEEN = "staff_last_seen"
# Stamping at most once a minute keeps most admin requests free of a session write.
STAMP_EVERY_SECONDS = 60


class StaffSessionIdleMiddleware:
    """Ends a signed-in session (the admin site's, the only one besides Silk's) after
    STAFF_SESSION_IDLE_MINUTES without a request: front-desk computers are shared. The session's
    own expiry is kept to the same length, so the cookie and the stored session lapse too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            idle = settings.STAFF_SESSION_IDLE_MINUTES * 60
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > idle:
                logout(request)  # flushes the session; the admin then asks to sign in again
            elif last_seen is None or now - last_seen >= STAMP_EVERY_SECONDS:
                request.session[LAST_SEEN] = now
                request.session.set_expiry(idle)
        return self.get_response(request)
