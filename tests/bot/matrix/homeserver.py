"""A throw-away Synapse on 127.0.0.1 for the Matrix tests: its own config, SQLite database and process.

Synapse lives in its own virtual environment (``scripts/setup-synapse``); ``VHBOT_SYNAPSE_PYTHON`` may point at
another. The process is ours: started with its id kept, stopped by that id.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SERVER_NAME = "localhost"
# Every rate limit out of the way: the tests send bursts on purpose.
_NO_LIMIT = {"per_second": 10000, "burst_count": 100000}
_RATE_LIMITS = {
    "rc_message": _NO_LIMIT,
    "rc_registration": _NO_LIMIT,
    "rc_login": {"address": _NO_LIMIT, "account": _NO_LIMIT, "failed_attempts": _NO_LIMIT},
    "rc_joins": {"local": _NO_LIMIT, "remote": _NO_LIMIT},
    "rc_joins_per_room": _NO_LIMIT,
    "rc_invites": {"per_room": _NO_LIMIT, "per_user": _NO_LIMIT, "per_issuer": _NO_LIMIT},
    "rc_room_creation": _NO_LIMIT,
    "rc_key_requests": _NO_LIMIT,
    "rc_3pid_validation": _NO_LIMIT,
    "rc_admin_redaction": _NO_LIMIT,
    "rc_delayed_event_mgmt": _NO_LIMIT,
}


def synapse_python() -> Path:
    """The interpreter that has Synapse, or a skip (a failure under CI, which installs it)."""
    configured = os.environ.get("VHBOT_SYNAPSE_PYTHON")
    python = Path(configured) if configured else ROOT / ".synapse" / "bin" / "python"
    if python.exists():
        return python
    reason = f"Synapse not installed at {python} (run scripts/setup-synapse)"
    if os.environ.get("VHBOT_REQUIRE_SYNAPSE") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Homeserver:
    def __init__(self, python: Path, directory: Path) -> None:
        self._python = python
        self._directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._secret = secrets.token_hex(16)
        self._config = directory / "homeserver.yaml"
        self._process: subprocess.Popen[bytes] | None = None
        self._write_config()

    def _write_config(self) -> None:
        directory = self._directory
        config = {
            "server_name": SERVER_NAME,
            "listeners": [
                {
                    "port": self.port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            "database": {"name": "sqlite3", "args": {"database": str(directory / "homeserver.db")}},
            "media_store_path": str(directory / "media"),
            "signing_key_path": str(directory / "signing.key"),
            "registration_shared_secret": self._secret,
            "enable_registration": False,
            "report_stats": False,
            "bcrypt_rounds": 4,
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            "federation_domain_whitelist": [],
            "url_preview_enabled": False,
            "presence": {"enabled": False},
            **_RATE_LIMITS,
        }
        self._config.write_text(json.dumps(config))  # JSON is YAML
        subprocess.run(
            [str(self._python), "-m", "synapse.app.homeserver", "-c", str(self._config), "--generate-keys"],
            check=True,
            capture_output=True,
            cwd=directory,
        )

    def start(self) -> None:
        log = (self._directory / "synapse.log").open("ab")
        self._process = subprocess.Popen(
            [str(self._python), "-m", "synapse.app.homeserver", "-c", str(self._config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self._directory,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"Synapse exited; see {self._directory / 'synapse.log'}")
            try:
                with urllib.request.urlopen(f"{self.url}/_matrix/client/versions", timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("Synapse did not come up within 60 s")

    def stop(self) -> None:
        if self._process is None:
            return
        process, self._process = self._process, None
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()

    def register(self, localpart: str, password: str = "secret-password", admin: bool = False) -> str:
        """A new account through the shared-secret admin API; returns its user id."""
        return self.register_with_token(localpart, password, admin)[0]

    def register_with_token(
        self, localpart: str, password: str = "secret-password", admin: bool = False
    ) -> tuple[str, str]:
        """As :meth:`register`, with the access token of the device the registration logged in."""
        endpoint = f"{self.url}/_synapse/admin/v1/register"
        with urllib.request.urlopen(endpoint, timeout=10) as response:
            nonce = json.load(response)["nonce"]
        mac = hmac.new(self._secret.encode(), digestmod=hashlib.sha1)
        for part in (nonce, localpart, password, "admin" if admin else "notadmin"):
            mac.update(part.encode())
            if part != ("admin" if admin else "notadmin"):
                mac.update(b"\x00")
        body = {
            "nonce": nonce,
            "username": localpart,
            "password": password,
            "admin": admin,
            "mac": mac.hexdigest(),
        }
        request = urllib.request.Request(
            endpoint, json.dumps(body).encode(), {"Content-Type": "application/json"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            registered = json.load(response)
        return str(registered["user_id"]), str(registered["access_token"])
