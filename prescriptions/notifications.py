"""Tell the patient a prescription is ready: no medication in the message, only that it exists."""

from functools import partial
from zoneinfo import ZoneInfo

from django.db import transaction

from config.email import templated_email
from prescriptions.models import Prescription


def on_issued(prescription: Prescription) -> None:
    transaction.on_commit(partial(_enqueue, prescription.pk), robust=True)


def _enqueue(prescription_id: int) -> None:
    from prescriptions.tasks import send_prescription_ready

    send_prescription_ready.enqueue(prescription_id)


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
