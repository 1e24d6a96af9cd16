"""Service tests (HackSoft style): the rules of accounts, patients and doctors, called as any second
caller would (the admin, a management command), not through HTTP."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError

from accounts import services as account_services
from config.errors import Conflict, DomainError
from doctors import services as doctor_services
from patients import services as patient_services
from tests.factories import PASSWORD, AssignmentFactory, DoctorFactory, UserFactory

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
