from datetime import timedelta

import pytest
import time_machine

from appointments.models import Status
from tests.appointments.absences_support import MONDAY, at
from tests.appointments.lifecycle_support import VISIT
from tests.factories import AppointmentFactory, VisitTypeFactory


@pytest.fixture
def appointment(doctor, patient):
    """A scheduled visit of `doctor` and `patient` on the test Monday at 10:00."""
    return AppointmentFactory(doctor=doctor, patient=patient, start=VISIT)


@pytest.fixture
def the_week_before():
    with time_machine.travel(MONDAY - timedelta(days=3), tick=False):
        yield


@pytest.fixture
def week(doctor):
    """The doctor's Monday: visits at 09:00, 10:00 (60 minutes, clearing up until 11:15), 13:00,
    one cancelled at 14:00 and one completed last week; and 09:00 on Tuesday."""
    procedure = VisitTypeFactory(name="Procedure", duration_minutes=60, buffer_after_minutes=15)
    visits = {
        "nine": AppointmentFactory(doctor=doctor, start=at(9)),
        "ten": AppointmentFactory(doctor=doctor, visit_type=procedure, start=at(10)),
        "one": AppointmentFactory(doctor=doctor, start=at(13)),
        "cancelled": AppointmentFactory(doctor=doctor, start=at(14), status=Status.CANCELLED),
        "tuesday": AppointmentFactory(doctor=doctor, start=at(9, day=1)),
    }
    return visits
