"""The README's deployment, walked as an operator follows it (issue 40): the built wheel in an environment of its
own, the README's roles and schema on a PostgreSQL cluster of this test's own, one env file, ``migrate`` as the
owner, two ``vhbot serve`` processes as the serving role, a referral typed at the terminal reaching the
procesregisseurs once, the audit trail's purge as the purge role, ``doctor``. A documented step that fails fails
the test, with its output. Each step's time is printed (pytest -s) for the closing note.

It runs as the test's own user: making a system user (``useradd``) or running through ``systemd-run`` would
change this machine, which a test does not do; the unit that uses them is checked by ``test_deployment.py``.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
from pathlib import Path

from tests.bot.teams.connector import free_port
from tests.conftest import TEST_KEYS
from tests.test_database_roles import Cluster, readme_sql
from tests.test_scenario import CHECK_THAT_FITS, REFERRAL_REST


class Operator:
    """Runs the installed ``vhbot`` with the env file, as the given database role, and keeps each step's time."""

    def __init__(self, bin_dir: Path, cluster: Cluster, env_file: Path) -> None:
        self.vhbot = str(bin_dir / "vhbot")
        self.cluster = cluster
        self.env_file = env_file
        self.times: list[tuple[str, float]] = []

    def environment(self, role: str, **settings: str) -> dict[str, str]:
        """Only the role's database address (and what the guide sets for that role alone) in the environment,
        where it wins over the env file's: the rest is read from the file, as the guide says."""
        plain = {k: v for k, v in os.environ.items() if not k.startswith("VHBOT_")}
        own = {f"VHBOT_{name.upper()}": value for name, value in settings.items()}
        return plain | {"VHBOT_DATABASE_URL": self.cluster.url(role)} | own

    def run(
        self, step: str, role: str, *arguments: str, stdin: str = "", exits: int = 0, **settings: str
    ) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        done = subprocess.run(
            [self.vhbot, "--env-file", str(self.env_file), *arguments],
            input=stdin,
            env=self.environment(role, **settings),
            capture_output=True,
            text=True,
            check=False,
            timeout=180,
        )
        self.times.append((step, time.monotonic() - started))
        assert done.returncode == exits, f"{step}: {done.stdout}{done.stderr}"
        return done

    def serve(self, role: str, ops_port: int, log: Path) -> subprocess.Popen[bytes]:
        env = self.environment(role) | {"VHBOT_OPS_PORT": str(ops_port)}
        with log.open("ab") as written:
            return subprocess.Popen(
                [self.vhbot, "--env-file", str(self.env_file), "serve"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=written,
            )


def env_file(directory: Path, recording: Path) -> Path:
    """Step 3 of the guide: the settings in one file, mode 0600 (a recording channel stands in for the chat
    platforms, which cannot run here)."""
    (directory / "data").mkdir(mode=0o700)  # the unit's StateDirectory=, made by systemd
    path = directory / "zvh.env"
    path.write_text(
        "\n".join(
            [
                "VHBOT_DATABASE_SCHEMA=vhbot",
                f"VHBOT_DATA_DIR={directory / 'data'}",
                f'VHBOT_ENCRYPTION_KEYS="{TEST_KEYS}"',
                "VHBOT_LOG_FORMAT=json",
                f"VHBOT_RECORDING_FILE={recording}",
                "VHBOT_OUTBOX_POLL_SECONDS=0.2",
                "VHBOT_SEND_WINDOW_START=00:00",  # the test may run at any hour
                "VHBOT_SEND_WINDOW_END=00:00",
                "VHBOT_SEND_ON_NON_WORKING_DAYS=true",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


async def started(process: subprocess.Popen[bytes]) -> dict[str, object]:
    """serve's first line, a JSON log line with JSON logs on."""
    assert process.stdout is not None
    line = await asyncio.wait_for(asyncio.to_thread(process.stdout.readline), timeout=60)
    said: dict[str, object] = json.loads(line)
    assert "delivering through recording" in str(said["message"]), said
    return said


async def test_the_deployment_guide_walked_as_written(
    installed: Path, cluster: Cluster, tmp_path: Path
) -> None:
    recording = tmp_path / "delivered.jsonl"
    operator = Operator(installed, cluster, env_file(tmp_path, recording))
    began = time.monotonic()
    cluster.psql("postgres", readme_sql("roles and schema"))
    operator.times.append(("roles and schema (psql, the README's SQL)", time.monotonic() - began))
    migrated = operator.run("vhbot migrate (as the owner)", "vhbot_owner", "migrate")
    assert "migrated from empty" in migrated.stdout
    began = time.monotonic()
    cluster.psql("vhbot", readme_sql("after the first migrate"))
    operator.times.append(("after the first migrate (psql)", time.monotonic() - began))
    operator.run("vhbot demo (people to try it with)", "vhbot_app", "demo")
    # No chat platform runs here (a recording channel stands in): that is doctor's one problem.
    doctor = operator.run("vhbot doctor", "vhbot_app", "doctor", exits=1)
    problems = [line for line in doctor.stdout.splitlines() if line.startswith("PROBLEM")]
    assert problems == ["PROBLEM  no channel is configured: set up Matrix or Teams (see the README)"], (
        doctor.stdout
    )
    assert "ok       role vhbot_app may not delete audit entries" in doctor.stdout, doctor.stdout

    began = time.monotonic()
    processes = [operator.serve("vhbot_app", free_port(), tmp_path / "serve.log") for _ in range(2)]
    try:
        await asyncio.gather(*(started(process) for process in processes))
        operator.times.append(("two vhbot serve processes running", time.monotonic() - began))
        typed = "\n".join([*CHECK_THAT_FITS, "ja", *REFERRAL_REST]) + "\n"
        referred = operator.run(
            "a referral typed at vhbot chat", "vhbot_app", "chat", "--as", "agent", stdin=typed
        )
        assert "casusnummer VH-" in referred.stdout, referred.stdout
        began = time.monotonic()
        while time.monotonic() - began < 30:
            told = (
                [json.loads(line) for line in recording.read_text().splitlines()]
                if recording.exists()
                else []
            )
            if len(told) >= 2:
                break
            await asyncio.sleep(0.2)
        operator.times.append(("the new referral's notices delivered", time.monotonic() - began))
        keys = [record["key"] for record in told]
        assert len(keys) == 2 and len(set(keys)) == 2, told  # both procesregisseurs, each once
        assert all(process.poll() is None for process in processes)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)

    purged = operator.run(
        "vhbot purge (as the purge role)", "vhbot_purge", "purge", audit_retention_months="12"
    )
    assert "Traceback" not in purged.stderr
    print("\nThe deployment guide, step by step:")
    for step, seconds in operator.times:
        print(f"  {seconds:6.1f} s  {step}")
