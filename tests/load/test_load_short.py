"""A short run of the load test (bench/load/run_load.py): gunicorn under
production settings, the task cluster, and locust readers, searchers and
reporters for about 15 seconds. No 5xx, no lost submission.

Locust runs as a subprocess of the runner, never in this process: it patches
the standard library with gevent.
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="load test runs on PostgreSQL only: SQLite is the development "
    "database, not one that serves concurrent writers",
)
def test_short_load_run_has_no_5xx_and_loses_no_submission(tmp_path):
    parts = urlsplit(os.environ["DATABASE_URL"])
    server = parts._replace(path="/postgres").geturl()
    summary = tmp_path / "totals.json"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench/load/run_load.py"),
            "--duration",
            "15",
            "--users",
            "10",
            "--workers",
            "2",
            "--port",
            str(_free_port()),
            "--server",
            server,
            "--workdir",
            str(tmp_path / "work"),
            "--json",
            str(summary),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert summary.exists(), run.stdout[-3000:] + run.stderr[-3000:]
    totals = json.loads(summary.read_text())
    # The run reached every kind of page; how many requests it made depends
    # on the machine (91 to some hundreds in 15 s), which is the bench's
    # business, not a test's.
    pages = {name for name, row in totals["pages"].items() if row["requests"]}
    assert {"home", "policy page", "notice page", "search"} <= pages, run.stdout
    assert totals["requests"] >= 30, run.stdout
    assert totals["http_5xx"] == 0, run.stdout
    assert totals["connection_errors"] == 0, run.stdout
    assert totals["receipts_issued"] > 0, run.stdout
    assert totals["receipts_resolved"] == totals["receipts_issued"], run.stdout
    assert totals["lost_submissions"] == 0, run.stdout
    assert totals["reports_stored"] == totals["receipts_issued"], run.stdout
    assert run.returncode == 0, run.stdout
