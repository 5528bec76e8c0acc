"""Task functions for the worker-kill test, importable by a real django-q2
cluster started from tests/availability/test_faults_worker_kill.py (which puts this
directory on the cluster's PYTHONPATH)."""

import time
from pathlib import Path

from django.db import transaction


def _note(marker: str, line: str) -> None:
    with Path(marker).open("a", encoding="utf-8") as out:
        out.write(line + "\n")
        out.flush()


def slow_fill(prefix: str, count: int, delay: float, marker: str) -> int:
    """Write ``count`` enforcement fields in one transaction, slowly: a kill
    lands in the middle of it. Idempotent (get_or_create by name)."""
    from casework.models import EnforcementField

    # SQLite lets one transaction write at a time: start once the deadline
    # check has committed, so that the kill finds both tasks mid-way.
    for _ in range(300):
        if "checked" in Path(marker).read_text(encoding="utf-8"):
            break
        time.sleep(0.1)
    _note(marker, "fill started")
    with transaction.atomic():
        for n in range(count):
            EnforcementField.objects.get_or_create(name=f"{prefix}-{n:03d}")
            _note(marker, f"fill row {n}")
            time.sleep(delay)
    _note(marker, "fill done")
    return count


def deadline_check_then_wait(today: str, wait: float, marker: str) -> dict:
    """The real nightly deadline check, then a pause before the task is
    acknowledged: a kill in the pause makes the cluster run the whole check
    again, which must change nothing."""
    from casework import tasks

    result = tasks.check_deadlines(today)
    _note(marker, f"checked {result['warnings']} {result['mails']}")
    time.sleep(wait)
    return result
