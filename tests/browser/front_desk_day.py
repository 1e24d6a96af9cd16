"""Run by the browser tests' server fixture (`manage.py shell -c`), after seed_demo: Dr House
also works all of today (a date override), and Bob has a confirmed visit at the first free start
from now, for the receptionist to check in. Prints its id, or nothing late at night."""

from datetime import time

from django.utils import timezone

from accounts.models import User
from appointments import availability, services
from doctors.models import Doctor
from patients.models import Patient

desk = User.objects.get(username="desk")
house = Doctor.objects.get(user__username="dr.house")
bob = Patient.objects.get(user__username="bob")
today = timezone.localdate()
services.schedule_override_create(
    actor=User.objects.get(username="admin"),
    doctor=house,
    date=today,
    periods=[{"start_time": time(0), "end_time": time(23, 30)}],
    reason="Long day",
)
visit_type = availability.bookable_visit_type(doctor=house, visit_type=None, online=False)
slots = availability.free_slots(doctor=house, visit_type=visit_type, first_day=today, last_day=today, staff=True)
if len(slots) > 2:  # one for Bob, and a gap left for the receptionist to book into
    visit = services.appointment_book(actor=desk, doctor=house, patient=bob, start=slots[0].start)
    services.appointment_transition(actor=desk, appointment=visit, action="confirmed")
    print(visit.pk)  # noqa: T201 - read by the fixture
