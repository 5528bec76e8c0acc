"""Speed benchmark (not a test): the portal under gunicorn, measured with wrk.

    .venv/bin/python bench/run.py                     # portal_bench + portal_bench_1k
    .venv/bin/python bench/run.py --duration 5 --skip-1k

Fill the databases first (bench/generate_portal.py). The run starts gunicorn
(portal.wsgi, settings bench.settings = production + the bench URLconf and
stock page app, DEBUG off, Redis cache DB 14, 2 workers) on a free port of
127.0.0.1, warms each target up, then measures it with wrk (bench/wrk.lua):
p50/p95 latency and requests/s, beside the plain Django view (/bench/plain/,
an HttpResponse of the same size through the same middleware) measured just
before it. Uncached public pages carry a session cookie (the page cache never
serves a request with one) and are compared with a stock Wagtail page of the
same content under the same cookie (home, policy page, notice; goals of
issue #15 as time ratios). The admin case list and case page are compared
with a stock Wagtail admin listing (bench.stockpage's ModelViewSet over as
many StockRecord rows as there are cases, same page size). The machine's load
average is recorded before and after each target. The status lookup is the
real POST: CSRF cookie and token, a valid receipt code, answered by a 302 to
the status page.
Admin targets use a staff session verified with a second factor (django-otp).
The admin case list is measured again against the 1,000-case database.

Figures print as a table with the targets' PASS/FAIL and are saved to
bench/results/latest.json and latest.md. Ratios in one run are what count:
the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.settings_env import apply_bench_environment  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
RESULTS = ROOT / "bench" / "results"
BENCH_DB = "postgres://postgres@127.0.0.1:5432/portal_bench"
BENCH_DB_1K = "postgres://postgres@127.0.0.1:5432/portal_bench_1k"
SEARCH_QUERY = "容错免责"
CACHED_SHARE = 0.7  # a cached public page against the plain view
STOCK_SHARE = 0.9  # "no slower" than stock Wagtail, within the noise
SCALING_FACTOR = 2.0  # admin list at 100k against 1k
# Issue #15: an uncached page's time against the stock Wagtail page of the
# same content (time ratio = stock req/s / our req/s), and the admin pages'
# req/s against the stock Wagtail admin listing of the same size.
STOCK_TIME_GOALS = {
    "policy page": ("stock policy page", 1.1),
    "notice": ("stock notice", 1.1),
    "home": ("stock home", 1.5),
}
ADMIN_SHARE = 0.5


# --- preparation, inside Django (run in a subprocess per database) -------------
def prepare() -> dict:
    """Targets, a verified staff session and a fresh receipt code for the
    database in DATABASE_URL; printed as JSON for the runner."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.models import Permission
    from django.db.models import Count
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from wagtail.models import Site

    from bench.generate_portal import Generator, target_notice
    from bench.stockpage.models import StockPage, StockRecord
    from casework import roles
    from casework.models import SupervisionCase
    from publishing.models import PolicyDocumentPage

    site = Site.objects.get(is_default_site=True)
    policy = PolicyDocumentPage.objects.live().order_by("pk").first()
    notice = target_notice()
    stock = {p.slug: p.relative_url(site) for p in StockPage.objects.live()}

    User = get_user_model()
    user = (
        User.objects.filter(username="officer1").first()
        or User.objects.filter(groups__name=roles.OFFICER, is_active=True).first()
    )
    # The stock listing's baseline is seen by the same user, with the
    # model permissions a stock Wagtail installation would give.
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label=StockRecord._meta.app_label,
            content_type__model=StockRecord._meta.model_name,
        )
    )
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store["staffauth_last_seen"] = int(time.time())
    store.create()

    # The richest case the officer may open: the most recorded changes.
    history = SupervisionCase.history.model
    visible = SupervisionCase.objects.visible_to(user)
    case_id = (
        history.objects.filter(id__in=visible.filter(stage="archived").values("pk"))
        .values("id")
        .annotate(n=Count("history_id"))
        .order_by("-n")
        .values_list("id", flat=True)
        .first()
    ) or visible.values_list("pk", flat=True).first()

    gen = Generator(seed=secrets.randbelow(10**6))
    gen.reference_data(officers=0, investigators=0)
    _report, code = gen.report_with_receipt()
    return {
        "cases": SupervisionCase.objects.count(),
        "home": site.root_page.relative_url(site),
        "policy": policy.relative_url(site) if policy else None,
        "notice": notice.relative_url(site) if notice else None,
        "stock_policy": stock.get("stock-policy"),
        "stock_notice": stock.get("stock-notice"),
        "stock_home": stock.get("stock-home"),
        "stock_records": StockRecord.objects.count(),
        "stock_list": "/admin/bench/records/",
        "case": f"/admin/casework/cases/{case_id}/",
        "case_list": "/admin/casework/cases/",
        "staff_cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        "receipt": code,
    }


def prepared(database_url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url}
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    out = subprocess.run(
        [str(PYTHON), __file__, "--prepare"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


# --- the server ---------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, database_url: str, workers: int):
        self.port = free_port()
        self.origin = f"https://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "PYTHONPATH": str(ROOT),
        }
        log = ROOT / "var" / "bench-gunicorn.log"
        log.parent.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "portal.wsgi:application",
                f"--workers={workers}",
                f"--bind=127.0.0.1:{self.port}",
                f"--chdir={ROOT}",
                f"--error-logfile={log}",
                "--timeout=120",
            ],
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _headers, _body = self.get("/healthz")
                if status in (200, 503):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn did not start; see {log}")

    def request(self, method, path, *, body="", headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            all_headers = {"X-Forwarded-Proto": "https", **(headers or {})}
            if body:
                all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body.encode() or None, headers=all_headers)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def get(self, path, cookie=""):
        return self.request("GET", path, headers={"Cookie": cookie} if cookie else {})

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


# --- measuring ------------------------------------------------------------------
def wrk(server, target, *, duration, threads, connections) -> dict:
    env = {
        **os.environ,
        "BENCH_METHOD": target.get("method", "GET"),
        "BENCH_BODY": target.get("body", ""),
        "BENCH_COOKIE": target.get("cookie", ""),
        "BENCH_ORIGIN": server.origin if target.get("method") == "POST" else "",
    }
    out = subprocess.run(
        [
            WRK,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout=30s",
            "-s",
            str(ROOT / "bench" / "wrk.lua"),
            f"http://127.0.0.1:{server.port}{target['path']}",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    return json.loads(line.removeprefix("BENCH_JSON "))


def warm(server, target, rounds=5) -> tuple[int, str]:
    """A few requests first (caches, connections, lazy imports); the last
    one's status and size are checked and reported."""
    for _ in range(rounds):
        status, headers, body = server.request(
            target.get("method", "GET"),
            target["path"],
            body=target.get("body", ""),
            headers={
                **({"Cookie": target["cookie"]} if target.get("cookie") else {}),
                **({"Origin": server.origin} if target.get("method") == "POST" else {}),
            },
        )
    expected = target.get("status", 200)
    if status != expected:
        raise SystemExit(
            f"{target['name']}: {target['path']} answered {status}, "
            f"expected {expected}:\n{body[:600].decode(errors='replace')}"
        )
    return len(body), headers.get("X-Cache", "")


def load_average() -> float:
    """The machine's 1-minute load average (0.0 where the OS has none)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


def measure(server, targets, options, rows, label=""):
    for target in targets:
        load_before = load_average()
        size, cache = warm(server, target)
        plain = {"name": "plain", "path": f"/bench/plain/?size={max(size, 100)}"}
        if target.get("cookie") and target["kind"] == "public":
            plain["cookie"] = target["cookie"]
        warm(server, plain)
        base = wrk(server, plain, **options)
        got = wrk(server, target, **options)
        load_after = load_average()
        row = {
            "target": target["name"] + label,
            "path": target["path"],
            "kind": target["kind"],
            "bytes": size,
            "x_cache": cache,
            **got,
            "plain_rps": base["rps"],
            "plain_p50_ms": base["p50_ms"],
            "ratio_to_plain": got["rps"] / base["rps"] if base["rps"] else 0.0,
            "load_before": load_before,
            "load_after": load_after,
        }
        rows.append(row)
        print(format_row(row), flush=True)


def format_row(row) -> str:
    return (
        f"{row['target']:<28} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
        f"{row['rps']:>8.1f} {row['plain_rps']:>8.1f} {row['ratio_to_plain']:>6.2f} "
        f"{row['status_errors'] + row['socket_errors']:>5} {row['x_cache']:>5} "
        f"{row['load_before']:>5.2f} {row['load_after']:>5.2f}"
    )


HEADER = (
    f"{'target':<28} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'plain/s':>8} "
    f"{'ratio':>6} {'errs':>5} {'cache':>5} {'load<':>5} {'load>':>5}"
)


def targets_for(info) -> list[dict]:
    anonymous = f"{info['session_cookie_name']}=bench-no-such-session"
    csrf = secrets.token_hex(16)
    pages = [
        ("home", info["home"]),
        ("policy page", info["policy"]),
        ("notice", info["notice"]),
    ]
    targets = []
    for name, path in pages:
        targets.append({"name": f"{name} (cached)", "path": path, "kind": "public"})
    stock_keys = {
        "home": "stock_home",
        "policy page": "stock_policy",
        "notice": "stock_notice",
    }
    # Each uncached page right before its stock twin: the two compared
    # within seconds of each other, on a machine whose load drifts.
    for name, path in pages:
        pair = [(f"{name} (uncached)", path)]
        if info.get(stock_keys[name]):
            pair.append((f"stock {name} (uncached)", info[stock_keys[name]]))
        targets += [
            {"name": label, "path": where, "kind": "public", "cookie": anonymous}
            for label, where in pair
        ]
    query = urllib.parse.quote(SEARCH_QUERY)
    targets += [
        {"name": "search", "path": f"/search/?q={query}", "kind": "public"},
        {
            "name": "status lookup (POST)",
            "path": "/report/status/",
            "kind": "public",
            "method": "POST",
            "status": 302,
            "cookie": f"{info['csrf_cookie_name']}={csrf}",
            "body": f"csrfmiddlewaretoken={csrf}&code={info['receipt']}",
        },
        {
            "name": "stock admin listing",
            "path": info["stock_list"],
            "kind": "admin",
            "cookie": info["staff_cookie"],
        },
        {
            "name": "admin case list",
            "path": info["case_list"],
            "kind": "admin",
            "cookie": info["staff_cookie"],
        },
        {
            "name": "admin case page",
            "path": info["case"],
            "kind": "admin",
            "cookie": info["staff_cookie"],
        },
    ]
    return targets


def by_name(rows, name):
    return next((r for r in rows if r["target"] == name), None)


# Issue #15: the public search, over the 20 common terms of wrk.lua.
SEARCH_P95_MS = 50
SEARCH_SHARE = 0.3


def checks(rows) -> list[dict]:
    """Issue #15's goals first, then the earlier ones (issue #8)."""
    found = []
    for page, (stock, limit) in STOCK_TIME_GOALS.items():
        ours, theirs = (
            by_name(rows, f"{page} (uncached)"),
            by_name(rows, f"{stock} (uncached)"),
        )
        if ours and theirs and ours["rps"]:
            ratio = theirs["rps"] / ours["rps"]
            found.append(
                {
                    "check": f"uncached {page} time / stock Wagtail page "
                    f"(stock req/s / ours) <= {limit}",
                    "value": ratio,
                    "pass": ratio <= limit,
                }
            )
    search = by_name(rows, "search")
    if search:
        found += [
            {
                "check": f"search p95 <= {SEARCH_P95_MS} ms",
                "value": search["p95_ms"],
                "pass": search["p95_ms"] <= SEARCH_P95_MS,
            },
            {
                "check": f"search >= {SEARCH_SHARE}x plain view req/s",
                "value": search["ratio_to_plain"],
                "pass": search["ratio_to_plain"] >= SEARCH_SHARE,
            },
        ]
    stock_list = by_name(rows, "stock admin listing")
    for name in ("admin case list", "admin case page"):
        row = by_name(rows, name)
        if row and stock_list and stock_list["rps"]:
            ratio = row["rps"] / stock_list["rps"]
            found.append(
                {
                    "check": f"{name} req/s at {row['cases']:,} cases / stock "
                    f"Wagtail admin listing of {stock_list['stock_rows']:,} rows "
                    f">= {ADMIN_SHARE}",
                    "value": ratio,
                    "pass": ratio >= ADMIN_SHARE,
                }
            )
    for page in ("home", "policy page", "notice"):
        row = by_name(rows, f"{page} (cached)")
        if row:
            found.append(
                {
                    "check": f"cached {page} >= {CACHED_SHARE}x plain view req/s",
                    "value": row["ratio_to_plain"],
                    "pass": row["ratio_to_plain"] >= CACHED_SHARE,
                }
            )
    big, small = by_name(rows, "admin case list"), by_name(rows, "admin case list [1k]")
    if big and small:
        ratio = big["p50_ms"] / small["p50_ms"]
        found.append(
            {
                "check": f"admin case list p50 at {big['cases']:,} cases <= "
                f"{SCALING_FACTOR}x at {small['cases']:,}",
                "value": ratio,
                "pass": ratio <= SCALING_FACTOR,
            }
        )
    return found


def markdown(result) -> str:
    lines = [
        f"# Benchmark {result['when']}",
        "",
        f"{result['cases']:,} cases; gunicorn {result['workers']} workers; wrk "
        f"-t{result['threads']} -c{result['connections']} -d{result['duration']}s; "
        f"{result['machine']}. Ratio = req/s against the plain Django view of the "
        "same size measured just before. Load = the machine's 1-minute load "
        "average before and after the target (plain view and target); "
        f"the run started at load {result['load_start']:.2f} and ended at "
        f"{result['load_end']:.2f}. Ratios within one run are what count.",
        "",
        "| target | p50 ms | p95 ms | req/s | plain req/s | ratio | errors | cache "
        "| load before | load after |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for r in result["rows"]:
        lines.append(
            f"| {r['target']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{r['rps']:.1f} | {r['plain_rps']:.1f} | {r['ratio_to_plain']:.2f} | "
            f"{r['status_errors'] + r['socket_errors']} | {r['x_cache']} | "
            f"{r['load_before']:.2f} | {r['load_after']:.2f} |"
        )
    lines += ["", "| check | value | result |", "|---|---:|---|"]
    for c in result["checks"]:
        lines.append(
            f"| {c['check']} | {c['value']:.2f} | {'PASS' if c['pass'] else 'FAIL'} |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", BENCH_DB))
    parser.add_argument("--database-1k", default=BENCH_DB_1K)
    parser.add_argument("--skip-1k", action="store_true")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", help="measure targets whose name contains this")
    args = parser.parse_args(argv)
    if args.prepare:
        apply_bench_environment()
        print(json.dumps(prepare()))
        return

    for url in (args.database, *(() if args.skip_1k else (args.database_1k,))):
        if "bench" not in url.rsplit("/", 1)[-1]:
            raise SystemExit(f"refusing a database not named for the bench: {url}")
    apply_bench_environment(args.database)
    options = {
        "duration": args.duration,
        "threads": args.threads,
        "connections": args.connections,
    }
    rows: list[dict] = []
    load_start = load_average()
    info = prepared(args.database)
    print(f"{info['cases']:,} cases; targets: {json.dumps(info, ensure_ascii=False)}")
    print(HEADER)
    targets = targets_for(info)
    if args.only:
        targets = [t for t in targets if args.only in t["name"]]
    server = Server(args.database, args.workers)
    try:
        measure(server, targets, options, rows)
    finally:
        server.stop()
    for row in rows:
        row["cases"] = info["cases"]
        row["stock_rows"] = info["stock_records"]
    if not args.skip_1k:
        small = prepared(args.database_1k)
        list_target = [t for t in targets_for(small) if t["name"] == "admin case list"]
        server = Server(args.database_1k, args.workers)
        try:
            measure(server, list_target, options, rows, label=" [1k]")
        finally:
            server.stop()
        rows[-1]["cases"] = small["cases"]
        rows[-1]["stock_rows"] = small["stock_records"]
    result = {
        "when": datetime.datetime.now().isoformat(timespec="seconds"),
        "cases": info["cases"],
        "workers": args.workers,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs (shared)",
        "load_start": load_start,
        "load_end": load_average(),
        **options,
        "rows": rows,
        "checks": checks(rows),
    }
    print()
    for check in result["checks"]:
        verdict = "PASS" if check["pass"] else "FAIL"
        print(f"{verdict}  {check['check']}: {check['value']:.2f}")
    if not args.only:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "latest.json").write_text(
            json.dumps(result, ensure_ascii=False, indent=1) + "\n"
        )
        (RESULTS / "latest.md").write_text(markdown(result))
        print(f"saved {RESULTS / 'latest.md'}")


if __name__ == "__main__":
    main()
