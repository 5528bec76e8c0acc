"""The benchmark runner's verdicts (issue #15): each goal's ratio, computed
from the rows of one run, with PASS/FAIL in the saved table, and the load
average before and after each target beside it."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import ADMIN_SHARE, STOCK_TIME_GOALS, checks, load_average, markdown  # noqa: E402


def _row(target, rps, *, p50=100.0, load=(1.0, 1.5)):
    return {
        "target": target,
        "path": "/",
        "kind": "public",
        "bytes": 1000,
        "x_cache": "",
        "p50_ms": p50,
        "p95_ms": p50 * 2,
        "rps": rps,
        "status_errors": 0,
        "socket_errors": 0,
        "plain_rps": 100.0,
        "plain_p50_ms": 10.0,
        "ratio_to_plain": rps / 100.0,
        "load_before": load[0],
        "load_after": load[1],
        "cases": 100_000,
        "stock_rows": 100_000,
    }


def _rows():
    return [
        _row("home (uncached)", 60.0),
        _row("stock home (uncached)", 80.0),  # 1.33 <= 1.5
        _row("policy page (uncached)", 50.0),
        _row("stock policy page (uncached)", 60.0),  # 1.2 > 1.1
        _row("notice (uncached)", 100.0),
        _row("stock notice (uncached)", 100.0),  # 1.0
        _row("stock admin listing", 20.0),
        _row("admin case list", 30.0),  # 1.5 >= 0.5
        _row("admin case page", 9.0),  # 0.45 < 0.5
    ]


def test_each_goal_is_a_ratio_within_the_run_with_its_verdict():
    found = {
        c["check"].removeprefix("uncached ").split(" time")[0]: c
        for c in checks(_rows())[:3]
    }
    assert {page: round(c["value"], 2) for page, c in found.items()} == {
        "home": 1.33,
        "policy page": 1.2,
        "notice": 1.0,
    }
    assert {page: c["pass"] for page, c in found.items()} == {
        "home": True,
        "policy page": False,
        "notice": True,
    }
    admin = [c for c in checks(_rows()) if "stock Wagtail admin listing" in c["check"]]
    assert [round(c["value"], 2) for c in admin] == [1.5, 0.45]
    assert [c["pass"] for c in admin] == [True, False]
    limits = {page: limit for page, (_stock, limit) in STOCK_TIME_GOALS.items()}
    assert limits == {"policy page": 1.1, "notice": 1.1, "home": 1.5}
    assert ADMIN_SHARE == 0.5


def test_a_goal_without_its_baseline_is_left_out_not_passed():
    rows = [r for r in _rows() if not r["target"].startswith("stock")]
    assert checks(rows) == []


def test_the_saved_table_shows_each_goal_and_the_load():
    rows = _rows()
    rows[0]["load_before"], rows[0]["load_after"] = 0.25, 3.5
    result = {
        "when": "2026-12-04T22:00:00",
        "cases": 100_000,
        "workers": 2,
        "threads": 2,
        "connections": 8,
        "duration": 10,
        "machine": "x86_64, 2 CPUs (shared)",
        "load_start": 0.1,
        "load_end": 0.2,
        "rows": rows,
        "checks": checks(rows),
    }
    text = markdown(result)
    assert "| load before | load after |" in text
    assert "| home (uncached) | 100.0 | 200.0 | 60.0 |" in text
    assert "| 0.25 | 3.50 |" in text
    assert "started at load 0.10 and ended at 0.20" in text
    assert "| uncached policy page time / stock Wagtail page" in text
    assert "| 1.20 | FAIL |" in text
    assert "| 1.33 | PASS |" in text
    assert "| 0.45 | FAIL |" in text


def test_the_load_average_is_a_number():
    assert load_average() >= 0.0
