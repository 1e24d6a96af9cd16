"""Twenty $book requests for one Slot at the same instant, each on its own database connection
(the approach of tests/appointments/test_concurrency.py): one 201, nineteen 409 OperationOutcomes,
one row."""

import pytest

from appointments.models import ACTIVE_STATUSES, Appointment
from tests.appointments.test_concurrency import EVERY_DAY, RACERS, free_starts, race, statuses
from tests.conftest import TokenClient
from tests.factories import DoctorFactory, PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)


def book_body(slot_id: str, patient) -> dict:
    appointment = {
        "resourceType": "Appointment",
        "status": "booked",
        "slot": [{"reference": f"Slot/{slot_id}"}],
        "participant": [{"actor": {"reference": f"Patient/{patient.pk}"}, "status": "accepted"}],
    }
    return {"resourceType": "Parameters", "parameter": [{"name": "appt-resource", "resource": appointment}]}


def test_twenty_book_operations_on_one_slot_give_one_booking():
    doctor = DoctorFactory(weekly_hours=EVERY_DAY)
    start = free_starts(doctor)[0]
    visit_type = doctor.offered_visit_types.get().visit_type
    slot_id = f"{doctor.pk}-{visit_type.pk}-{start:%Y%m%d%H%M}"
    patients = [PatientFactory() for _ in range(RACERS)]
    clients = [TokenClient(patient.user) for patient in patients]
    assert clients[0].get(f"/fhir/Slot/{slot_id}").status_code == 200

    results = race(
        [
            lambda c=c, p=p: c.post("/fhir/Appointment/$book", book_body(slot_id, p), format="json")
            for c, p in zip(clients, patients, strict=True)
        ]
    )

    assert statuses(results) == [201] + [409] * (RACERS - 1)
    for response in results:
        if response.status_code == 409:
            outcome = response.json()
            assert outcome["resourceType"] == "OperationOutcome"
            assert outcome["issue"][0]["code"] == "conflict"
    assert Appointment.objects.filter(doctor=doctor, status__in=ACTIVE_STATUSES).count() == 1
