"""The README's PostgreSQL roles, run as written on a cluster of this test's own: the serving role does its work but
cannot touch the audit trail, the purge of closed cases goes on when the audit trail's purge is refused, delivery
goes on with it, and only the purge's role purges audit entries. ``vhbot doctor`` tells the roles apart."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import func, select

from bot.app import App, build_app
from config.settings import Settings
from handlers.dates.clock import FixedClock
from storage import outbox, people
from storage.models import AuditEntry, Case, OutboxStatus, PendingMessage
from tests.bot.teams.connector import free_port
from tests.bot.test_delivery_processes import wait_until
from tests.bot.test_retention import close
from tests.conftest import NOW, TEST_KEYS, Chat, load_demo_apart
from tests.test_scenario import refer_a_case
from tests.throwaway_postgres import ThrowawayCluster

ROOT = Path(__file__).resolve().parents[1]
VHBOT = str(Path(sys.executable).parent / "vhbot")
# Three years on: the closed case and the audit entries of the test's day are past their terms by then.
LATER = timedelta(days=3 * 365)


def readme_sql(title: str) -> str:
    """The README's SQL block that starts with the comment ``-- vhbot: <title>``."""
    found = re.search(
        rf"```sql\n(-- vhbot: {re.escape(title)}\n.*?)```", (ROOT / "README.md").read_text(), re.DOTALL
    )
    assert found, f"the README has no SQL block '{title}'"
    return found.group(1)


@dataclass
class Cluster:
    server: ThrowawayCluster
    directory: Path

    def url(self, role: str) -> str:
        return f"postgresql+asyncpg://{role}@127.0.0.1:{self.server.port}/vhbot"

    def psql(self, database: str, sql: str) -> None:
        script = self.directory / "step.sql"
        script.write_text(sql)
        self.server.client("psql", "-v", "ON_ERROR_STOP=1", "-q", "-d", database, "-f", str(script))

    def env(self, role: str, **settings: str) -> dict[str, str]:
        """A ``vhbot`` command's environment as that role, on a clock three years after the test's day."""
        offset = NOW + LATER - datetime.now(UTC)
        return {k: v for k, v in os.environ.items() if not k.startswith("VHBOT_")} | {
            "VHBOT_DATA_DIR": str(self.directory / "data"),
            "VHBOT_DATABASE_URL": self.url(role),
            "VHBOT_DATABASE_SCHEMA": "vhbot",
            "VHBOT_ENCRYPTION_KEYS": TEST_KEYS,
            "VHBOT_CLOCK_OFFSET": str(offset.total_seconds()),
            **{f"VHBOT_{name.upper()}": value for name, value in settings.items()},
        }

    async def vhbot(self, role: str, *arguments: str, **settings: str) -> subprocess.CompletedProcess[str]:
        return await asyncio.to_thread(
            subprocess.run,
            [VHBOT, *arguments],
            env=self.env(role, **settings),
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )


def app_as(cluster: Cluster, role: str) -> App:
    settings = Settings(
        data_dir=cluster.directory,
        database_url=cluster.url(role),
        database_schema="vhbot",
        encryption_keys=SecretStr(TEST_KEYS),
        rate_messages_per_minute=100_000,
        rate_lookup_misses_per_hour=100_000,
    )
    return build_app(settings, FixedClock(NOW))


async def audit_entries(app: App, before: datetime | None = None) -> int:
    async with app.sessions() as session:
        query = select(func.count()).select_from(AuditEntry)
        if before is not None:
            query = query.where(AuditEntry.at < before)
        return int(await session.scalar(query) or 0)


async def test_the_readme_roles_keep_the_audit_trail_from_the_serving_role_and_nothing_else_stops(
    cluster: Cluster,
) -> None:
    cluster.psql("postgres", readme_sql("roles and schema"))
    migrated = await cluster.vhbot("vhbot_owner", "migrate")
    assert migrated.returncode == 0, migrated.stderr
    cluster.psql("vhbot", readme_sql("after the first migrate"))

    owner, app = app_as(cluster, "vhbot_owner"), app_as(cluster, "vhbot_app")
    try:
        await load_demo_apart(owner, NOW)  # setting up; from here on the serving role does the work
        chat = Chat(app)
        number = await refer_a_case(chat)
        await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
        await close(chat, number)
        written = await audit_entries(app)
        assert written > 0

        as_served = await cluster.vhbot("vhbot_app", "doctor", recording_file="/dev/null")
        assert "ok       role vhbot_app may not delete audit entries" in as_served.stdout, as_served.stdout
        as_owner = await cluster.vhbot("vhbot_owner", "doctor", recording_file="/dev/null")
        assert "PROBLEM  role vhbot_owner owns the audit table" in as_owner.stdout

        refused = await cluster.vhbot("vhbot_app", "purge", audit_retention_months="12")
        assert refused.returncode == 1 and "the audit trail was not purged" in refused.stderr
        assert "Traceback" not in refused.stderr
        assert "purged 1 case (" in refused.stdout  # the rest went all the same
        async with app.sessions() as session:
            assert await session.scalar(select(Case).where(Case.number == number)) is None
        assert await audit_entries(app) >= written  # nothing of the trail went

        purged = await cluster.vhbot("vhbot_purge", "purge", audit_retention_months="12")
        assert purged.returncode == 0, purged.stderr
        assert await audit_entries(app, before=NOW + LATER - timedelta(days=366)) == 0

        await delivery_goes_on_while_the_daily_purge_is_refused(cluster, app)
    finally:
        await owner.close()
        await app.close()


async def delivery_goes_on_while_the_daily_purge_is_refused(cluster: Cluster, app: App) -> None:
    """``vhbot serve`` as the serving role, told to purge the audit trail too (a setting left in its environment):
    the purge is refused every day, a notice still goes out, and the operator sees why."""
    later = NOW + LATER
    async with app.sessions() as session, session.begin():
        regisseur = await people.professional_by_handle(session, "regisseur")
        assert regisseur is not None
        row = await outbox.enqueue(
            session,
            recipient_id=regisseur.id,
            kind="feedback",
            params={"case": "VH-2029-0001"},
            case_number="VH-2029-0001",
            scheduled_at=later - timedelta(days=1),
            now=later - timedelta(days=1),
            urgent=True,
        )
        await session.flush()
        row_id = row.id
    ops_port = free_port()
    env = cluster.env(
        "vhbot_app",
        audit_retention_months="12",
        recording_file=str(cluster.directory / "delivered.jsonl"),
        ops_port=str(ops_port),
        outbox_poll_seconds="0.2",
        send_window_start="00:00",
        send_window_end="00:00",
        send_on_non_working_days="true",
    )
    log = (cluster.directory / "serve.log").open("wb")
    process = await asyncio.to_thread(subprocess.Popen, [VHBOT, "serve"], env=env, stdout=log, stderr=log)
    try:

        async def sent() -> bool:
            async with app.sessions() as session:
                found = await session.get(PendingMessage, row_id, populate_existing=True)
            return found is not None and found.status is OutboxStatus.SENT

        await wait_until(sent, 30)
        ready = json.loads(await asyncio.to_thread(_get, f"http://127.0.0.1:{ops_port}/readyz"))
        assert ready["status"] == "ready" and "audit trail was not purged" in ready["warnings"]["purge"]
        figures = await asyncio.to_thread(_get, f"http://127.0.0.1:{ops_port}/metrics")
        assert "vhbot_purge_failing 1.0" in figures
        assert process.poll() is None
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode())
