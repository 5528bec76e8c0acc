"""Production refuses a proxy configuration that would believe anyone's
forwarding headers (issue #14), and the gunicorn config takes its trust from
the same variable."""

from __future__ import annotations

import importlib
import os
import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from deploy_helpers import ROOT


def start_production(**extra: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "TRUSTED_PROXY", "HEALTHZ"))
    }
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "portal.example.gov.cn",
        "REPORTER_IDENTITY_KEYS": Fernet.generate_key().decode(),
        "RECEIPT_SALT": secrets.token_urlsafe(24),
        "REDIS_URL": "redis://127.0.0.1:6379/10",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize(
    "extra,message",
    [
        ({"TRUSTED_PROXY_COUNT": "1"}, "TRUSTED_PROXY_ADDRESSES is empty"),
        (
            {"TRUSTED_PROXY_COUNT": "1", "TRUSTED_PROXY_ADDRESSES": "*"},
            "a wildcard would trust every client",
        ),
        ({"HEALTHZ_TOKEN": "short"}, "HEALTHZ_TOKEN must be at least 32"),
    ],
)
def test_production_refuses_an_untrustworthy_proxy_setup(extra, message):
    result = start_production(**extra)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_the_compose_proxy_setup():
    result = start_production(
        TRUSTED_PROXY_COUNT="1",
        TRUSTED_PROXY_ADDRESSES="172.30.80.2",
        HEALTHZ_TOKEN=secrets.token_urlsafe(32),
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_gunicorn_trusts_forwarding_headers_from_the_proxy_only(monkeypatch):
    from portal import gunicorn_conf

    monkeypatch.setenv("TRUSTED_PROXY_ADDRESSES", "172.30.80.2")
    assert importlib.reload(gunicorn_conf).forwarded_allow_ips == "172.30.80.2"
    # Unset: nobody, not gunicorn's own default of the loopback.
    monkeypatch.delenv("TRUSTED_PROXY_ADDRESSES")
    assert importlib.reload(gunicorn_conf).forwarded_allow_ips == ""
