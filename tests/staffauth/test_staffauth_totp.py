"""The TOTP arithmetic of staffauth.devices, without a browser: RFC 6238
codes, the step after a used code, typed codes normalized, the QR code."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from staffauth import devices


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
