from django_tasks import task

from config.tasks import enqueue, retry_later, send_once
from prescriptions import notifications
from prescriptions.models import Prescription


def queue_ready_email(prescription: Prescription) -> None:
    """Tell the patient, queued with the prescription itself (one that rolls back sends nothing)."""
    enqueue(send_prescription_ready, prescription.pk)


@task()
def send_prescription_ready(prescription_id: int, attempt: int = 1) -> None:
    try:
        prescription = Prescription.objects.select_related("doctor__user", "patient__user").get(pk=prescription_id)
        message = notifications.ready_email(prescription)
        if message is not None:
            send_once(f"prescription-ready:{prescription_id}", message.send)
    except Exception as error:
        retry_later(send_prescription_ready, prescription_id, attempt=attempt, error=error)
