"""A printable prescription, rendered on the server with ReportLab (no network, no browser)."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from prescriptions.models import Prescription

ITEM_HEADER = ["Medication", "Strength", "Route", "Frequency", "Days", "Qty", "Refills"]
# Printed across every page of a prescription that must not be dispensed, so a printout or a
# forwarded file cannot pass for a valid one.
WATERMARKS = {
    Prescription.Status.CANCELLED: "CANCELLED - NOT VALID FOR DISPENSING",
    Prescription.Status.ENTERED_IN_ERROR: "ENTERED IN ERROR - NOT VALID FOR DISPENSING",
}


def _watermark(label: str):
    def draw(canvas, document):
        width, height = document.pagesize
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.8, 0, 0, alpha=0.35))
        canvas.setFont("Helvetica-Bold", 30)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(45)
        canvas.drawCentredString(0, 0, label)
        canvas.restoreState()

    return draw


def render_prescription_pdf(prescription: Prescription) -> bytes:
    styles = getSampleStyleSheet()
    small = styles["BodyText"]
    doctor, patient = prescription.doctor, prescription.patient
    issued = timezone.localtime(prescription.issued_at)

    def text(value, style=small):
        return Paragraph(escape(str(value)).replace("\n", "<br/>"), style)

    story = [
        text(settings.CLINIC_NAME, styles["Title"]),
        text(settings.CLINIC_ADDRESS),
        Spacer(1, 6 * mm),
        text(f"Prescription no. {prescription.pk}", styles["Heading2"]),
    ]
    if prescription.status != Prescription.Status.ACTIVE:
        story.append(
            text(f"{prescription.get_status_display().upper()}: {prescription.cancellation_reason}", styles["Heading3"])
        )
    people = [
        ["Date", issued.strftime("%d %B %Y")],
        ["Prescriber", f"Dr {doctor.user.get_full_name()} ({doctor.specialization.name})"],
        ["Licence number", doctor.licence_number],
        ["Patient", patient.user.get_full_name()],
        ["Date of birth", patient.date_of_birth.strftime("%d %B %Y") if patient.date_of_birth else "not recorded"],
    ]
    story.append(Table([[text(a), text(b)] for a, b in people], colWidths=[40 * mm, 130 * mm]))
    story.append(Spacer(1, 6 * mm))

    rows = [[text(h, styles["Heading5"]) for h in ITEM_HEADER]]
    for item in prescription.items.all():
        rows.append(
            [
                text(item.medication_name),
                text(item.strength),
                text(item.get_route_display()),
                text(item.frequency),
                text(item.duration_days),
                text(item.quantity),
                text(item.refills),
            ]
        )
        if item.instructions:
            rows.append([text(f"Instructions: {item.instructions}"), "", "", "", "", "", ""])
    table = Table(rows, colWidths=[45 * mm, 25 * mm, 22 * mm, 33 * mm, 14 * mm, 14 * mm, 17 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *[("SPAN", (0, r), (-1, r)) for r, row in enumerate(rows) if row[1] == ""],
            ]
        )
    )
    story.append(table)
    if prescription.notes:
        story += [Spacer(1, 6 * mm), text(f"Notes: {prescription.notes}")]
    watermark = WATERMARKS.get(prescription.status)
    if watermark is None:
        story += [Spacer(1, 18 * mm), text("Signature: ______________________________")]

    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Prescription {prescription.pk}",
        author=settings.CLINIC_NAME,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    if watermark is None:
        document.build(story)
    else:
        document.build(story, onFirstPage=_watermark(watermark), onLaterPages=_watermark(watermark))
    return buffer.getvalue()
