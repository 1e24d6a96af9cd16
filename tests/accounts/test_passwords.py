"""The password rules: Django's validators and ours against repeated and consecutive characters."""

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db

NEW = "a-much-better-secret-42"


@pytest.mark.parametrize(
    "password", ["éééééééééé", "abcdefghij", "1234567890", "zyxwvutsrq", "aaaaabbbbb", "ababababab", "ŽŽŽŽŽŽŽŽŽŽŽ"]
)
def test_repeated_or_consecutive_characters_are_refused(password):
    with pytest.raises(ValidationError) as refused:
        password_validation.validate_password(password)

    assert "repeated or consecutive" in " ".join(refused.value.messages)


@pytest.mark.parametrize("password", ["correct-horse-battery", "clinic-demo-pass", NEW, "Zürich-Morgenröte-7"])
def test_ordinary_passphrases_pass(password):
    password_validation.validate_password(password)


def test_the_api_refuses_them_with_the_reason(patient_api):
    response = patient_api.post(
        "/api/auth/password/change/",
        {"old_password": "correct-horse-battery", "new_password": "éééééééééé"},
        format="json",
    )

    assert response.status_code == 400
    assert "repeated or consecutive" in response.data["new_password"][0]
