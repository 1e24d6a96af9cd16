"""Service tests (HackSoft style): the rules of accounts, patients and doctors, called as any second
caller would (the admin, a management command), not through HTTP."""

from datetime import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts import services as account_services
from config.errors import Conflict, DomainError
from doctors import services as doctor_services
from doctors.models import Doctor, VisitType
from patients import services as patient_services
from tests.factories import (
    PASSWORD,
    AppointmentFactory,
    AssignmentFactory,
    DoctorFactory,
    SpecializationFactory,
    UserFactory,
    VisitTypeFactory,
)

pytestmark = pytest.mark.django_db


def test_an_accounts_role_never_changes():
    user = UserFactory()

    with pytest.raises(DomainError) as refused:
        account_services.user_update(user=user, role="admin")

    assert (refused.value.field, refused.value.message) == (
        "role",
        "The role of an existing account cannot change; create a new account instead.",
    )
    user.refresh_from_db()
    assert user.role == "patient"


def test_a_password_change_needs_the_current_password():
    user = UserFactory()

    with pytest.raises(DomainError) as refused:
        account_services.user_change_password(user=user, old_password="wrong", new_password="another-long-one")

    assert refused.value.field == "old_password"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_weak_password_is_refused_under_the_given_field():
    with pytest.raises(ValidationError) as refused:
        account_services.user_create(username="weak", password="123", role="patient")

    assert "password" in refused.value.message_dict


def test_overlapping_working_hours_are_refused_as_a_whole():
    doctor = DoctorFactory(weekly_hours=True)
    periods = [
        {"weekday": 0, "start_time": time(9), "end_time": time(12)},
        {"weekday": 0, "start_time": time(11), "end_time": time(13)},
    ]

    with pytest.raises(ValidationError) as refused:
        doctor_services.working_hours_replace(doctor=doctor, periods=periods)

    assert refused.value.messages == ["Monday: 09:00-12:00 overlaps 11:00-13:00."]
    assert doctor.working_hours.count() == 10  # the old week is untouched


def test_ending_an_assignment_twice_is_a_conflict_and_changes_nothing():
    assignment = AssignmentFactory(reason_for_assignment="first")
    admin = UserFactory(admin=True)
    patient_services.assignment_end(assignment=assignment, actor=admin)

    with pytest.raises(Conflict) as refused:
        patient_services.assignment_update(assignment=assignment, actor=admin, reason_for_assignment="second", end=True)

    assert refused.value.code == "assignment_ended"
    assignment.refresh_from_db()
    assert (assignment.reason_for_assignment, assignment.is_active, assignment.ended_by) == ("first", False, admin)


# --- Visit types ------------------------------------------------------------------------------------


def test_retiring_a_visit_type_that_is_a_doctors_default_is_a_conflict():
    doctor = DoctorFactory()
    DoctorFactory()  # the same standard visit is their default too
    standard = doctor.offered_visit_types.get().visit_type

    with pytest.raises(Conflict) as refused:
        doctor_services.visit_type_update(visit_type=standard, is_active=False)

    assert refused.value.code == "in_use"
    assert "default visit type of 2 doctor(s); give them another default first" in refused.value.message
    standard.refresh_from_db()
    assert standard.is_active


def test_a_visit_type_offered_or_booked_is_not_deleted():
    doctor = DoctorFactory()
    booked = VisitTypeFactory(name="Booked once")
    AppointmentFactory(doctor=doctor, visit_type=booked)
    unused = VisitTypeFactory(name="Unused")

    for in_use in (doctor.offered_visit_types.get().visit_type, booked):
        with pytest.raises(Conflict) as refused:
            doctor_services.visit_type_delete(visit_type=in_use)
        assert (refused.value.code, "retire it with is_active=false" in refused.value.message) == ("in_use", True)
    doctor_services.visit_type_delete(visit_type=unused)

    assert set(VisitType.objects.values_list("name", flat=True)) == {"Standard visit (30 min)", "Booked once"}


def test_a_new_doctor_gets_a_fitting_visit_type_as_default_or_a_new_one():
    cardiology, dermatology = SpecializationFactory(name="Cardiology"), SpecializationFactory(name="Dermatology")
    for name, unfit in [
        ("Standard visit (20 min)", {"is_active": False}),  # the standard name, but retired
        ("Padded", {"buffer_after_minutes": 5}),
        ("Staff only", {"bookable_online": False}),
        ("Priced", {"fee": "300.00"}),
        ("Skin check", {}),  # dermatology's only
    ]:
        visit_type = VisitTypeFactory(name=name, duration_minutes=20, **unfit)
        if name == "Skin check":
            visit_type.specializations.set([dermatology])
    cardio_check = VisitTypeFactory(name="Heart check", duration_minutes=20)
    cardio_check.specializations.set([cardiology, dermatology])

    cardiologist = new_doctor(specialization=cardiology)
    neurologist = new_doctor(specialization=SpecializationFactory(name="Neurology"))
    second = new_doctor(specialization=SpecializationFactory(name="Neurology"))

    assert default_of(cardiologist) == "Heart check"
    assert default_of(neurologist) == default_of(second) == "Standard visit (20 min, 2)"


def new_doctor(*, specialization):
    number = Doctor.objects.count()
    account = {"username": f"dr{number}", "email": f"dr{number}@example.com", "password": "a-long-unusual-phrase"}
    return doctor_services.doctor_create(
        account=account,
        specialization=specialization,
        licence_number=f"LIC-S{number}",
        consultation_fee=Decimal("90.00"),
        slot_minutes=20,
    )


def default_of(doctor):
    return doctor.offered_visit_types.get(is_default=True).visit_type.name
