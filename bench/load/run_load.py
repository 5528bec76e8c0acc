"""Load test runner (issue #8, Reliability): the portal under production
settings behind gunicorn, the task cluster beside it, locust in front.

    .venv/bin/python bench/load/run_load.py --duration 60 --users 30

1. creates a fresh PostgreSQL database (``portal_load``), migrates it and
   loads the demo; empties the Redis database it uses (cache, rate limits,
   task broker);
2. starts gunicorn (portal.settings.production, generated bench secrets,
   127.0.0.1, 3 workers, TRUSTED_PROXY_COUNT=1) and ``manage.py qcluster``;
3. runs locust headless as a subprocess for a bounded time
   (bench/load/locustfile.py: public reads, searches, report submissions
   with the proof of work, status lookups);
4. checks: no 5xx (locust's status counts and gunicorn's access log) and no
   lost submission (every receipt issued opens its report, whose kind,
   subject and description are what was sent);
5. prints the totals; exits 1 if a check failed. ``--json PATH`` writes them.
"""

from __future__ import annotations

import argparse
import base64
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--server",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="PostgreSQL server (any database on it; portal_load is created)",
    )
    parser.add_argument("--database", default="portal_load")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--json", help="write the totals to this file")
    parser.add_argument("--workdir", help="logs and results (default: a temp dir)")
    return parser.parse_args(argv)


def database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path="/" + name))


def recreate_database(server: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(database_url(server, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def bench_environment(args, workdir: Path) -> dict:
    """Production settings with secrets made up for this run only."""
    fernet_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DATABASE_URL": database_url(args.server, args.database),
        "REDIS_URL": args.redis,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "REPORTER_IDENTITY_KEYS": fernet_key,
        "RECEIPT_SALT": secrets.token_urlsafe(24),
        "TRUSTED_PROXY_COUNT": "1",
        # locust plays the proxy: its X-Forwarded-For is believed only because
        # it connects from this address (portal/proxy.py).
        "TRUSTED_PROXY_ADDRESSES": "127.0.0.1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORTAL_VAR_DIR": str(workdir / "var"),
        "PORTAL_BASE_URL": f"http://127.0.0.1:{args.port}",
        "LOG_LEVEL": "WARNING",
        "TASK_WORKERS": "1",
        "PYTHONUNBUFFERED": "1",
        # The office's own pages are what the run reads; the demo's library
        # of other measures would leave its search-index tasks running into
        # the measured seconds.
        "PUBLISHING_DEMO_LIBRARY": "false",
    }
    env.pop("ELASTICSEARCH_URL", None)
    return env


def manage(env, *command, log):
    subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def wait_until_up(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/healthz", timeout=5
            ) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def stop(process: subprocess.Popen | None) -> None:
    """Stop a process this runner started, with its children (own group)."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def verify_receipts(env, results: Path) -> dict:
    """Every receipt issued opens its report, and the report holds what was
    submitted (kind, subject, description). Runs in this process with the
    bench settings, through reporting's own lookup."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from reporting import services
    from reporting.models import Report

    records = []
    if results.exists():
        records = [json.loads(line) for line in results.read_text().splitlines()]
    resolved, lost = 0, []
    for record in records:
        report = services.find_by_receipt(record["code"])
        if (
            report is not None
            and report.kind == record["kind"]
            and report.subject == record["subject"]
            and report.description == record["description"]
        ):
            resolved += 1
        else:
            lost.append(record["code"][-4:])  # never the whole code in a log
    created = Report.objects.filter(subject__startswith="负载测试举报").count()
    return {
        "receipts_issued": len(records),
        "receipts_resolved": resolved,
        "lost_submissions": len(lost),
        "lost_code_endings": lost,
        "reports_stored": created,
        "distinct_codes": len({r["code"] for r in records}),
    }


def gunicorn_5xx(access_log: Path) -> tuple[int, Counter]:
    codes: Counter = Counter()
    if access_log.exists():
        for line in access_log.read_text(errors="replace").splitlines():
            parts = line.split()
            if parts and parts[0].isdigit():
                codes[parts[0]] += 1
    return sum(n for code, n in codes.items() if code.startswith("5")), codes


def locust_totals(prefix: Path) -> dict:
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        for row in csv.DictReader(stats):
            rows[row["Name"]] = row
    total = rows.get("Aggregated", {})
    failures = {}
    failures_csv = Path(f"{prefix}_failures.csv")
    if failures_csv.exists():
        with open(failures_csv, encoding="utf-8") as found:
            for row in csv.DictReader(found):
                key = f"{row['Name']}: {row['Error']}"
                failures[key] = failures.get(key, 0) + int(row["Occurrences"])
    per_page = {
        name: {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "p50_ms": float(row["50%"] or 0),
            "p95_ms": float(row["95%"] or 0),
        }
        for name, row in rows.items()
        if name != "Aggregated"
    }
    return {
        "requests": int(total.get("Request Count", 0)),
        "failures": int(total.get("Failure Count", 0)),
        "p50_ms": float(total.get("50%", 0) or 0),
        "p95_ms": float(total.get("95%", 0) or 0),
        "rps": round(float(total.get("Requests/s", 0) or 0), 1),
        "failures_by_error": failures,
        "pages": per_page,
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="portal-load-"))
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "var" / "static").mkdir(parents=True, exist_ok=True)
    env = bench_environment(args, workdir)
    setup_log = open(workdir / "setup.log", "w")  # noqa: SIM115
    gunicorn = qcluster = None
    print(f"load test: work directory {workdir}", flush=True)
    try:
        started = time.monotonic()
        recreate_database(args.server, args.database)
        flush_redis(args.redis)
        manage(env, "migrate", "--noinput", log=setup_log)
        manage(env, "load_demo", "--allow-production", log=setup_log)
        print(f"database ready in {time.monotonic() - started:.0f} s", flush=True)

        access_log = workdir / "gunicorn-access.log"
        gunicorn = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.workers),
                "--timeout",
                "60",
                "--access-logfile",
                str(access_log),
                # Status, method and path only: no query string, no address.
                "--access-logformat",
                "%(s)s %(m)s %(U)s %(M)sms",
                "--error-logfile",
                str(workdir / "gunicorn-error.log"),
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        qcluster = subprocess.Popen(
            [str(VENV_BIN / "python"), "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=open(workdir / "qcluster.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until_up(args.port)

        results = workdir / "receipts.jsonl"
        status_file = workdir / "status.json"
        prefix = workdir / "locust"
        print(
            f"locust: {args.users} users for {args.duration} s against "
            f"gunicorn ({args.workers} workers)",
            flush=True,
        )
        subprocess.run(
            [
                str(VENV_BIN / "locust"),
                "-f",
                str(LOCUSTFILE),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                f"{args.duration}s",
                "--stop-timeout",
                "10",
                "--host",
                f"http://127.0.0.1:{args.port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--exit-code-on-error",
                "0",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "LOAD_RESULTS": str(results),
                "LOAD_STATUS": str(status_file),
            },
            check=True,
            stdout=open(workdir / "locust.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            timeout=args.duration + 120,
        )
        stop(gunicorn)  # flushes the access log
        gunicorn = None

        totals = locust_totals(prefix)
        status_codes = (
            json.loads(status_file.read_text()) if status_file.exists() else {}
        )
        logged_5xx, logged_codes = gunicorn_5xx(access_log)
        seen_5xx = sum(n for code, n in status_codes.items() if code.startswith("5"))
        totals.update(
            {
                "status_codes": status_codes,
                "gunicorn_status_codes": dict(logged_codes),
                "http_5xx": max(seen_5xx, logged_5xx),
                "connection_errors": status_codes.get("error", 0),
            }
        )
        totals.update(verify_receipts(env, results))
        totals["users"], totals["duration_s"] = args.users, args.duration
    finally:
        stop(gunicorn)
        stop(qcluster)
        setup_log.close()
        if not args.keep:
            try:
                recreate_database(args.server, args.database, drop_only=True)
            except Exception as error:
                print(f"could not drop {args.database}: {error}", file=sys.stderr)

    ok = (
        totals["http_5xx"] == 0
        and totals["connection_errors"] == 0
        and totals["lost_submissions"] == 0
        and totals["receipts_issued"] > 0
    )
    totals["ok"] = ok
    print_totals(totals)
    if args.json:
        Path(args.json).write_text(json.dumps(totals, ensure_ascii=False, indent=2))
    return 0 if ok else 1


def print_totals(totals: dict) -> None:
    print(
        f"requests {totals['requests']}  failures {totals['failures']}  "
        f"5xx {totals['http_5xx']}  connection errors {totals['connection_errors']}"
    )
    print(f"status codes {dict(sorted(totals['status_codes'].items()))}")
    for error, count in sorted(totals["failures_by_error"].items()):
        print(f"  failure {count:5d}  {error}")
    print(
        f"submissions {totals['receipts_issued']}  receipts resolved "
        f"{totals['receipts_resolved']}  lost {totals['lost_submissions']}  "
        f"reports stored {totals['reports_stored']}"
    )
    print(
        f"p50 {totals['p50_ms']:.0f} ms  p95 {totals['p95_ms']:.0f} ms  "
        f"{totals['rps']} requests/s"
    )
    print(f"{'page':24} {'requests':>8} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7}")
    for name, row in sorted(totals["pages"].items()):
        print(
            f"{name:24} {row['requests']:8d} {row['failures']:5d} "
            f"{row['p50_ms']:7.0f} {row['p95_ms']:7.0f}"
        )
    print("OK" if totals["ok"] else "FAILED")


if __name__ == "__main__":
    sys.exit(main())
