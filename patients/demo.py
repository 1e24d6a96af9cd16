"""Demo patients for `manage.py seed_demo`, with full records, and one assignment."""

from datetime import date

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from doctors.models import Doctor
from patients import services
from patients.models import Assignment, BloodGroup, Patient, Sex

PATIENTS = [
    ("alice", "Alice", "Walker", date(1985, 4, 12), Sex.FEMALE, BloodGroup.A_POS, "Penicillin"),
    ("bob", "Bob", "Martin", date(1972, 11, 3), Sex.MALE, BloodGroup.O_NEG, ""),
    ("carol", "Carol", "Nguyen", date(1990, 7, 25), Sex.FEMALE, BloodGroup.B_POS, "Peanuts"),
    ("dan", "Dan", "Okafor", date(2015, 2, 8), Sex.MALE, BloodGroup.AB_POS, ""),
    ("erin", "Erin", "Kowalski", date(1958, 9, 30), Sex.OTHER, BloodGroup.UNKNOWN, "Latex"),
    # Joined recently: their first visits fall in the last weeks, so reports show new patients.
    ("frank", "Frank", "Osei", date(1995, 1, 17), Sex.MALE, BloodGroup.A_NEG, ""),
    ("grace", "Grace", "Lindqvist", date(2001, 6, 3), Sex.FEMALE, BloodGroup.O_POS, "Ibuprofen"),
]
RECENT = {"frank", "grace"}


def seed(*, admin: User, doctors: list[Doctor]) -> list[Patient]:
    patients = []
    for number, (username, first, last, born, sex, blood, allergies) in enumerate(PATIENTS, start=1):
        patient = Patient.objects.filter(user__username=username).first()
        if patient is None:
            patient = services.patient_create(
                account={
                    "username": username,
                    "password": DEMO_PASSWORD,
                    "email": f"{username}@example.com",
                    "first_name": first,
                    "last_name": last,
                    "phone": f"+44 20 7946 00{number:02d}",
                },
                date_of_birth=born,
                sex=sex,
                blood_group=blood,
                allergies=allergies,
                national_id=f"DEMO-{number:04d}",
                insurance_provider="Demo Health Insurance",
                insurance_number=f"DHI-{number:06d}",
                address=f"{number} Demo Road, Springfield",
                emergency_contact_name="Next of kin",
                emergency_contact_phone="+44 20 7946 0999",
            )
        patients.append(patient)
    gp = next(d for d in doctors if d.user.username == "dr.quinn")
    if not Assignment.objects.filter(doctor=gp, patient=patients[0], is_active=True).exists():
        services.assignment_create(actor=admin, doctor=gp, patient=patients[0], reason_for_assignment="Family doctor")
    return patients
