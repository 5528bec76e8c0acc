"""In-process timings (not a test): one client, no server, no wrk.

    .venv/bin/python bench/inprocess.py                 # portal_bench, 30 runs
    .venv/bin/python bench/inprocess.py --runs 50 --only admin

The same targets as bench/run.py (its ``prepare`` makes them: the uncached
public pages under a session cookie, their stock Wagtail twins, the admin
case list and case page with a verified staff session, the stock admin
listing), each requested through Django's test client after a warm-up; prints
the minimum and median time and the number of queries of each, and the time
ratios of the issue #15 goals. The minimum is the figure least disturbed by
a busy machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.settings_env import apply_bench_environment  # noqa: E402


def targets(info: dict) -> list[tuple[str, str, str]]:
    anonymous = f"{info['session_cookie_name']}=bench-no-such-session"
    staff = info["staff_cookie"]
    found = [
        ("home", info["home"], anonymous),
        ("stock home", info.get("stock_home"), anonymous),
        ("policy page", info["policy"], anonymous),
        ("stock policy page", info.get("stock_policy"), anonymous),
        ("notice", info["notice"], anonymous),
        ("stock notice", info.get("stock_notice"), anonymous),
        ("admin case list", info["case_list"], staff),
        ("admin case page", info["case"], staff),
        ("stock admin listing", info["stock_list"], staff),
    ]
    return [t for t in found if t[1]]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", help="targets whose name contains this")
    args = parser.parse_args(argv)
    apply_bench_environment(args.database)
    if "bench" not in os.environ["DATABASE_URL"].rsplit("/", 1)[-1]:
        raise SystemExit("refusing a database not named for the bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

    from bench.run import prepare

    info = prepare()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    print(f"{info['cases']:,} cases, {info['stock_records']:,} stock records")
    print(f"{'target':<22} {'min ms':>8} {'median ms':>10} {'queries':>8} {'bytes':>8}")
    medians, minima = {}, {}
    for name, path, cookie in targets(info):
        if args.only and args.only not in name:
            continue
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        key, _sep, value = cookie.partition("=")
        client.cookies[key] = value
        for _ in range(3):
            response = client.get(path, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {path} answered {response.status_code}")
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path, secure=True)
                times.append((time.perf_counter() - started) * 1000)
        minima[name], medians[name] = min(times), statistics.median(times)
        print(
            f"{name:<22} {minima[name]:>8.1f} {medians[name]:>10.1f} "
            f"{len(queries):>8} {len(response.content):>8}",
            flush=True,
        )
    print()
    for page in ("home", "policy page", "notice"):
        if page in medians and f"stock {page}" in medians:
            print(
                f"{page} / stock: min {minima[page] / minima[f'stock {page}']:.2f}, "
                f"median {medians[page] / medians[f'stock {page}']:.2f}"
            )
    for name in ("admin case list", "admin case page"):
        if name in medians and "stock admin listing" in medians:
            print(
                f"{name} speed / stock admin listing: min "
                f"{minima['stock admin listing'] / minima[name]:.2f}, median "
                f"{medians['stock admin listing'] / medians[name]:.2f}"
            )


if __name__ == "__main__":
    main()
