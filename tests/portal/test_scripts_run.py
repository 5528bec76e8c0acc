"""``./scripts/run`` stops the web server and the task cluster together.

The supervision lives in ``scripts/_together.sh`` (sourced by ``scripts/run``);
these tests drive that same function with stand-in commands, since the real
ones need a migrated database and a minute to start.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOGETHER = ROOT / "scripts" / "_together.sh"
SLEEPER = [sys.executable, "-c", "import time; time.sleep(300)"]


def _start(tmp_path, task, web):
    script = tmp_path / "serve.sh"
    quote = lambda argv: " ".join(f"'{part}'" for part in argv)  # noqa: E731
    script.write_text(
        "set -euo pipefail\n"
        f"source '{TOGETHER}'\n"
        f"run_together '{tmp_path / 'task.log'}' -- {quote(task)} -- {quote(web)}\n"
    )
    return subprocess.Popen(
        ["bash", str(script)], start_new_session=True, preexec_fn=_default_signals
    )


def _default_signals():
    """A shell cannot trap a signal it was started with ignored: whatever an
    earlier test in this worker did to the signals, the script starts as a
    terminal's would (SIG_IGN, unlike a handler, survives exec)."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def _children(pid, want, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += (task / "children").read_text().split()
        if len(found) >= want:
            return [int(child) for child in found]
        time.sleep(0.05)
    raise AssertionError(f"the script started {found}, expected {want} children")


def _gone(pid, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split()[2]
        except FileNotFoundError:
            return True
        if state == "Z":  # exited, not yet reaped by its (dead) parent
            return True
        time.sleep(0.05)
    return False


pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").exists(), reason="needs Linux /proc"
)


@pytest.mark.parametrize(
    "sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)]
)
def test_a_signal_to_the_script_stops_both(tmp_path, sig, code):
    script = _start(tmp_path, SLEEPER, SLEEPER)
    try:
        children = _children(script.pid, 2)
        script.send_signal(sig)
        assert script.wait(timeout=20) == code
        assert all(_gone(child) for child in children)
    finally:
        os.killpg(script.pid, signal.SIGKILL) if script.poll() is None else None


def test_when_the_web_server_exits_the_task_cluster_stops_too(tmp_path):
    web = [sys.executable, "-c", "import time, sys; time.sleep(0.5); sys.exit(3)"]
    script = _start(tmp_path, SLEEPER, web)
    try:
        children = _children(script.pid, 2)
        assert script.wait(timeout=20) == 3
        assert all(_gone(child) for child in children)
    finally:
        os.killpg(script.pid, signal.SIGKILL) if script.poll() is None else None


def test_scripts_run_uses_it():
    run = (ROOT / "scripts" / "run").read_text(encoding="utf-8")
    assert 'source "$ROOT/scripts/_together.sh"' in run
    assert "run_together var/qcluster.log -- " in run
    assert "manage.py runserver" in run.split("run_together", 2)[-1]
