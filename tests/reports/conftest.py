from datetime import time
from decimal import Decimal

import pytest

from appointments.models import Status
from tests.factories import (
    AppointmentFactory,
    DoctorFactory,
    PatientFactory,
    SpecializationFactory,
    TimeOffFactory,
    TreatmentFactory,
)
from tests.reports.support import at
from treatments.models import Treatment


@pytest.fixture
def clinic():
    cardio, derm = SpecializationFactory(name="Cardiology"), SpecializationFactory(name="Dermatology")
    a = DoctorFactory(
        specialization=cardio,
        user__last_name="Aaron",
        consultation_fee=Decimal("100"),
        weekly_hours=[(d, time(9), time(12)) for d in range(5)],
    )
    b = DoctorFactory(
        specialization=derm,
        user__last_name="Baker",
        consultation_fee=Decimal("50"),
        weekly_hours=[(0, time(13), time(17))],
    )
    c = DoctorFactory(specialization=derm, user__last_name="Cole")
    TimeOffFactory(doctor=a, start=at(11, 9), end=at(11, 12))  # a whole working morning
    TimeOffFactory(doctor=a, start=at(15, 0), end=at(16, 0))  # a Saturday: no hours lost
    p1, p2, p3, p4 = (PatientFactory(user__last_name=name) for name in ("One", "Two", "Three", "Four"))

    def visit(doctor, patient, start, status, fee):
        return AppointmentFactory(doctor=doctor, patient=patient, start=start, status=status, fee=Decimal(fee))

    a1 = visit(a, p1, at(3, 9), Status.COMPLETED, 100)
    visit(a, p2, at(4, 9), Status.COMPLETED, 100)
    visit(a, p1, at(5, 9), Status.CANCELLED, 100)
    visit(a, p3, at(6, 9), Status.NO_SHOW, 100)
    a.consultation_fee = Decimal("150")  # the fee change: history keeps the recorded fees
    a.save()
    visit(a, p2, at(20, 10), Status.SCHEDULED, 150)
    b1 = visit(b, p1, at(10, 13), Status.COMPLETED, 50)
    visit(b, p4, at(1, 13, month=4), Status.COMPLETED, 50)  # after the range
    visit(b, p3, at(24, 13, month=2), Status.COMPLETED, 50)  # before: P3's first visit
    TreatmentFactory(appointment=a1, cost=Decimal("20"))
    TreatmentFactory(appointment=b1, cost=Decimal("30"))
    TreatmentFactory(appointment=b1, cost=Decimal("99"), status=Treatment.Status.ENTERED_IN_ERROR, error_reason="x")
    return {"a": a, "b": b, "c": c, "p1": p1, "cardio": cardio}
