"""A password validator for character variety, beside Django's length,
common-password, numeric and similarity validators (see settings)."""

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


def character_classes(password: str) -> set[str]:
    """The kinds of character in ``password``: upper, lower, digit, other.
    Anything that is not an ASCII-style cased letter or a digit (punctuation,
    spaces, Chinese characters) counts as "other"."""
    kinds = set()
    for char in password:
        if char.isdigit():
            kinds.add("digit")
        elif char.isupper():
            kinds.add("upper")
        elif char.islower():
            kinds.add("lower")
        else:
            kinds.add("other")
    return kinds


class CharacterClassesValidator:
    """At least ``min_classes`` of: upper-case letters, lower-case letters,
    digits, symbols."""

    def __init__(self, min_classes: int = 3):
        if not 1 <= min_classes <= 4:
            raise ValueError("min_classes must be between 1 and 4")
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(
                self._message(), code="password_too_uniform", params=self._params()
            )

    def get_help_text(self):
        return self._message() % self._params()

    def _params(self):
        return {"min_classes": self.min_classes}

    def _message(self):
        return ngettext(
            "Your password must contain at least %(min_classes)d kind of "
            "character: upper-case letters, lower-case letters, digits, symbols.",
            "Your password must contain at least %(min_classes)d of these kinds "
            "of character: upper-case letters, lower-case letters, digits, "
            "symbols.",
            self.min_classes,
        )
