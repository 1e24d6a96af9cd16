import csv
import io

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


class CSVRenderer(BaseRenderer):
    """A list of flat dicts as CSV with a header row (`?format=csv` or `Accept: text/csv`).

    Cells that a spreadsheet would run as a formula (=, +, -, @ first) are prefixed with a quote."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data if isinstance(data, list) else [data]
        header = list(dict.fromkeys(key for row in rows for key in row))
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: self.cell(row.get(key)) for key in header})
        return out.getvalue().encode(self.charset)

    @staticmethod
    def cell(value) -> str:
        text = "" if value is None else str(value)
        if text[:1] in ("=", "+", "-", "@") and not _is_number(text):
            return "'" + text
        return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def flatten(data: dict, prefix: str = "") -> dict:
    """{"revenue": {"total": 1}} -> {"revenue_total": 1}: nested JSON as CSV columns."""
    flat = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}_"))
        else:
            flat[name] = value
    return flat


class ErrorsAsJsonMixin:
    """For views that answer a file: an error is still a JSON body, whatever the Accept header
    (including the 406 when no file type was acceptable)."""

    def finalize_response(self, request, response, *args, **kwargs):
        if getattr(response, "exception", False):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
        return super().finalize_response(request, response, *args, **kwargs)
