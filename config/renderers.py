from rest_framework.renderers import BaseRenderer


class PDFRenderer(BaseRenderer):
    """Passes through bytes a view rendered as PDF (chosen by `Accept: application/pdf`)."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data
