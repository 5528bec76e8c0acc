"""The password rules of staff accounts: the character-classes validator
(at least 3 kinds of characters) beside Django's own validators, with
Chinese messages and help text; the demo password passes them all."""

import pytest
from django.contrib.auth.password_validation import (
    get_default_password_validators,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils import translation

from staffauth.validators import CharacterClassesValidator, character_classes


@pytest.mark.parametrize(
    "password,kinds",
    [
        ("abc", {"lower"}),
        ("ABC123", {"upper", "digit"}),
        ("Ab1!", {"upper", "lower", "digit", "other"}),
        ("历城区执法2025", {"other", "digit"}),
    ],
)
def test_character_classes(password, kinds):
    assert character_classes(password) == kinds


@pytest.mark.parametrize(
    "password", ["lowercase-only-words", "ALLUPPERCASE2025", "abcdefghij123"]
)
def test_two_kinds_are_refused_with_a_chinese_message(password):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        CharacterClassesValidator().validate(password)
    assert error.value.error_list[0].code == "password_too_uniform"
    assert "3 类" in error.value.messages[0]


@pytest.mark.parametrize(
    "password", ["Lowercase-words", "Supervision2025", "jinan-licheng-2025"]
)
def test_three_kinds_pass(password):
    CharacterClassesValidator().validate(password)


def test_the_validator_is_configured_with_the_others():
    names = [type(v).__name__ for v in get_default_password_validators()]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
        "CharacterClassesValidator",
    ]


def test_every_validator_runs(db):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        validate_password("short")
    messages = " ".join(error.value.messages)
    assert "3 类" in messages
    assert "12" in messages


def test_demo_password_passes_all_validators(db):
    from django.contrib.auth import get_user_model

    from portal.demo import DEMO_ADMIN_PASSWORD

    validate_password(DEMO_ADMIN_PASSWORD)
    validate_password(DEMO_ADMIN_PASSWORD, get_user_model()(username="admin"))


def test_help_text_is_chinese():
    with translation.override("zh-hans"):
        text = CharacterClassesValidator().get_help_text()
    assert "大写字母" in text and "3" in text


def test_bad_configuration_is_refused():
    with pytest.raises(ValueError):
        CharacterClassesValidator(min_classes=5)
