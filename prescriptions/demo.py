"""Demo prescriptions for `manage.py seed_demo`: for some of the treated demo visits."""

import random

from appointments.models import Appointment
from prescriptions.models import Prescription, PrescriptionItem

MEDICATIONS = {
    "J20.9": ("Amoxicillin", "500 mg", "three times daily", 7, 21),
    "I10": ("Ramipril", "5 mg", "once daily", 30, 30),
    "M54.5": ("Ibuprofen", "400 mg", "up to three times daily with food", 10, 30),
    "G43.0": ("Sumatriptan", "50 mg", "at onset, max twice daily", 30, 6),
    "L20.9": ("Hydrocortisone cream 1%", "1%", "twice daily to affected skin", 14, 1),
    "E11.9": ("Metformin", "500 mg", "twice daily with meals", 90, 180),
}


def seed(*, diagnosed_visits: list[tuple[Appointment, str]]) -> int:
    """`diagnosed_visits`: completed visits with the ICD-10 code recorded for each."""
    rng = random.Random(11)
    prescriptions, items = [], []
    for visit, icd10_code in diagnosed_visits:
        if icd10_code not in MEDICATIONS or rng.random() > 0.5:
            continue
        prescription = Prescription(
            appointment=visit, doctor=visit.doctor, patient=visit.patient, issued_at=visit.end, notes=""
        )
        name, strength, frequency, days, quantity = MEDICATIONS[icd10_code]
        prescriptions.append(prescription)
        items.append(
            PrescriptionItem(
                prescription=prescription,
                medication_name=name,
                strength=strength,
                route=PrescriptionItem.Route.TOPICAL if "cream" in name else PrescriptionItem.Route.ORAL,
                frequency=frequency,
                duration_days=days,
                quantity=quantity,
                refills=1 if days >= 30 else 0,
                instructions="Take as directed.",
            )
        )
    Prescription.objects.bulk_create(prescriptions, batch_size=500)
    for item in items:
        item.prescription_id = item.prescription.pk
    PrescriptionItem.objects.bulk_create(items, batch_size=500)
    return len(prescriptions)
