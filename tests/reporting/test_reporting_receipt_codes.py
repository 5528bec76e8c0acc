"""Receipt codes (reporting.receipts): 16 random digits with a check digit,
shown in groups of four, malformed input refused, stored only as a salted
argon2id digest; a lookup costs the same whether or not the code exists
(counted, not timed). The proof of work of the public forms is tested in
test_challenge.py."""

import pytest

from reporting import receipts, services


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


@pytest.mark.django_db
@pytest.mark.parametrize("exists", [True, False])
def test_a_lookup_costs_one_digest_and_one_query_whether_or_not_the_code_exists(
    exists, real_name_report, monkeypatch, django_assert_num_queries
):
    calls = []
    original = receipts.digest
    monkeypatch.setattr(
        receipts, "digest", lambda code: calls.append(code) or original(code)
    )
    body = "123456789012345"
    code = real_name_report.code if exists else body + receipts.luhn_check_digit(body)
    with django_assert_num_queries(1):
        found = services.find_by_receipt(code)
    assert (found is not None) is exists
    assert len(calls) == 1
