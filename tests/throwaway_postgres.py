"""A PostgreSQL cluster of a test's own: ``initdb`` in a temporary directory, a free port on 127.0.0.1, started
and stopped by process id. For tests that must stop or restart a database: the machine's shared server is never
touched (other test runs and benchmarks use it at the same time)."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

MISSING = "PostgreSQL's server programs (initdb, postgres) are not installed"


def _programs() -> Path:
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if installed:
        return installed[-1].parent
    initdb = shutil.which("initdb")
    if initdb is None:
        if os.environ.get("VHBOT_REQUIRE_POSTGRES") == "1":
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    return Path(initdb).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ThrowawayCluster:
    """Runs as the ``postgres`` account when the tests run as root (PostgreSQL refuses to run as root)."""

    def __init__(self) -> None:
        self._bin = _programs()
        self._user = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
        self.directory = Path(
            tempfile.mkdtemp(prefix="vhbot-pg-")
        )  # in /tmp: the postgres account can reach it
        if self._user is not None:
            os.chown(self.directory, self._user.pw_uid, self._user.pw_gid)
        self.port = _free_port()
        self._server: subprocess.Popen[bytes] | None = None
        self._run(["initdb", "-D", "data", "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])

    def url_of(self, database: str = "postgres") -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def url(self) -> str:
        return self.url_of()

    def client(self, program: str, *arguments: str) -> subprocess.CompletedProcess[bytes]:
        """One of PostgreSQL's client programs of the cluster's own version (pg_dump, pg_restore, createdb)
        against it, as the postgres account."""
        return subprocess.run(
            [str(self._bin / program), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", *arguments],
            check=True,
            capture_output=True,
        )

    @property
    def _uid(self) -> int | None:
        return None if self._user is None else self._user.pw_uid

    @property
    def _gid(self) -> int | None:
        return None if self._user is None else self._user.pw_gid

    @property
    def _groups(self) -> list[int] | None:
        return None if self._user is None else []

    def _run(self, command: list[str]) -> None:
        subprocess.run(
            [str(self._bin / command[0]), *command[1:]],
            cwd=self.directory,
            check=True,
            capture_output=True,
            user=self._uid,
            group=self._gid,
            extra_groups=self._groups,
        )

    def start(self, timeout: float = 30) -> None:
        settings = ["listen_addresses=127.0.0.1", f"unix_socket_directories={self.directory}", "fsync=off"]
        log = (self.directory / "server.log").open("ab")
        self._server = subprocess.Popen(
            [str(self._bin / "postgres"), "-D", "data", "-p", str(self.port), *(f"-c{s}" for s in settings)],
            cwd=self.directory,
            stdout=log,
            stderr=subprocess.STDOUT,
            user=self._uid,
            group=self._gid,
            extra_groups=self._groups,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready = subprocess.run(
                [str(self._bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                check=False,
                capture_output=True,
            )
            if ready.returncode == 0:
                return
            if self._server.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(
            "the throw-away PostgreSQL did not start:\n" + (self.directory / "server.log").read_text()
        )

    def stop(self) -> None:
        """A fast shutdown by process id (SIGINT: connections are ended, nothing is lost that was committed)."""
        if self._server is not None and self._server.poll() is None:
            os.kill(self._server.pid, signal.SIGINT)
            try:
                self._server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self._server.pid, signal.SIGKILL)
                self._server.wait()
        self._server = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
