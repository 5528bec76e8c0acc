"""Password validators and the TOTP arithmetic, without a browser."""

import pytest
from django.contrib.auth.password_validation import (
    get_default_password_validators,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from staffauth import devices
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

    from portal.management.commands.load_demo import DEMO_ADMIN_PASSWORD

    validate_password(DEMO_ADMIN_PASSWORD)
    validate_password(DEMO_ADMIN_PASSWORD, get_user_model()(username="admin"))


def test_help_text_is_chinese():
    with translation.override("zh-hans"):
        text = CharacterClassesValidator().get_help_text()
    assert "大写字母" in text and "3" in text


def test_bad_configuration_is_refused():
    with pytest.raises(ValueError):
        CharacterClassesValidator(min_classes=5)


@pytest.mark.parametrize(
    "at,expected",
    # RFC 6238, appendix B (SHA-1, 8 digits).
    [(59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924")],
)
def test_codes_follow_rfc_6238(at, expected):
    device = TOTPDevice(key=b"12345678901234567890".hex(), digits=8)
    assert devices.code_for_next_sign_in(device, at=at) == expected


def test_after_a_used_code_the_next_step_is_given():
    device = TOTPDevice(key=b"12345678901234567890".hex(), digits=8, last_t=1)
    # t=1 (59 s) was used: the code of t=2 (60-89 s), RFC value at 89 s... is
    # the one for the following step.
    assert devices.code_for_next_sign_in(
        device, at=59
    ) == devices.code_for_next_sign_in(TOTPDevice(key=device.key, digits=8), at=60)


@pytest.mark.parametrize(
    "typed,normal",
    [(" 123 456 ", "123456"), ("ABCD-EFGH", "abcdefgh"), ("１２３４５６", "123456")],
)
def test_normalize(typed, normal):
    assert devices.normalize(typed) == normal


def test_qr_code_is_inline_svg(db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("qr-user")
    device = devices.pending_totp(user)
    svg = devices.qr_svg(device)
    assert svg.startswith("<svg") and "<path" in svg
    assert devices.pending_totp(user).pk == device.pk
    assert len(devices.secret_base32(device).replace(" ", "")) == 32
