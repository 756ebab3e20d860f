"""A store with a unique marker in every free-text field, written through real conversations on any channel:
what the encryption, retention and canary tests look for."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from sqlalchemy import select

from bot.app import App
from handlers.identifying.forms import LINK
from storage import cases, people, subjects
from storage.models import (
    Action,
    Case,
    CaseSubject,
    CaseTransition,
    Dialogue,
    Feedback,
    InboundMessage,
    Role,
)
from tests.scripts import referral_after_check
from tests.test_scenario import CHECK_THAT_FITS, PLAN_ONE_ACTION


async def registered_by_email(app: App, organisation: str, email: str, handle: str, name: str) -> None:
    """A melder an operator registered with only an e-mail address (linked when they first write)."""
    async with app.sessions() as session, session.begin():
        found = await people.organisation_named(session, organisation)
        assert found is not None
        await people.add_professional(
            session,
            handle=handle,
            name=name,
            organisation=found,
            role=Role.MELDER,
            now=app.now(),
            email=email,
        )


class Say(Protocol):
    """A channel's way of sending messages as a demo person and getting the answer to the last one."""

    def __call__(self, handle: str, *messages: str) -> Awaitable[str]: ...


@dataclass(frozen=True)
class Markers:
    """Words no text of vhbot contains; each lands in one kind of field."""

    goal: str
    advice: str
    action: str
    feedback: str
    draft: str
    name: str
    address: str
    escalation: str
    note: str

    @classmethod
    def new(cls) -> Markers:
        tag = uuid.uuid4().hex[:8]
        fields = ("doel", "advies", "actie", "update", "concept", "naam", "adres", "opschaling", "notitie")
        return cls(*(f"kanarie{field}{tag}" for field in fields))

    def all(self) -> list[str]:
        return [
            self.goal,
            self.advice,
            self.action,
            self.feedback,
            self.draft,
            self.name,
            self.address,
            self.escalation,
            self.note,
        ]

    def subject(self) -> dict[str, str]:
        """What the identifying-details form is filled in with."""
        return {
            "name": f"Kees {self.name}",
            "birth_date": "03-04-1975",
            "address": f"Dorpsstraat 1 {self.address}",
        }


async def seed_every_field(chat: Say, app: App) -> Markers:
    """Two referrals by the agent (one accepted, planned, its action's deadline moved with a reason, escalated with
    a reason, and an update on it; one redirected with advice by the procesregisseur), the first one's identifying
    details sent through its form, and an update being typed but not yet sent (it lives in the dialogue state)."""
    markers = Markers.new()
    goal_rest = referral_after_check(goal=f"Doel {markers.goal} stagneert")
    for _ in range(2):
        await chat("agent", *CHECK_THAT_FITS)
        await chat("agent", "ja", *goal_rest)
    first, second = "VH-2026-0001", "VH-2026-0002"
    await chat("regisseur", f"beoordeel {first}", "accepteren", "1")
    await chat("regisseur", f"plan {first}", f"Actie {markers.action} afleggen", *PLAN_ONE_ACTION[1:])
    await chat("regisseur", f"beoordeel {second}", "doorverwijzen", "wijkteam")
    await chat("regisseur", f"Advies {markers.advice} bij het wijkteam", "ja")
    await chat("regisseur", f"wijzig {first} #1", "deadline verzetten", "vrijdag 11 december 14:00", "ja")
    await chat("regisseur", f"Wacht op {markers.note} van de partner")
    await chat("regisseur", f"casus {first}", "opschalen", f"Stagnatie {markers.escalation} blijft")
    await chat("regisseur", "ketenmanager", "ja")
    await chat("agent", f"terugkoppeling {first}", "1", f"Update {markers.feedback} loopt", "nee")
    await chat("agent", f"terugkoppeling {first}", "1", f"Concept {markers.draft} nog niet verstuurd")
    token = await form_token(app, first, "agent")
    assert "ontvangen" in str((await app.forms.submit(token, markers.subject(), "web")).message)
    return markers


async def form_token(
    app: App, number: str, handle: str, style: str = LINK, purpose: str = subjects.ENTER
) -> str:
    """A form for the case's identifying details, handed to ``handle`` as a link (or a card), as the chat would
    hand it out: to enter them, or to read them (``purpose``)."""
    async with app.sessions() as session, session.begin():
        case = await cases.by_number(session, number)
        person = await people.professional_by_handle(session, handle)
        assert case is not None and person is not None
        lifetime = timedelta(minutes=app.settings.form_link_minutes)
        return await subjects.issue(session, case.id, person.id, app.now(), lifetime, style, purpose)


async def decrypted_texts(app: App) -> str:
    async with app.sessions() as session:
        parts = [
            *(await session.scalars(select(Case.goal))).all(),
            *(n or "" for n in (await session.scalars(select(CaseTransition.note))).all()),
            *(await session.scalars(select(Action.description))).all(),
            *(n or "" for n in (await session.scalars(select(Action.note))).all()),
            *(await session.scalars(select(Feedback.body))).all(),
            *(str(d) for d in (await session.scalars(select(Dialogue.data))).all()),
            *(f"{s.name} {s.address}" for s in (await session.scalars(select(CaseSubject))).all()),
            *(str(r) for r in (await session.scalars(select(InboundMessage.replies))).all()),
        ]
    return "\n".join(parts)


def database_contents(app: App) -> bytes:
    """Everything the database holds, as an attacker with the files (SQLite) or a dump (PostgreSQL) sees it."""
    settings = app.settings
    if settings.database_schema:
        dump = subprocess.run(
            ["pg_dump", "-h", "127.0.0.1", "-U", "postgres", "-n", settings.database_schema, "test"],
            check=True,
            capture_output=True,
        )
        return dump.stdout
    database = Path(settings.resolved_database_url.removeprefix("sqlite+aiosqlite:///"))
    files = [database, database.with_name(database.name + "-wal")]
    return b"".join(path.read_bytes() for path in files if path.exists())


async def assert_nowhere_in_clear(app: App, markers: Markers, logs: str) -> None:
    """Every marker reads back through the store, and none is in the raw database or in the logs."""
    readable = await decrypted_texts(app)
    missing = [marker for marker in markers.all() if marker not in readable]
    assert not missing, f"{missing} do not read back from the store"
    raw = database_contents(app)
    assert raw, "nothing was read from the database"
    for marker in markers.all():
        assert marker.encode() not in raw, f"{marker} is stored in clear"
        assert marker not in logs, f"{marker} is in the logs"
