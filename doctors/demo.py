"""Demo doctors for `manage.py seed_demo`, with realistic weekly hours (their time off is booked
by appointments.demo, whose service checks it against the bookings)."""

from datetime import time
from decimal import Decimal

from accounts.demo import DEMO_PASSWORD
from doctors import services
from doctors.models import Doctor, Specialization, VisitType

SPECIALIZATIONS = {
    "General Practice": "Family medicine and first contact care.",
    "Internal Medicine": "Diagnosis and treatment of adult diseases.",
    "Cardiology": "Heart and blood vessels.",
    "Neurology": "Brain, spinal cord and nerves.",
    "Paediatrics": "Children and adolescents.",
    "Dermatology": "Skin, hair and nails.",
}

MORNING_AND_AFTERNOON = [(time(9), time(12)), (time(13), time(17))]

# name: (minutes, buffer after, fee, bookable online, specializations (none: any))
VISIT_TYPES = {
    "Consultation": (30, 0, None, True, []),
    "Short consultation": (20, 0, None, True, ["General Practice"]),
    "Follow-up": (15, 0, "40.00", True, []),
    "Cardiology consultation": (45, 0, None, True, ["Cardiology"]),
    "Minor procedure": (60, 15, "200.00", False, ["General Practice", "Internal Medicine", "Dermatology"]),
}

DOCTORS = [
    {
        "username": "dr.house",
        "name": ("Gregory", "House"),
        "specialization": "Internal Medicine",
        "licence_number": "MED-1001",
        "fee": "120.00",
        "years": 22,
        "location": "Main building, floor 2",
        "days": {
            0: MORNING_AND_AFTERNOON,
            1: MORNING_AND_AFTERNOON,
            2: MORNING_AND_AFTERNOON,
            3: MORNING_AND_AFTERNOON,
            4: [(time(9), time(12))],
        },
        "visit_types": ["Consultation", "Follow-up", "Minor procedure"],
    },
    {
        "username": "dr.quinn",
        "name": ("Michaela", "Quinn"),
        "specialization": "General Practice",
        "licence_number": "MED-1002",
        "fee": "60.00",
        "years": 12,
        "location": "Riverside clinic",
        "slot_minutes": 20,
        "days": {d: [(time(8), time(12)), (time(13), time(16))] for d in range(5)} | {5: [(time(9), time(12))]},
        "visit_types": ["Short consultation", "Follow-up", "Minor procedure"],
    },
    {
        "username": "dr.lee",
        "name": ("Hannah", "Lee"),
        "specialization": "Cardiology",
        "licence_number": "MED-1003",
        "fee": "150.00",
        "years": 15,
        "location": "Heart centre",
        "slot_minutes": 45,
        "days": {1: MORNING_AND_AFTERNOON, 3: MORNING_AND_AFTERNOON},
        "visit_types": ["Cardiology consultation", "Follow-up"],
    },
    {
        "username": "dr.strange",
        "name": ("Stephen", "Strange"),
        "specialization": "Neurology",
        "licence_number": "MED-1004",
        "fee": "180.00",
        "years": 18,
        "location": "New York outpatient office",
        "time_zone": "America/New_York",
        "days": {d: [(time(10), time(15))] for d in (1, 2, 3, 4)},
        "visit_types": ["Consultation", "Follow-up"],
    },
    {
        "username": "dr.ross",
        "name": ("Doug", "Ross"),
        "specialization": "Paediatrics",
        "licence_number": "MED-1005",
        "fee": "80.00",
        "years": 9,
        "location": "Children's wing",
        "days": {d: [(time(9), time(17))] for d in (0, 2, 4)},
        "visit_types": ["Consultation", "Follow-up"],
    },
]


def seed() -> list[Doctor]:
    for name, description in SPECIALIZATIONS.items():
        Specialization.objects.get_or_create(name=name, defaults={"description": description})
    for name, (minutes, after, fee, online, specializations) in VISIT_TYPES.items():
        if not VisitType.objects.filter(name=name).exists():
            services.visit_type_create(
                name=name,
                duration_minutes=minutes,
                buffer_after_minutes=after,
                fee=Decimal(fee) if fee else None,
                bookable_online=online,
                specializations=Specialization.objects.filter(name__in=specializations),
            )
    doctors = []
    for spec in DOCTORS:
        doctor = Doctor.objects.filter(user__username=spec["username"]).first()
        if doctor is None:
            doctor = _create(spec)
        doctors.append(doctor)
    return doctors


def _create(spec: dict) -> Doctor:
    first, last = spec["name"]
    doctor = services.doctor_create(
        account={
            "username": spec["username"],
            "password": DEMO_PASSWORD,
            "email": f"{spec['username']}@hospital.example",
            "first_name": first,
            "last_name": last,
        },
        specialization=Specialization.objects.get(name=spec["specialization"]),
        licence_number=spec["licence_number"],
        consultation_fee=Decimal(spec["fee"]),
        years_of_experience=spec["years"],
        location=spec["location"],
        bio=f"{spec['specialization']} specialist with {spec['years']} years of practice.",
        time_zone=spec.get("time_zone", Doctor._meta.get_field("time_zone").get_default()),
        slot_minutes=spec.get("slot_minutes", 30),
        working_hours=[
            {"weekday": weekday, "start_time": start, "end_time": end}
            for weekday, periods in spec["days"].items()
            for start, end in periods
        ],
    )
    # The first named is the default.
    services.doctor_visit_types_replace(
        doctor=doctor,
        offerings=[
            {"visit_type": VisitType.objects.get(name=name), "is_default": number == 0}
            for number, name in enumerate(spec["visit_types"])
        ],
    )
    return doctor
