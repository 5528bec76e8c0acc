"""Search benchmark (not a test): indexing throughput and query latency of the
segmented database backend beside Wagtail's stock one, in the same run.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/search_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/search_bench.py --docs 20000

The database is migrated and filled with --docs generated cases (bench/
generate.py) on first run; use a database of its own, never a real one.
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


def percentile(values, pct):
    values = sorted(values)
    return values[min(len(values) - 1, round(pct / 100 * (len(values) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

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
