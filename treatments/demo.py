"""Demo treatments for `manage.py seed_demo`: most completed demo visits have one."""

import random

from appointments.models import Appointment, Status
from doctors.models import Doctor
from treatments.models import Treatment

DIAGNOSES = [
    ("Acute bronchitis", "J20.9", "Examination, advice on fluids and rest", "10.00"),
    ("Essential hypertension", "I10", "Blood pressure check, lifestyle advice", "0.00"),
    ("Low back pain", "M54.5", "Physical examination, physiotherapy referral", "25.00"),
    ("Migraine without aura", "G43.0", "Neurological examination", "0.00"),
    ("Atopic dermatitis", "L20.9", "Skin examination, emollient plan", "15.00"),
    ("Type 2 diabetes, routine review", "E11.9", "HbA1c blood test", "35.00"),
]


def seed(*, doctors: list[Doctor]) -> list[Treatment]:
    visits = Appointment.objects.filter(doctor__in=doctors, status=Status.COMPLETED, treatments__isnull=True)
    if Treatment.objects.filter(appointment__doctor__in=doctors).exists():
        return []
    rng = random.Random(7)
    rows = []
    for visit in visits.select_related("doctor__user"):
        if rng.random() < 0.8:
            diagnosis, code, procedure, cost = rng.choice(DIAGNOSES)
            rows.append(
                Treatment(
                    appointment=visit,
                    diagnosis=diagnosis,
                    icd10_code=code,
                    procedure=procedure,
                    clinical_notes="Patient stable.",
                    follow_up="Return in four weeks if symptoms persist.",
                    cost=cost,
                    created_by=visit.doctor.user,
                )
            )
    created = Treatment.objects.bulk_create(rows, batch_size=500)
    # Recorded at the end of each visit, not when the demo was loaded.
    for treatment in created:
        treatment.created_at = treatment.updated_at = treatment.appointment.end
    Treatment.objects.bulk_update(created, ["created_at", "updated_at"], batch_size=500)
    return created
