"""Errors that happen before or after a FHIR view runs (an unreachable database met by the
authentication or audit middleware, a 500 page, a body too large) still reach a FHIR client as an
OperationOutcome with the same status and headers (CORS's too)."""

import json

from django.http import HttpResponse

from fhir_server.errors import ISSUE_CODES, flatten, outcome
from fhir_server.http import MEDIA_TYPE

# Kept from the response replaced, with the CORS headers (a browser client must be able to read
# the OperationOutcome of a cross-origin request).
_KEPT_HEADERS = ("Retry-After", "WWW-Authenticate", "X-Request-ID", "Content-Security-Policy", "Cache-Control", "Vary")


class OperationOutcomeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/fhir/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith(MEDIA_TYPE):
            return response
        try:
            diagnostics = flatten(json.loads(response.content))
        except (ValueError, UnicodeDecodeError):
            diagnostics = response.reason_phrase
        body = outcome(diagnostics=diagnostics, code=ISSUE_CODES.get(response.status_code, "exception"))
        reshaped = HttpResponse(json.dumps(body), status=response.status_code, content_type=MEDIA_TYPE)
        kept = [*_KEPT_HEADERS, *(name for name in response.headers if name.lower().startswith("access-control-"))]
        for header in kept:
            if header in response:
                reshaped[header] = response[header]
        return reshaped
