"""The reporter's identity (reporting.identity): encrypted with Fernet, the
ciphertext hides it, and keys rotate without losing older identities."""

import pytest
from cryptography.fernet import Fernet

from reporting import identity


def test_identity_round_trips_and_the_ciphertext_hides_it():
    token = identity.encrypt(identity.Identity("王建国", "13905310000"))
    assert "王建国" not in token and "13905310000" not in token
    assert identity.decrypt(token) == identity.Identity("王建国", "13905310000")


def test_keys_rotate_without_losing_old_identities(settings):
    old = identity.encrypt(identity.Identity("李秀兰", "lixiulan@example.com"))
    new_key = Fernet.generate_key().decode()
    settings.REPORTER_IDENTITY_KEYS = [new_key, *settings.REPORTER_IDENTITY_KEYS]
    assert identity.decrypt(old).name == "李秀兰"
    rotated = identity.rotate(old)
    settings.REPORTER_IDENTITY_KEYS = [new_key]
    assert identity.decrypt(rotated).name == "李秀兰"
    with pytest.raises(identity.IdentityUnreadable):
        identity.decrypt(old)
