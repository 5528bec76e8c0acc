"""Search benchmark (not a test): indexing throughput and query latency of the
segmented database backend beside Wagtail's stock one, in the same run.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/search_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/search_bench.py --docs 20000

The database is migrated and filled with --docs generated cases (bench/
generate.py) on first run; use a database of its own, never a real one.

``--portal`` measures the public search page instead, read-only, on a
database filled by bench/generate_portal.py: every query of ``COMMON`` is
requested in-process through the whole middleware stack ``--repeat`` times,
and the run reports min/median/p95, the queries per page and, with
``--explain``, the plan of the ranking statement:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/search_bench.py --portal --repeat 10 --explain
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

QUERIES = [
    "容错",
    "执法人员",
    "行政",
    "免责情形",
    "陈述申辩",
    "回避",
    "听证",
    "复核",
    "整改期限",
    "易错风险点",
    "警示提醒",
    "纪检监察",
    "澄清保护",
    "信访举报",
    "证据链",
    "裁量基准",
    "全过程记录",
    "公安机关",
    "正当防卫",
    "历史遗留问题",
    "程序瑕疵",
    "占道经营",
    "燃气安全",
    "洪家楼街道",
    "2030 容错",
    "第16条",
    "行政执法监督意见书",
    "履职尽责",
    "委托鉴定",
    "区块链",
]
CHUNK = 500
#: The 20 common terms of issue #15 (the policy's words and the bench
#: generator's).
COMMON = [
    "容错",
    "执法人员",
    "行政",
    "免责情形",
    "陈述申辩",
    "回避",
    "听证",
    "复核",
    "整改期限",
    "易错风险点",
    "警示提醒",
    "纪检监察",
    "澄清保护",
    "信访举报",
    "证据链",
    "裁量基准",
    "全过程记录",
    "公安机关",
    "容错免责",
    "历史遗留问题",
]


def percentile(values, pct):
    values = sorted(values)
    return values[min(len(values) - 1, round(pct / 100 * (len(values) - 1)))]


def portal(repeat: int, explain: bool) -> None:
    """The public search page over COMMON, read-only."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")

    def get(query):
        response = client.get("/search/", {"q": query}, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"/search/?q={query}: HTTP {response.status_code}")
        return response

    for query in COMMON:
        get(query)  # warm: caches, plans, pages in memory
    latencies = []
    for _ in range(repeat):
        for query in COMMON:
            started = time.perf_counter()
            get(query)
            latencies.append((time.perf_counter() - started) * 1000)
    counts = set()
    slowest = None
    for query in COMMON:
        with CaptureQueriesContext(connection) as captured:
            response = get(query)
        counts.add(len(captured))
        top = max(captured.captured_queries, key=lambda q: float(q["time"]))
        if slowest is None or float(top["time"]) > float(slowest[1]["time"]):
            slowest = (query, top)
        total = response.context["total_unfiltered"] if response.context else None
        print(f"  {query:<8} {total!s:>6} matches, {len(captured)} queries")
    print(
        f"{connection.vendor}: /search/ over {len(COMMON)} terms x {repeat}:"
        f" min {min(latencies):.1f} ms, median {percentile(latencies, 50):.1f} ms,"
        f" p95 {percentile(latencies, 95):.1f} ms, max {max(latencies):.1f} ms;"
        f" queries per page {sorted(counts)}"
    )
    if explain and slowest is not None:
        query, statement = slowest
        print(f"slowest statement ({query}, {statement['time']} s):")
        prefix = (
            "EXPLAIN (ANALYZE, BUFFERS) "
            if connection.vendor == "postgresql"
            else "EXPLAIN QUERY PLAN "
        )
        with connection.cursor() as cursor:
            cursor.execute(prefix + statement["sql"])
            for row in cursor.fetchall():
                print("  " + " ".join(str(c) for c in row))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--portal", action="store_true")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    if args.portal:
        portal(args.repeat, args.explain)
        return

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from generate import generate_cases
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    from casework.models import SupervisionCase

    call_command("migrate", verbosity=0)
    existing = SupervisionCase.objects.filter(year=2030).count()
    if existing < args.docs:
        # Benchmark rows only (year 2030); case records refuse delete(), so
        # this bypasses the model on purpose, in the benchmark's own database.
        SupervisionCase.objects.filter(year=2030)._raw_delete(connection.alias)
        SupervisionCase.objects.bulk_create(generate_cases(args.docs), batch_size=1000)
    cases = list(SupervisionCase.objects.filter(year=2030).order_by("pk")[: args.docs])
    print(
        f"{connection.vendor}: {len(cases)} documents,"
        f" {len(QUERIES)} queries x {args.repeat}"
    )
    rows = []
    for name, path in (
        ("stock", "wagtail.search.backends.database"),
        ("segmented", "search.backends.database"),
    ):
        backend = get_search_backend(path)
        IndexEntry.objects.all().delete()
        started = time.perf_counter()
        with transaction.atomic():
            for start in range(0, len(cases), CHUNK):
                backend.add_bulk(SupervisionCase, cases[start : start + CHUNK])
        indexing = time.perf_counter() - started
        with connection.cursor() as cursor:
            # What autovacuum does after a bulk load: planner statistics and,
            # on PostgreSQL, the GIN pending lists merged and dead rows gone.
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM ANALYZE wagtailsearch_indexentry")
            else:
                cursor.execute("ANALYZE")
        queryset = SupervisionCase.objects.all()
        latencies, found = [], 0
        for query in QUERIES:
            list(backend.search(query, queryset)[:10])  # warm
        for _ in range(args.repeat):
            for query in QUERIES:
                started = time.perf_counter()
                hits = list(backend.search(query, queryset)[:10])
                latencies.append((time.perf_counter() - started) * 1000)
                found += bool(hits)
        rows.append(
            (
                name,
                len(cases) / indexing,
                percentile(latencies, 50),
                percentile(latencies, 95),
                found / (len(QUERIES) * args.repeat),
            )
        )
    print(
        f"{'backend':<10} {'docs/s':>9} {'p50 ms':>8} {'p95 ms':>8}"
        f" {'queries with hits':>18}"
    )
    for name, rate, p50, p95, share in rows:
        print(f"{name:<10} {rate:>9.0f} {p50:>8.1f} {p95:>8.1f} {share:>17.0%}")


if __name__ == "__main__":
    main()
