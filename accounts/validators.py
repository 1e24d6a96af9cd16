"""Password validators of our own (AUTH_PASSWORD_VALIDATORS lists them with Django's)."""

from itertools import pairwise

from django.core.exceptions import ValidationError


def _predictable(a: str, b: str) -> bool:
    """The same character again, the next or previous one (b after a, 2 after 1), or 0 after 9."""
    if a == b:
        return True
    step = ord(b) - ord(a)
    return step in (1, -1) or (a, b) in (("9", "0"), ("0", "9"))


class RepeatedOrSequentialCharactersValidator:
    """Refuses a password made mostly of repeated or consecutive characters, in any script:
    `éééééééééé`, `abcdefghij`, `1234567890`, `aaaaabbbbb`, `zyxwvutsrq`. Length alone does not
    make these hard to guess; Django's validators let them through."""

    def __init__(self, max_predictable_share: float = 0.7):
        self.max_predictable_share = max_predictable_share

    def validate(self, password, user=None):
        text = password.casefold()
        steps = list(pairwise(text))
        if not steps:
            return
        predictable = sum(_predictable(a, b) for a, b in steps)
        if predictable / len(steps) > self.max_predictable_share or len(set(text)) < 4:
            raise ValidationError(self.get_help_text(), code="password_too_predictable")

    def get_help_text(self):
        return "Your password cannot be mostly repeated or consecutive characters (like “aaaa”, “abcd” or “1234”)."
