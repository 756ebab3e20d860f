"""A procesregisseur's week for a whole region (issue 36): 300 open cases, 1,000 action holders and 60 overleggen
(Tuesday to Friday of the next week, two participants each besides the holders), planned on Monday morning, then
two weeks run through the real delivery engine on a stepped clock, sending to a recording channel.

Run side by side, on the same seed, with the overleg preparing itself (``prepare_working_days`` = 2: the questions to
holders and participants, the agendas) and without (0). Prints, per backend and mode: the rows planned and the
time planning took, what was sent per kind, the engine's own time over the fortnight and at its busiest moment,
and how long after its moment came each message left (wall clock, p50/p95/max): the engine's lateness.

    scripts/bench-week                          # SQLite and PostgreSQL
    scripts/bench-week --backends sqlite        # a quick look
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from bench.handling import analyse, store
from bench.matrix import percentile
from bot.app import App, run
from bot.channels.recording import RecordingSender
from bot.delivery import DeliveryEngine
from bot.demo import load_demo
from bot.senders import Outgoing
from config.definitions import load_definitions
from handlers import reminders
from handlers.dates.clock import FixedClock
from handlers.dialogue.messages import Incoming
from handlers.dialogue.turn import Turn
from storage import people
from storage.models import (
    Action,
    ActionStatus,
    Case,
    CaseParticipant,
    CaseState,
    OutboxStatus,
    PendingMessage,
    Professional,
    Role,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONDAY = datetime(2026, 11, 23, 7, 30, tzinfo=AMSTERDAM)  # planned then; the overleggen are the week after
CASES, HOLDERS, DIRECTORS, OVERLEGGEN, PARTICIPANTS = 300, 1000, 6, 60, 2
STEP = timedelta(minutes=5)
DAYS = 12  # from this Monday to the Friday after


class Recording(RecordingSender):
    """The recording channel, keeping in memory how long after its step began each message left (nothing is
    written: the file would be part of what is measured)."""

    def __init__(self) -> None:
        super().__init__(Path(os.devnull))
        self.began = 0.0
        self.waits: list[float] = []

    async def send(self, address: str, message: Outgoing) -> str:
        self.waits.append(time.perf_counter() - self.began)
        return address


async def seed(app: App) -> None:
    """The demo organisations, the procesregisseurs and holders, the cases with their actions, the overleggen."""
    async with app.sessions() as session, session.begin():
        await load_demo(session, MONDAY)
        organisations = [org.id for org in await people.list_organisations(session)]
        zvh = (await session.scalars(select(Professional).where(Professional.handle == "regisseur"))).one()
        await session.execute(insert(Professional), [
            {"handle": f"regisseur-{n}", "name": f"Regisseur {n}", "organisation_id": zvh.organisation_id,
             "role": Role.PROCESREGISSEUR, "language": "nl", "active": True, "created_at": MONDAY}
            for n in range(DIRECTORS)] + [
            {"handle": f"houder-{n}", "name": f"Houder {n}", "organisation_id": organisations[n % len(organisations)],
             "role": Role.MELDER, "language": "nl", "active": True, "created_at": MONDAY}
            for n in range(HOLDERS)])  # fmt: skip
        ids = dict((await session.execute(select(Professional.handle, Professional.id))).all())
        orgs = dict((await session.execute(select(Professional.id, Professional.organisation_id))).all())
        directors = [ids[f"regisseur-{n}"] for n in range(DIRECTORS)]
        holders = [ids[f"houder-{n}"] for n in range(HOLDERS)]
        tuesday = MONDAY.date() + timedelta(days=8)
        await session.execute(insert(Case), [
            {"number": f"VH-2026-{n + 101:04d}", "state": CaseState.UITVOERING, "melder_id": holders[n],
             "procesregisseur_id": directors[n % DIRECTORS], "gemeente": "Amersfoort", "subject_type": "persoon",
             "leefgebieden": ["wonen"], "ketens": ["zorg"], "urgency": "normaal", "informed": "ja", "goal": "week",
             "next_meeting_at": datetime.combine(tuesday + timedelta(days=n % 4), MONDAY.time().replace(hour=10),
                                                 AMSTERDAM) if n < OVERLEGGEN else None,
             "created_at": MONDAY, "updated_at": MONDAY} for n in range(CASES)])  # fmt: skip
        case_ids = list((await session.scalars(select(Case.id).order_by(Case.number))).all())
        # Holder n holds action n, on case n mod 300: three or four actions a case, due over the fortnight.
        await session.execute(insert(Action), [
            {"case_id": case_ids[n % CASES], "seq": n // CASES + 1, "description": "actie",
             "holder_id": holders[n], "holder_organisation_id": orgs[holders[n]],
             "deadline": MONDAY + timedelta(days=3 + n % 9, hours=9), "status": ActionStatus.OPEN,
             "created_by_id": directors[n % DIRECTORS], "created_at": MONDAY} for n in range(HOLDERS)])  # fmt: skip
        await session.execute(insert(CaseParticipant), [
            {"case_id": case_ids[n], "professional_id": holders[(n + 500 + 7 * k) % HOLDERS], "organisation_id": None}
            for n in range(OVERLEGGEN) for k in range(PARTICIPANTS)])  # fmt: skip


async def plan(app: App, prepare: bool) -> float:
    """Every action's reminders and every overleg's, as recording the plan does; returns the seconds it took."""
    definitions = load_definitions()
    if not prepare:
        definitions = replace(definitions, process=replace(definitions.process, prepare_working_days=0))
    started = time.perf_counter()
    async with app.sessions() as session, session.begin():
        handles = (await session.execute(select(Professional.id, Professional.handle))).all()
        authors = {id_: await people.sender(session, people.TERMINAL, handle) for id_, handle in handles}
        for case in (await session.scalars(select(Case).order_by(Case.number))).all():
            assert case.procesregisseur_id is not None
            director = authors[case.procesregisseur_id]
            assert director is not None
            turn = Turn(
                session, director, Incoming("", "bench", True, "bench"), app.clock, app.settings, app.texts,
                definitions, app.calendar, lambda _: [],
            )  # fmt: skip
            for action in await session.scalars(select(Action).where(Action.case_id == case.id)):
                await reminders.plan_action(turn, case, action)
            await reminders.plan_meeting(turn, case)
    return time.perf_counter() - started


async def fortnight(app: App, clock: FixedClock, sender: Recording) -> tuple[float, float, int]:
    """Step the clock through the two weeks, delivering what falls due at each step. Returns the engine's time in
    all, at its busiest step, and how many left at that step."""
    engine = DeliveryEngine(app, [sender])
    spent, busiest, most = 0.0, 0.0, 0
    end = MONDAY + timedelta(days=DAYS)
    while clock.now() < end:
        clock.advance(STEP)
        sender.began = time.perf_counter()
        before = len(sender.waits)
        while await engine.deliver_due():
            pass
        took = time.perf_counter() - sender.began
        spent += took
        if len(sender.waits) - before > most:
            busiest, most = took, len(sender.waits) - before
    return spent, busiest, most


async def one(backend: str, prepare: bool) -> None:
    clock = FixedClock(MONDAY)
    async with store(backend, clock) as app:
        await seed(app)
        await analyse(app)
        planned_in = await plan(app, prepare)
        async with app.sessions() as session:
            planned = int(await session.scalar(select(func.count(PendingMessage.id))) or 0)
        sender = Recording()
        spent, busiest, most = await fortnight(app, clock, sender)
        async with app.sessions() as session:
            sent = Counter(
                dict(
                    (
                        await session.execute(
                            select(PendingMessage.kind, func.count())
                            .where(PendingMessage.status == OutboxStatus.SENT)
                            .group_by(PendingMessage.kind)
                        )
                    ).all()
                )
            )
        waits = sorted(sender.waits)
        mode = "prepared" if prepare else "without"
        print(
            f"{backend:10} {mode:8} planned {planned:5} rows in {planned_in:5.2f} s; sent {len(waits):5}; "
            f"engine {spent:6.2f} s, busiest step {most:4} in {busiest:5.2f} s; left after its moment "
            f"p50 {percentile(waits, 0.5) * 1000:6.0f} ms p95 {percentile(waits, 0.95) * 1000:6.0f} ms "
            f"max {waits[-1] * 1000 if waits else 0:6.0f} ms"
        )
        print("           " + ", ".join(f"{kind} {count}" for kind, count in sorted(sent.items())))


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    args = parser.parse_args()
    for backend in args.backends:
        for prepare in (False, True):
            await one(backend, prepare)


if __name__ == "__main__":
    run(main())
