"""A task worker killed mid-task loses nothing: a real django-q2 cluster
(``manage.py qcluster``, ORM broker) on a real on-disk database is killed
with SIGKILL while two tasks run, started again, and each task completes once
in effect: no half-written rows, no duplicate warning, notice or mail."""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django_q.tasks import async_task

from casework import services
from tests.testkit.factories import (
    HeadFactory,
    SupervisionCaseFactory,
    SupervisionOfficerFactory,
)

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TIMEOUT, RETRY = 8, 9
ROWS, ROW_DELAY = 10, 0.25
CHECK_WAIT = 4
TODAY = datetime.date(2025, 12, 31)  # every decision period below has passed

# The cluster works on the migrations' data (groups, agencies, content
# types): serialized_rollback loads it back into the database an earlier
# transactional test on this worker has flushed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class Database:
    """The database the cluster works on, seen from the test."""

    def __init__(self, tmp_path):
        self.sqlite_file = None
        if connection.vendor == "sqlite":
            # The suite's SQLite database lives in memory; the cluster needs
            # a file. Copy it, queued tasks and all.
            self.sqlite_file = tmp_path / "cluster.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(self.sqlite_file)
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.sqlite_file}"
        else:
            params = connection.settings_dict
            self.url = (
                f"postgres://{params['USER']}:{params['PASSWORD'] or ''}"
                f"@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
                f"/{params['NAME']}"
            )

    def scalar(self, sql: str, params=()):
        if self.sqlite_file is not None:
            with sqlite3.connect(self.sqlite_file, timeout=30) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]


class Cluster:
    def __init__(self, database: Database, tmp_path):
        self.database = database
        self.log = tmp_path / "qcluster.log"
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.process = None

    def start(self):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "faults_cluster_settings",
            "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
            "DATABASE_URL": self.database.url,
            "FAULTS_Q_TIMEOUT": str(TIMEOUT),
            "FAULTS_Q_RETRY": str(RETRY),
            "FAULTS_MAIL_DIR": str(self.mail_dir),
        }
        env.pop("REDIS_URL", None)
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed whole
        )

    def kill(self):
        """SIGKILL to the cluster and every worker: nothing gets to clean up."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def mails(self) -> int:
        return sum(
            path.read_text(encoding="utf-8", errors="replace").count("\nSubject: ")
            + path.read_text(encoding="utf-8", errors="replace").startswith("Subject: ")
            for path in self.mail_dir.iterdir()
        )


def wait_for(predicate, seconds: float, what: str, cluster: Cluster):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    log = cluster.log.read_text(errors="replace")[-3000:]
    raise AssertionError(f"timed out waiting for {what}\n--- cluster log ---\n{log}")


@pytest.fixture
def open_cases():
    head = HeadFactory()
    investigator = SupervisionOfficerFactory()
    cases = [SupervisionCaseFactory(filed_by=investigator) for _ in range(3)]
    for case in cases:
        services.assign_investigator(case, investigator, user=head, is_lead=True)
    return cases


def test_a_worker_killed_mid_task_loses_nothing_and_repeats_nothing(
    open_cases, tmp_path
):
    started = time.monotonic()
    marker = tmp_path / "progress.txt"
    marker.touch()
    fill = async_task(
        "faults_tasks.slow_fill",
        "kill-test",
        ROWS,
        ROW_DELAY,
        str(marker),
        q_options={"sync": False},
    )
    check = async_task(
        "faults_tasks.deadline_check_then_wait",
        TODAY.isoformat(),
        CHECK_WAIT,
        str(marker),
        q_options={"sync": False},
    )
    database = Database(tmp_path)
    cluster = Cluster(database, tmp_path)
    count = {
        "fields": "SELECT COUNT(*) FROM casework_enforcementfield WHERE name LIKE %s",
        "warnings": "SELECT COUNT(*) FROM casework_deadlinewarning",
        "notices": "SELECT COUNT(*) FROM casework_warningnotice",
        "mailed": "SELECT COUNT(*) FROM casework_warningnotice"
        " WHERE emailed_at IS NOT NULL",
        "queued": "SELECT COUNT(*) FROM django_q_ormq",
    }

    def counted(name):
        params = ("kill-test-%",) if name == "fields" else ()
        return database.scalar(count[name], params)

    def progress():
        return marker.read_text(encoding="utf-8").splitlines()

    try:
        cluster.start()
        # Kill once the deadline check has committed its warnings and mails
        # (its task not yet acknowledged) and the fill is half-way through
        # its transaction.
        wait_for(
            lambda: (
                any(line.startswith("checked") for line in progress())
                and sum(line.startswith("fill row") for line in progress()) >= 3
            ),
            40,
            "both tasks to be under way",
            cluster,
        )
        cluster.kill()
        assert "fill done" not in progress(), "the kill came too late to test"

        # Nothing half-written: the fill's transaction died with its worker.
        assert counted("fields") == 0
        warnings, notices, mails = counted("warnings"), counted("notices"), None
        assert warnings == 3 and notices == 6
        mails = cluster.mails()
        assert mails == counted("mailed") == 6
        # Both tasks are still queued, locked until their retry time.
        assert counted("queued") == 2

        cluster.start()
        wait_for(
            lambda: counted("queued") == 0,
            RETRY + 3 * TIMEOUT,
            "the queue to drain after the restart",
            cluster,
        )
    finally:
        cluster.kill()

    # Each task ran again to completion, once, and its effect is there once.
    assert progress().count("fill done") == 1
    assert counted("fields") == ROWS
    assert sum(line.startswith("checked") for line in progress()) == 2
    assert (counted("warnings"), counted("notices")) == (warnings, notices)
    assert cluster.mails() == mails == counted("mailed")
    for task_id in (fill, check):
        assert (
            database.scalar(
                "SELECT COUNT(*) FROM django_q_task WHERE id = %s AND success = %s",
                (task_id, True),
            )
            == 1
        )
    assert time.monotonic() - started < 60
