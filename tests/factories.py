"""Test data. Use traits and keyword overrides (`DoctorFactory(slot_minutes=20)`), not fixture files."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import factory

from accounts.models import Role, User
from appointments import tallies
from appointments.models import Appointment, Status
from doctors.models import Doctor, DoctorVisitType, Specialization, TimeOff, VisitType, WorkingHours
from patients.models import Assignment, Patient
from prescriptions.models import Prescription, PrescriptionItem
from treatments.models import Treatment

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.PATIENT
    password = factory.django.Password(PASSWORD)

    class Params:
        admin = factory.Trait(role=Role.ADMIN)
        receptionist = factory.Trait(role=Role.RECEPTIONIST)
        doctor = factory.Trait(role=Role.DOCTOR)


class SpecializationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialization
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Specialty {n}")


class VisitTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitType
        django_get_or_create = ["name"]

    name = factory.LazyAttribute(
        lambda v: f"Visit {v.duration_minutes}+{v.buffer_before_minutes}+{v.buffer_after_minutes}"
    )
    duration_minutes = 30


class DoctorFactory(factory.django.DjangoModelFactory):
    """A doctor in the clinic's zone. `weekly_hours=True` gives Monday-Friday 09:00-12:00 and
    13:00-17:00; pass a list of (weekday, start, end) for other hours. Like a doctor the API
    creates, each offers a standard visit as long as their slots, as their default."""

    class Meta:
        model = Doctor
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, doctor=True)
    specialization = factory.SubFactory(SpecializationFactory)
    licence_number = factory.Sequence(lambda n: f"LIC-{n:05d}")
    years_of_experience = 10
    consultation_fee = Decimal("100.00")
    location = "Main building"
    slot_minutes = 30

    @factory.post_generation
    def default_visit_type(self, create, extracted, **kwargs):
        if create:
            standard = extracted or VisitTypeFactory(
                name=f"Standard visit ({self.slot_minutes} min)", duration_minutes=self.slot_minutes
            )
            DoctorVisitType.objects.create(doctor=self, visit_type=standard, is_default=True)

    @factory.post_generation
    def weekly_hours(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        if extracted is True:
            extracted = [(d, time(9), time(12)) for d in range(5)] + [(d, time(13), time(17)) for d in range(5)]
        WorkingHours.objects.bulk_create(
            WorkingHours(doctor=self, weekday=d, start_time=s, end_time=e) for d, s, e in extracted
        )


class TimeOffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeOff

    doctor = factory.SubFactory(DoctorFactory)
    reason = "Conference"


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    user = factory.SubFactory(UserFactory)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    doctor = factory.SubFactory(DoctorFactory)
    patient = factory.SubFactory(PatientFactory)
    reason_for_assignment = "Follow-up care"


class AppointmentFactory(factory.django.DjangoModelFactory):
    """An appointment written straight to the table (no booking rules): for setting the scene.
    Each one starts an hour after the previous, so they never overlap by accident. Like any
    writer, it keeps the summary report's tallies (appointments.tallies)."""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        appointment = super()._create(model_class, *args, **kwargs)
        tallies.appointment_changed(None, appointment)
        return appointment

    class Meta:
        model = Appointment

    doctor = factory.SubFactory(DoctorFactory)
    patient = factory.SubFactory(PatientFactory)
    visit_type = factory.LazyAttribute(lambda a: a.doctor.offered_visit_types.get(is_default=True).visit_type)
    start = factory.Sequence(lambda n: datetime(2031, 1, 6, 0, 0, tzinfo=UTC) + timedelta(hours=n))
    end = factory.LazyAttribute(lambda a: a.start + timedelta(minutes=a.visit_type.duration_minutes))
    blocked_start = factory.LazyAttribute(lambda a: a.start - timedelta(minutes=a.visit_type.buffer_before_minutes))
    blocked_end = factory.LazyAttribute(lambda a: a.end + timedelta(minutes=a.visit_type.buffer_after_minutes))
    status = Status.SCHEDULED
    fee = factory.LazyAttribute(lambda a: a.doctor.consultation_fee)
    created_by = factory.LazyAttribute(lambda a: a.patient.user)
    reason = "Check-up"
    cancelled_at = factory.LazyAttribute(lambda a: a.start if a.status == Status.CANCELLED else None)


class TreatmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Treatment

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        treatment = super()._create(model_class, *args, **kwargs)
        if treatment.status == Treatment.Status.RECORDED:
            tallies.treatment_cost_changed(treatment.appointment, before=Decimal(0), after=treatment.cost)
        return treatment

    appointment = factory.SubFactory(AppointmentFactory, status=Status.COMPLETED)
    diagnosis = "Acute bronchitis"
    icd10_code = "J20.9"
    procedure = "Examination"
    cost = Decimal("20.00")
    created_by = factory.LazyAttribute(lambda t: t.appointment.doctor.user)


class PrescriptionFactory(factory.django.DjangoModelFactory):
    """An issued prescription for a completed visit, with one item (`items=0` for none)."""

    class Meta:
        model = Prescription
        skip_postgeneration_save = True

    appointment = factory.SubFactory(AppointmentFactory, status=Status.COMPLETED)
    doctor = factory.LazyAttribute(lambda p: p.appointment.doctor)
    patient = factory.LazyAttribute(lambda p: p.appointment.patient)
    issued_at = factory.LazyAttribute(lambda p: p.appointment.end)

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if create:
            for n in range(1 if extracted is None else extracted):
                PrescriptionItem.objects.create(
                    prescription=self,
                    medication_name=f"Medication {n}",
                    strength="500 mg",
                    frequency="twice daily",
                    duration_days=7,
                    quantity=14,
                )
