"""FHIR's media type on the wire: application/fhir+json in and out (`_format=json` too)."""

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer

from config.parsers import JSONParser

MEDIA_TYPE = "application/fhir+json"
JSON_FORMATS = {"json", "application/json", MEDIA_TYPE, "application/json+fhir"}


class FHIRRenderer(JSONRenderer):
    media_type = MEDIA_TYPE
    format = "json"
    charset = "utf-8"


class FHIRParser(JSONParser):
    media_type = MEDIA_TYPE


class PlainJSONParser(JSONParser):
    """Clients that send application/json are understood too."""


class FHIRNegotiation(DefaultContentNegotiation):
    """JSON only: `_format` or an Accept header that rules JSON out is 406; anything else gets
    application/fhir+json."""

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = renderers[0]
        wanted = request.query_params.get("_format")
        if wanted is not None and wanted.split(";")[0].strip() not in JSON_FORMATS:
            raise NotAcceptable(f"Only JSON is served here (_format=json); {wanted!r} is not.")
        accept = request.META.get("HTTP_ACCEPT", "")
        if accept and not any(
            kind.split(";")[0].strip() in ("*/*", "application/*", "application/json", MEDIA_TYPE)
            for kind in accept.split(",")
        ):
            raise NotAcceptable(f"Only {MEDIA_TYPE} is served here.")
        return renderer, renderer.media_type
