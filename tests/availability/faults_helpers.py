"""Faults made real: a database that cannot be reached, a Redis nobody
listens on, an Elasticsearch that is not there."""

from contextlib import contextmanager

from django.db import connections

#: Nothing listens on port 1 of the loopback interface: a connection to it is
#: refused at once, as it is when a server is down.
DEAD_PORT = 1
DEAD_REDIS_URL = f"redis://127.0.0.1:{DEAD_PORT}/0"
DEAD_ELASTICSEARCH_URL = f"http://127.0.0.1:{DEAD_PORT}"


@contextmanager
def database_down(tmp_path, alias: str = "default"):
    """Swap the alias's connection for one whose settings point at nothing.

    PostgreSQL gets a closed port (connection refused), SQLite a file in a
    directory that does not exist (unable to open database file). The test's
    own connection, with its open transaction, is put aside untouched and
    restored afterwards; the code under test meets a real driver error.
    """
    original = connections[alias]
    settings_dict = {**original.settings_dict}
    if original.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "no-such-dir" / "portal.sqlite3")
    else:
        settings_dict["HOST"] = "127.0.0.1"
        settings_dict["PORT"] = DEAD_PORT
        settings_dict["OPTIONS"] = {
            **settings_dict.get("OPTIONS", {}),
            "connect_timeout": 2,
        }
    dead = type(original)(settings_dict, alias)
    connections[alias] = dead
    try:
        yield dead
    finally:
        dead.close()
        connections[alias] = original


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own on a free port, to stop and start
    again: an outage and a recovery, for real."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import shutil
        import subprocess
        import time

        import redis

        binary = shutil.which("redis-server")
        if binary is None:
            import pytest

            pytest.skip("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None
