from rest_framework.renderers import BaseRenderer, JSONRenderer


class BinaryRenderer(BaseRenderer):
    """Passes through bytes the view has already rendered."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class PDFRenderer(BinaryRenderer):
    media_type = "application/pdf"
    format = "pdf"


class ICSRenderer(BinaryRenderer):
    media_type = "text/calendar"
    format = "ics"


class ErrorsAsJsonMixin:
    """For views that answer a file: an error is still a JSON body, whatever the Accept header
    (including the 406 when no file type was acceptable)."""

    def finalize_response(self, request, response, *args, **kwargs):
        if getattr(response, "exception", False):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
        return super().finalize_response(request, response, *args, **kwargs)
