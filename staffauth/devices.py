"""Second-factor devices of staff users: enrolment, verification, backup
codes, recovery. Views and commands call these; every multi-row write runs
in one transaction.

Secrets (the TOTP key, backup codes) are never logged and never put in a URL:
the key lives in the device row (unconfirmed until the user proves a code),
and is shown only on the enrolment page, as a QR code and as text.
"""

from __future__ import annotations

import re
import time
import unicodedata
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from staffauth.models import SecondFactorReset

TOTP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup codes"
BACKUP_CODE_COUNT = 10

TOTP_PATTERN = re.compile(r"^[0-9]{6}$")
# StaticToken.random_token(): 5 random bytes in lower-case base32.
BACKUP_PATTERN = re.compile(r"^[a-z2-7]{8}$")

# DEVELOPMENT ONLY. The demo loader gives every demo account (the accounts
# whose password is the published demo password) a TOTP device with this
# published key, so a demo site can be signed into with any authenticator
# app: secret NRUWG2DFNZTS2ZDFNVXS233UOAWWWZLZ (see README, "Staff sign-in").
DEMO_TOTP_KEY = b"licheng-demo-otp-key".hex()


def normalize(token: str) -> str:
    """A typed code without spaces or hyphens, lower-cased; full-width digits
    and letters (a Chinese input method) become ASCII."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", token or "")).lower()


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp(user) -> TOTPDevice:
    """The unconfirmed device that holds the secret being enrolled: the same
    one on every visit of the enrolment page until it is confirmed."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, name=TOTP_DEVICE_NAME, confirmed=False
            )
    return device


def confirm_enrolment(device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm ``device`` with a code read from the user's authenticator and
    issue fresh backup codes. Returns the codes (to be shown once), or None
    when the code is wrong."""
    token = normalize(token)
    if not TOTP_PATTERN.match(token):
        return None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.confirmed or not device.verify_token(token):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # One confirmed authenticator per user: an older one (there should be
        # none) would otherwise keep accepting codes.
        TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
        return issue_backup_codes(device.user)


def issue_backup_codes(user, count: int = BACKUP_CODE_COUNT) -> list[str]:
    """Replace the user's backup codes with ``count`` new one-time codes."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(
            user=user, name=BACKUP_DEVICE_NAME, confirmed=True
        )
        codes = set()
        while len(codes) < count:
            codes.add(StaticToken.random_token())
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=code) for code in codes
        )
    return sorted(codes)


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(user, token: str):
    """The confirmed device of ``user`` that accepts ``token`` (a 6-digit
    authenticator code or a one-time backup code), or None."""
    token = normalize(token)
    if TOTP_PATTERN.match(token):
        candidates = TOTPDevice.objects.filter(user=user, confirmed=True)
    elif BACKUP_PATTERN.match(token):
        candidates = StaticDevice.objects.filter(user=user, confirmed=True)
    else:
        return None
    for candidate in candidates:
        # Row lock: two requests with the same code cannot both pass
        # (TOTP's last_t and the consumed backup code are written here).
        with transaction.atomic():
            device = type(candidate).objects.select_for_update().get(pk=candidate.pk)
            if device.verify_token(token):
                return device
    return None


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def reset(user, *, by=None, via: str) -> SecondFactorReset:
    """Remove every second-factor device of ``user`` (lost phone): their next
    sign-in goes through enrolment again. Sessions verified with a removed
    device stop being verified at their next request."""
    with transaction.atomic():
        removed = 0
        for device in devices_for_user(user, confirmed=None):
            device.delete()
            removed += 1
        return SecondFactorReset.objects.create(
            user=user,
            username=user.get_username(),
            reset_by=by,
            via=via,
            devices_removed=removed,
        )


def secret_base32(device: TOTPDevice) -> str:
    """The key as an authenticator app expects it typed, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL of ``device`` as an inline SVG QR code."""
    image = qrcode.make(
        device.config_url,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=8,
        border=2,
    )
    svg = image.to_string(encoding="unicode")
    # Inline in HTML: no XML declaration.
    return re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)


def code_for_next_sign_in(device: TOTPDevice, at: float | None = None) -> str:
    """The code the device accepts next. The current step's code once it was
    used (replays are refused), the next step's code, which the tolerance of
    one step accepts. For demo sites (``demo_otp_code``) and tests."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    step = totp.t()
    if device.last_t >= step:
        totp.time += device.step * (device.last_t + 1 - step)
    return str(totp.token()).zfill(device.digits)


def provision_demo_device(user) -> bool:
    """Give a demo account a confirmed device with the published demo key.
    Returns False when it already has a confirmed one (left as it is)."""
    with transaction.atomic():
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return False
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(
            user=user, name=TOTP_DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True
        )
    return True


def resettable_users(actor):
    """The accounts whose second factor ``actor`` may reset: none without
    the permission; never their own (they are signed in with it); a
    superuser's only by another superuser."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    if not (actor.is_active and actor.has_perm("staffauth.reset_second_factor")):
        return users.none()
    users = users.exclude(pk=actor.pk)
    if not actor.is_superuser:
        users = users.exclude(is_superuser=True)
    return users
