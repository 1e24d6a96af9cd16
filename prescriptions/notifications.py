"""Tell the patient a prescription is ready: no medication in the message, only that it exists.
A pure builder; prescriptions.tasks loads the row and sends it."""

from zoneinfo import ZoneInfo

from config.email import templated_email
from prescriptions.models import Prescription


def ready_email(prescription: Prescription):
    user = prescription.patient.user
    if not user.email:
        return None
    issued = prescription.issued_at.astimezone(ZoneInfo(prescription.patient.time_zone))
    return templated_email(
        to=user.email,
        subject=f"a prescription from {issued:%d %B %Y} is ready",
        template="prescriptions/email/ready",
        context={
            "recipient_name": user.get_full_name() or user.username,
            "doctor_name": f"Dr {prescription.doctor.user.get_full_name()}",
        },
    )
