"""Locking reporters out of the receipt lookup (issue #14, abuse resistance).

Malformed codes used to count against the site-wide budget, so 200 of them
refused every reporter for 15 minutes; and well-formed wrong codes sprayed from
many addresses did the same. Now malformed input costs nothing, the per-client
budget refuses only that client (an IPv4 address or an IPv6 /64), and beyond
the site-wide budget a lookup waits its turn (a ticket, "请稍后") and is then
served. The clock is moved, never waited for."""

import re

import pytest

from portal import ratelimit
from reporting import receipts, views

STATUS_URL = "/report/status/"
TICKET = re.compile(r'name="ticket" value="([^"]+)"')

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The rate-limit clock, moved by hand."""
    now = [1_800_000_000.0]
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
    return now


@pytest.fixture
def digests(monkeypatch):
    """Counts Argon2 digests computed (still the real function)."""
    calls = []
    real = receipts.digest

    def counting(code):
        calls.append(1)
        return real(code)

    monkeypatch.setattr(receipts, "digest", counting)
    return calls


def look_up(client, code, address="192.0.2.1", ticket=""):
    data = {"code": code}
    if ticket:
        data["ticket"] = ticket
    return client.post(STATUS_URL, data, REMOTE_ADDR=address)


def ticket_of(response) -> str:
    match = TICKET.search(response.content.decode())
    assert match, "the page carries a ticket"
    return match.group(1)


def spray(client, count, *, prefix="198.18"):
    """Well-formed wrong codes, one per address: no client over its budget."""
    for n in range(count):
        look_up(client, receipts.new_code(), address=f"{prefix}.{n // 250}.{n % 250}")


MALFORMED = [
    "1234",
    "1234 5678 9012 345x",
    "１２３４５６７８９０１２３４５６７",
    "0" * 15 + "1",  # a Luhn-invalid 16 digits
    "٠١٢٣٤٥٦٧٨٩٠١٢٣٤٥",  # Arabic-Indic digits
    "9" * 40,
    "9" * 500,
    "",
]


def test_malformed_codes_cost_no_digest_and_count_for_nothing(
    client, settings, real_name_report, digests
):
    for n in range(250):
        code = MALFORMED[n % len(MALFORMED)]
        response = look_up(client, code)
        assert response.status_code == 200
    assert digests == []
    html = look_up(client, "1234").content.decode()
    assert str(views.MALFORMED) in html
    # The same client, and everybody else, still gets in with a real code.
    assert look_up(client, real_name_report.code).status_code == 302
    other = look_up(client, real_name_report.code, address="203.0.113.9")
    assert other.status_code == 302


def test_malformed_codes_from_many_addresses_do_not_lock_the_site(
    client, settings, real_name_report
):
    settings.REPORTING = {**settings.REPORTING, "LOOKUP_FAILURES_GLOBAL": 5}
    for n in range(220):
        look_up(client, "0000 0000 0000 0001", address=f"198.18.0.{n}")
    assert look_up(client, real_name_report.code, "203.0.113.9").status_code == 302


def test_spraying_wrong_codes_past_the_site_budget_only_slows_a_real_code(
    client, settings, clock, real_name_report
):
    settings.REPORTING = {**settings.REPORTING, "LOOKUP_FAILURES_GLOBAL": 20}
    spray(client, 40)
    reporter = "203.0.113.50"
    slowed = look_up(client, real_name_report.code, reporter)
    assert slowed.status_code == 429
    html = slowed.content.decode()
    assert "请稍后" in html
    wait = settings.REPORTING["LOOKUP_QUEUE_SECONDS"]
    assert int(slowed["Retry-After"]) == wait
    # The code the reporter typed stays in the box.
    assert real_name_report.code in html
    ticket = ticket_of(slowed)

    # Too early: still waiting, with the same place in line.
    clock[0] += wait - 3
    early = look_up(client, real_name_report.code, reporter, ticket)
    assert early.status_code == 429
    assert ticket_of(early) == ticket
    assert int(early["Retry-After"]) == 3

    # The spraying goes on meanwhile.
    spray(client, 40, prefix="198.19")
    clock[0] += 3
    served = look_up(client, real_name_report.code, reporter, ticket)
    assert served.status_code == 302
    status = client.get(STATUS_URL)
    assert real_name_report.subject in status.content.decode()


def test_a_ticket_is_good_once_and_only_for_its_own_client(
    client, settings, clock, real_name_report
):
    settings.REPORTING = {**settings.REPORTING, "LOOKUP_FAILURES_GLOBAL": 3}
    spray(client, 5)
    wait = settings.REPORTING["LOOKUP_QUEUE_SECONDS"]
    attacker = "198.51.100.20"
    ticket = ticket_of(look_up(client, receipts.new_code(), attacker))
    clock[0] += wait
    # Another client cannot use it: it gets a place of its own instead.
    stolen = look_up(client, real_name_report.code, "198.51.100.99", ticket)
    assert stolen.status_code == 429
    assert ticket_of(stolen) != ticket
    # Its own client uses it once (a wrong code, which is then counted) ...
    assert look_up(client, receipts.new_code(), attacker, ticket).status_code == 200
    # ... and not again.
    replay = look_up(client, receipts.new_code(), attacker, ticket)
    assert replay.status_code == 429
    assert ticket_of(replay) != ticket
    # A forged or expired ticket is no ticket either.
    forged = look_up(client, receipts.new_code(), attacker, "forged:ticket")
    assert forged.status_code == 429
    fresh = ticket_of(forged)
    clock[0] += wait + settings.REPORTING["LOOKUP_TICKET_SECONDS"] + 1
    expired = look_up(client, receipts.new_code(), attacker, fresh)
    assert expired.status_code == 429
    assert ticket_of(expired) != fresh


def test_the_per_client_budget_refuses_only_that_client(
    client, settings, real_name_report
):
    limit = settings.REPORTING["LOOKUP_FAILURES_PER_CLIENT"]
    for _ in range(limit):
        look_up(client, receipts.new_code(), "198.51.100.1")
    assert look_up(client, real_name_report.code, "198.51.100.1").status_code == 429
    assert look_up(client, real_name_report.code, "198.51.100.2").status_code == 302


def test_an_ipv6_guesser_cannot_step_through_its_slash_64(
    client, settings, real_name_report
):
    limit = settings.REPORTING["LOOKUP_FAILURES_PER_CLIENT"]
    for n in range(limit):
        look_up(client, receipts.new_code(), f"2001:db8:aa:bb::{n + 1:x}")
    same_64 = "2001:db8:aa:bb:ffff:ffff:ffff:fffe"
    assert look_up(client, real_name_report.code, same_64).status_code == 429
    next_64 = "2001:db8:aa:bc::1"
    assert look_up(client, real_name_report.code, next_64).status_code == 302
