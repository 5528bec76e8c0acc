"""Helpers of the staff sign-in tests (imported by name: tests/staffauth is
on sys.path while its tests run)."""

from staffauth import devices

PASSWORD = "correct horse battery staple"


def password_sign_in(client, username, password=PASSWORD, **extra):
    """The first step, through Wagtail's real sign-in form."""
    return client.post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        **extra,
    )


def code_of(device) -> str:
    device.refresh_from_db()
    return devices.code_for_next_sign_in(device)


def wrong_code(device) -> str:
    right = code_of(device)
    return str((int(right) + 1) % 1_000_000).zfill(6)
