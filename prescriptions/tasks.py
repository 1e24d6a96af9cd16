from functools import partial

from django.db import transaction
from django_tasks import task

from config.tasks import retry_later
from prescriptions import notifications
from prescriptions.models import Prescription


def queue_ready_email(prescription: Prescription) -> None:
    """Tell the patient once the prescription is committed (one that rolls back sends nothing)."""
    transaction.on_commit(partial(send_prescription_ready.enqueue, prescription.pk), robust=True)


@task()
def send_prescription_ready(prescription_id: int, attempt: int = 1) -> None:
    try:
        prescription = Prescription.objects.select_related("doctor__user", "patient__user").get(pk=prescription_id)
        message = notifications.ready_email(prescription)
        if message is not None:
            message.send()
    except Exception as error:
        retry_later(send_prescription_ready, prescription_id, attempt=attempt, error=error)
