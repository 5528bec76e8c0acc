"""Receipt codes and identity encryption, without the web (the proof of work:
test_challenge.py)."""

import pytest
from cryptography.fernet import Fernet

from reporting import identity, receipts


def test_codes_are_16_digits_with_a_valid_check_digit_and_random():
    codes = {receipts.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 16 and code.isdigit()
        assert receipts.normalize(code) == code


def test_codes_are_formatted_in_groups_of_four():
    assert receipts.format_code("1234567890123452") == "1234 5678 9012 3452"


@pytest.mark.parametrize("raw", ["", "1234", "12345678901234567", "abcd" * 4])
def test_malformed_codes_are_refused(raw):
    with pytest.raises(receipts.MalformedCode):
        receipts.normalize(raw)


def test_the_digest_is_argon2id_deterministic_and_salted(settings):
    first = receipts.digest("1234567890123452")
    assert first.startswith("argon2id$")
    assert first == receipts.digest("1234567890123452")
    assert first != receipts.digest("1234567890123460")
    settings.RECEIPT_SALT = "another-deployment-salt"
    assert receipts.digest("1234567890123452") != first


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
