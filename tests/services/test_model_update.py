"""config.services.model_update: the one helper every service uses to change a row's fields."""

import pytest
from django.core.exceptions import ValidationError

from config.services import model_update
from tests.factories import SpecializationFactory

pytestmark = pytest.mark.django_db


def test_a_field_the_caller_may_not_change_is_a_programming_error_not_ignored():
    specialization = SpecializationFactory(name="Cardiology")

    with pytest.raises(ValueError, match=r"cannot be updated here: \['name'\]"):
        model_update(instance=specialization, fields=["description"], data={"name": "Renamed"})

    specialization.refresh_from_db()
    assert specialization.name == "Cardiology"


def test_only_changed_fields_are_saved_and_returned():
    specialization = SpecializationFactory(name="Cardiology", description="Heart")

    changed = model_update(
        instance=specialization, fields=["name", "description"], data={"name": "Cardiology", "description": "Hearts"}
    )

    assert changed == ["description"]
    specialization.refresh_from_db()
    assert specialization.description == "Hearts"


def test_a_changed_value_is_validated_before_it_is_saved():
    specialization = SpecializationFactory(name="Cardiology")

    with pytest.raises(ValidationError):
        model_update(instance=specialization, fields=["name"], data={"name": "x" * 500})

    specialization.refresh_from_db()
    assert specialization.name == "Cardiology"
