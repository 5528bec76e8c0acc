"""The proof of work of the public forms (reporting/challenge.py, issue #14):
ALTCHA PoW v2 with scrypt, signed, expiring, single-use through the shared
cache, and every malformed payload a refusal, never an exception."""

import base64
import html
import json
import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import altcha
import altcha.v2
import pytest
from django.core.cache import caches

from reporting import challenge
from reporting.models import Report

REPORT_URL = "/report/"


def decode(solution: str) -> dict:
    return json.loads(base64.b64decode(solution))


def encode(payload) -> str:
    return base64.b64encode(json.dumps(payload).encode()).decode()


def refused(solution, **kwargs) -> str:
    with pytest.raises(challenge.ChallengeFailed) as failed:
        challenge.verify(solution, **kwargs)
    return str(failed.value)


def test_a_challenge_is_a_signed_scrypt_challenge_with_the_configured_costs(
    settings,
):
    now = time.time()
    issued = challenge.issue(now=now)
    parameters = issued["parameters"]
    options = settings.REPORTING
    assert parameters["algorithm"] == "SCRYPT"
    assert parameters["cost"] == options["CHALLENGE_COST"]
    assert parameters["memoryCost"] == options["CHALLENGE_BLOCK_SIZE"]
    assert parameters["parallelism"] == 1
    assert parameters["expiresAt"] == int(now) + options["CHALLENGE_TTL_SECONDS"]
    # Deterministic: the prefix of the drawn counter's key, and that key's
    # signature for a verification without a second derivation.
    assert re.fullmatch(r"[0-9a-f]{32}", parameters["keyPrefix"])
    assert re.fullmatch(r"[0-9a-f]{64}", parameters["keySignature"])
    assert re.fullmatch(r"[0-9a-f]{64}", issued["signature"])
    # Two challenges never share nonce, salt or signature.
    other = challenge.issue(now=now)
    assert other["parameters"]["nonce"] != parameters["nonce"]
    assert other["parameters"]["salt"] != parameters["salt"]
    assert other["signature"] != issued["signature"]
    assert settings.SECRET_KEY not in json.dumps(issued)


def test_the_counter_is_drawn_within_the_configured_bound(settings):
    settings.REPORTING = {**settings.REPORTING, "CHALLENGE_MAX_NUMBER": 7}
    counters = {
        decode(challenge.solve(challenge.issue()))["solution"]["counter"]
        for _ in range(40)
    }
    assert counters <= set(range(8))
    assert len(counters) > 1


def test_a_solved_challenge_passes_once():
    solution = challenge.solve(challenge.issue())
    challenge.verify(solution)
    assert refused(solution) == "used"


def test_the_widget_payload_with_its_solve_time_is_accepted():
    """The browser widget adds the solve time to the solution."""
    payload = decode(challenge.solve(challenge.issue()))
    payload["solution"]["time"] = 1234.5
    challenge.verify(encode(payload))


def test_verification_costs_no_key_derivation(monkeypatch):
    """The server checks the signed key, never repeats the browser's scrypt:
    a flood of answers costs it HMACs, not memory-hard work."""
    solution = challenge.solve(challenge.issue())

    def no_derivation(*args):
        raise AssertionError("verification derived a key")

    monkeypatch.setattr(altcha.v2, "derive_key_scrypt", no_derivation)
    challenge.verify(solution)


def test_an_expired_challenge_is_refused():
    issued = challenge.issue()
    solution = challenge.solve(issued)
    expires = issued["parameters"]["expiresAt"]
    assert refused(solution, now=expires + 1) == "expired"
    # Issued long ago, checked against the real clock.
    old = challenge.issue(now=time.time() - 10**5)
    assert refused(challenge.solve(old)) == "expired"
    # Refused as expired, not marked used: still good within its time.
    challenge.verify(solution)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cost", 2),
        ("memoryCost", 2),
        ("parallelism", 2),
        ("keyPrefix", "0" * 32),
        ("nonce", "0" * 32),
        ("salt", "0" * 32),
        ("keySignature", "0" * 64),
    ],
)
def test_tampered_parameters_are_refused_as_forged(field, value):
    payload = decode(challenge.solve(challenge.issue()))
    payload["challenge"]["parameters"][field] = value
    assert refused(encode(payload)) == "forged"


def test_a_later_expiry_is_refused_as_forged():
    payload = decode(challenge.solve(challenge.issue()))
    payload["challenge"]["parameters"]["expiresAt"] += 10**6
    assert refused(encode(payload)) == "forged"


def test_a_wrong_key_or_a_foreign_signature_is_refused(settings):
    payload = decode(challenge.solve(challenge.issue()))
    wrong = {**payload, "solution": {**payload["solution"], "derivedKey": "ab" * 32}}
    assert refused(encode(wrong)) == "wrong"
    # A challenge signed by anyone without this site's SECRET_KEY, e.g. by
    # the published library with its example secret, is worthless here.
    foreign = altcha.create_challenge(
        "SCRYPT",
        settings.REPORTING["CHALLENGE_COST"],
        counter=1,
        memory_cost=settings.REPORTING["CHALLENGE_BLOCK_SIZE"],
        parallelism=1,
        expires_at=int(time.time()) + 600,
        hmac_secret="secret hmac key",
        hmac_key_secret="key-signing-secret",
    )
    assert refused(challenge.solve(foreign.to_dict())) == "forged"
    # A new SECRET_KEY invalidates every challenge issued under the old one.
    issued = challenge.issue()
    settings.SECRET_KEY = "another-test-only-secret-key-" + "x" * 30
    assert refused(challenge.solve(issued)) == "forged"


def _malformed() -> list:
    issued = challenge.issue()
    good = decode(challenge.solve(issued))
    solution, parameters = good["solution"], issued["parameters"]

    def answer(**changes):
        return encode({**good, "solution": {**solution, **changes}})

    def params(**changes):
        changed = {**issued, "parameters": {**parameters, **changes}}
        return encode({**good, "challenge": changed})

    extra = {**parameters, "data": {"x": 1}}
    return [
        "",
        "not base64 at all",
        "=",
        "AAAA",
        encode([]),
        encode("x"),
        encode({"challenge": None, "solution": None, "test": True}),
        encode({**good, "extra": 1}),
        encode({**good, "challenge": {**issued, "parameters": extra}}),
        encode({"challenge": issued}),
        answer(counter="1"),
        answer(counter=1.0),
        answer(counter=True),
        answer(counter=None),
        answer(counter=10**400),
        answer(counter=-1),
        answer(counter=float("inf")),
        answer(counter=float("nan")),
        answer(counter=[1]),
        answer(derivedKey=None),
        answer(derivedKey="zz" * 32),
        answer(derivedKey="ab" * 4096),
        params(expiresAt=float("inf")),
        params(expiresAt="1e999"),
        params(expiresAt=None),
        params(cost=10**400),
        params(cost=1.5),
        params(algorithm="SHA-256"),
        params(keyLength=4),
        params(keyPrefix=["00"]),
        params(nonce={"a": 1}),
        encode({**good, "challenge": {**issued, "signature": 12}}),
        encode({**good, "challenge": {**issued, "signature": None}}),
        base64.b64encode(b"[" * 100_000 + b"]" * 100_000).decode(),
        base64.b64encode(b'{"a":' * 300 + b"1" + b"}" * 300).decode(),
        base64.b64encode(b"\xff\xfe\x00").decode(),
        "\u4e2d\u6587",
    ]


def test_every_malformed_payload_is_a_refusal_not_an_exception():
    for solution in _malformed():
        assert refused(solution) in {"malformed", "out of range"}, solution[:80]


def test_single_use_holds_across_processes_through_redis(settings):
    """With Redis (production) the used mark is in the shared cache: a second
    worker process, with a client of its own, refuses the replay."""
    redis = pytest.importorskip("redis")
    url = settings.TEST_REDIS_URL
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on " + url)
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"challenge-test-{uuid.uuid4().hex}",
        }
    }
    issued = challenge.issue()
    solution = challenge.solve(issued)
    challenge.verify(solution)
    other_worker = caches.create_connection("default")
    key = f"reporting:challenge-used:{issued['signature']}"
    assert other_worker.get(key) == 1
    assert 0 < other_worker.ttl(key) <= settings.REPORTING["CHALLENGE_TTL_SECONDS"] + 1
    assert refused(solution) == "used"
    other_worker.delete(key)

    # Eight requests replaying one fresh solution at once, each thread with
    # its own Redis client (as separate workers have): exactly one passes.
    solution = challenge.solve(challenge.issue())
    start = threading.Barrier(8)

    def replay(_):
        start.wait()
        try:
            challenge.verify(solution)
        except challenge.ChallengeFailed as failed:
            return str(failed)
        finally:
            caches["default"].close()
        return "accepted"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = sorted(pool.map(replay, range(8)))
    assert outcomes == ["accepted"] + ["used"] * 7


@pytest.mark.django_db
def test_the_form_page_carries_the_widget_and_a_challenge(client):
    response = client.get(REPORT_URL)
    page = response.content.decode()
    found = re.search(r'data-challenge="([^"]+)"', page)
    issued = json.loads(html.unescape(found.group(1)))
    assert issued["parameters"]["algorithm"] == "SCRYPT"
    assert "reporting/vendor/altcha/altcha.min.js" in page
    worker = "/static/reporting/vendor/altcha/scrypt-worker.js"
    assert f'data-proof-worker="{worker}"' in page
    # The widget adds the "proof" field; without JavaScript there is none,
    # and the noscript note says why the form will be refused.
    assert 'name="proof"' not in page
    assert "请启用 JavaScript" in page
    # The page's policy lets the worker compile WebAssembly, and nothing more.
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy).group(1).split()
    assert sorted(script_src) == ["'self'", "'wasm-unsafe-eval'"]
    # The challenge the page carries is solvable and accepted once.
    challenge.verify(challenge.solve(issued))


@pytest.mark.django_db
def test_a_bad_proof_gets_the_chinese_refusal_and_keeps_the_form(
    client, report_data, proof
):
    test_mode = encode({"challenge": None, "solution": None, "test": True})
    for bad in ["", "AAAA", proof()[:-8] + "AAAAAAA=", test_mode]:
        response = client.post(REPORT_URL, {**report_data, "proof": bad})
        assert response.status_code == 200
        page = response.content.decode()
        assert "安全验证未完成或已失效" in page
        assert report_data["description"] in page
        assert report_data["subject"] in page
    assert Report.objects.count() == 0
    filed = client.post(REPORT_URL, {**report_data, "proof": proof()})
    assert "data-receipt-code" in filed.content.decode()
    assert Report.objects.count() == 1
