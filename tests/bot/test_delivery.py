"""The delivery engine in-process, on SQLite and PostgreSQL: due rows are sent once through the recipient's
channel, late ones say so, reminders can be answered where they arrive, failures retry, slow down or fall back."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Collection, Sequence
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from bot.app import App
from bot.channels.recording import RecordingSender, read_recording
from bot.channels.terminal import TerminalChannel, TerminalSender
from bot.delivery import DeliveryEngine
from bot.senders import NotHere, Outgoing, PermanentFailure, RateLimited, TemporaryFailure
from handlers.dates.clock import FixedClock
from handlers.reminders import plan_overviews
from storage import audit
from storage.models import Action, ActionStatus, OutboxStatus, PendingMessage, Professional
from tests.conftest import Chat, link_address
from tests.scripts import referral_after_check
from tests.test_reminders import plan_one_action
from tests.test_scenario import CHECK_THAT_FITS, refer_a_case


class ScriptedSender:
    """A channel whose next answers per recipient are scripted: an error to raise, or None for success."""

    def __init__(self, name: str, script: dict[str, list[Exception | None]] | None = None) -> None:
        self.name = name
        self.script = script or {}
        self.delivered: list[tuple[str, str]] = []
        self.serving = True  # False: as in a standby process

    def address(self, person: Professional) -> str | None:
        return person.handle

    def scope(self, address: str) -> str:
        return "tenant-1"

    def ready(self) -> bool:
        return self.serving

    async def send(self, address: str, message: Outgoing) -> str:
        planned = self.script.get(address, [])
        outcome = planned.pop(0) if planned else None
        if outcome is not None:
            raise outcome
        self.delivered.append((address, message.reply.text))
        return f"{self.name}:{address}"


async def deliver_all(app: App, senders: Sequence[object]) -> int:
    engine = DeliveryEngine(app, senders)  # type: ignore[arg-type]
    total = 0
    while claimed := await engine.deliver_due():
        total += claimed
    return total


async def planned_and_announced(chat: Chat) -> ScriptedSender:
    """One action planned for 'agent' and the immediate notices sent, so only the reminders are ahead."""
    await plan_one_action(chat, "vrijdag 4 december 14:00")
    sender = ScriptedSender("recording")
    await deliver_all(chat.app, [sender])
    sender.delivered.clear()
    return sender


async def rows(app: App, kind: str, handle: str | None = None) -> list[PendingMessage]:
    query = select(PendingMessage).where(PendingMessage.kind == kind)
    if handle is not None:
        query = query.join(Professional, Professional.id == PendingMessage.recipient_id).where(
            Professional.handle == handle
        )
    async with app.sessions() as session:
        return list(await session.scalars(query.order_by(PendingMessage.id)))


async def test_due_messages_are_sent_once_with_their_key_and_audited(chat: Chat, tmp_path: Path) -> None:
    number = await plan_one_action(chat, "vrijdag 4 december 14:00")
    recorder = RecordingSender(tmp_path / "sent.jsonl")
    assert await deliver_all(chat.app, [recorder]) > 0
    assert await deliver_all(chat.app, [recorder]) == 0  # nothing is sent twice
    sent = read_recording(recorder.path)
    texts = {(item["to"], item["text"]) for item in sent}
    assigned = f"U bent actiehouder van actie {number} #1. Typ 'acties' voor uw acties."
    assert ("agent", f"{assigned}\nUiterlijk: vrijdag 4 december 2026, 14:00") in texts  # what and by when
    # Accepted before anything was delivered: "new referral" is no longer news to anyone, so it is dropped.
    assert all(f"Nieuwe aanmelding {number}" not in text for _, text in texts)
    assert any(to == "agent" and f"Uw aanmelding {number} is geaccepteerd" in text for to, text in texts)
    assert all("Huisbezoek" not in item["text"] for item in sent)  # references only, never content
    keys = [item["key"] for item in sent]
    assert len(keys) == len(set(keys))
    async with chat.app.sessions() as session:
        events = {entry.event for entry in await audit.entries_for_case(session, number)}
        statuses = set((await session.scalars(select(PendingMessage.status))).all())
    assert {"notice.action_assigned", "notice.referral_accepted"} <= events
    assert "notice.new_referral" not in events
    # The reminders are still ahead; the stale "new referral" rows were dropped.
    assert statuses == {OutboxStatus.SENT, OutboxStatus.PENDING, OutboxStatus.CANCELLED}


async def test_a_reminder_is_answered_in_the_conversation_it_arrived_in(
    chat: Chat, clock: FixedClock
) -> None:
    number = await plan_one_action(chat, "vrijdag 4 december 14:00")
    channel = TerminalChannel(chat.app.dispatcher, "agent")
    await deliver_all(chat.app, [TerminalSender(channel, io.StringIO())])
    clock.advance(timedelta(days=9, hours=-1, minutes=-15))  # Wednesday 2 December, 09:00
    screen = io.StringIO()
    await deliver_all(chat.app, [TerminalSender(channel, screen)])
    reminder = screen.getvalue()
    # The first line (a lock screen's preview) names the case and the action by number; the action follows below.
    first, second = reminder.strip().splitlines()[:2]
    assert first.endswith(
        f"Herinnering: actie {number} #1 moet uiterlijk vrijdag 4 december 2026, 14:00 klaar zijn."
    )
    assert second == "Actie: Huisbezoek afleggen"
    assert "uitstel (nieuwe datum)" in reminder and "Verlaat" not in reminder
    assert "terug" not in reminder  # it came unasked: there is nothing to go back to

    confirm = await chat("agent", "uitstel tot volgende week dinsdag")
    assert "dinsdag 8 december 2026, 17:00" in confirm
    assert "schuiven mee" in await chat("agent", "ja")
    soon = [row for row in await rows(chat.app, "action_due_soon") if row.status is OutboxStatus.PENDING]
    assert len(soon) == 1 and soon[0].scheduled_at.astimezone(clock.now().tzinfo).day == 4


async def test_a_reminder_does_not_interrupt_a_dialogue_in_progress(chat: Chat, clock: FixedClock) -> None:
    await plan_one_action(chat, "vrijdag 4 december 14:00")
    terminal = TerminalSender(TerminalChannel(chat.app.dispatcher, "agent"), io.StringIO())
    clock.advance(timedelta(days=9, hours=-1, minutes=-15))
    assert "Is er nu acuut gevaar voor iemand?" in await chat("agent", "check")
    await deliver_all(chat.app, [terminal])
    assert "huiselijk geweld" in await chat("agent", "nee")  # the check goes on


async def test_messages_that_fell_due_while_nothing_ran_are_sent_late_and_marked(
    chat: Chat, clock: FixedClock
) -> None:
    recorder = await planned_and_announced(chat)
    clock.advance(timedelta(days=15))  # Tuesday 8 December 10:15: four reminders fell due meanwhile
    await deliver_all(chat.app, [recorder])
    late = [text for _, text in recorder.delivered]
    # Due soon, due today and overdue fell due together for the holder: only the most pressing one goes out;
    # and the overdue one to the director. The overleg is on the 15th.
    assert len(late) == 2
    assert all("(Verlaat bericht, bedoeld voor" in text for text in late)
    assert any("Actie VH-2026-0001 #1 op uw casus is over de deadline" in text for text in late)
    assert any(to == "agent" and "is over de deadline" in text for to, text in recorder.delivered)
    assert not any("moet vandaag klaar zijn" in text or "moet uiterlijk" in text for text in late)


async def test_nothing_goes_out_in_the_evening_and_it_does_the_next_morning(
    chat: Chat, clock: FixedClock
) -> None:
    clock.advance(timedelta(hours=9))  # Monday 19:15
    await plan_one_action(chat, "vrijdag 4 december 14:00")
    sender = ScriptedSender("recording")
    assert await deliver_all(chat.app, [sender]) == 0
    clock.advance(timedelta(hours=13))  # Tuesday 08:15
    assert await deliver_all(chat.app, [sender]) > 0
    assert all("Verlaat" not in text for _, text in sender.delivered)  # waiting for the window is not late


async def test_an_action_marked_done_in_the_evening_is_not_announced_the_next_morning(
    chat: Chat, clock: FixedClock
) -> None:
    """'U bent actiehouder van actie #1' arrived the morning after the holder marked it done: no longer."""
    clock.advance(timedelta(hours=9))  # Monday 19:15: the notices wait for the morning
    await plan_one_action(chat, "vrijdag 4 december 14:00")
    await chat("agent", "acties", "1", "gedaan")
    clock.advance(timedelta(hours=13))  # Tuesday 08:15
    sender = ScriptedSender("recording")
    await deliver_all(chat.app, [sender])
    assert not [text for handle, text in sender.delivered if "actiehouder" in text]
    assert [row.status for row in await rows(chat.app, "action_assigned", "agent")] == [
        OutboxStatus.CANCELLED
    ]


async def test_a_moved_deadline_is_told_with_the_new_date(chat: Chat) -> None:
    """Another notice of an action says its date too: nobody has to ask again."""
    number = await plan_one_action(chat, "vrijdag 4 december 14:00")
    sender = ScriptedSender("recording")
    await deliver_all(chat.app, [sender])
    await chat("regisseur", f"wijzig {number} #1", "deadline verzetten", "vrijdag 11 december 14:00", "ja")
    await chat("regisseur", "Wacht op de partner", "ja")
    sender.delivered.clear()
    await deliver_all(chat.app, [sender])
    (told,) = [text for handle, text in sender.delivered if handle == "agent" and "is verzet" in text]
    assert told.endswith("Uiterlijk: vrijdag 11 december 2026, 14:00") and "Huisbezoek" not in told


async def test_a_completed_action_is_not_reminded_even_if_its_row_is_due(
    chat: Chat, clock: FixedClock
) -> None:
    sender = await planned_and_announced(chat)
    [reminder] = await rows(chat.app, "action_due_soon")
    async with chat.app.sessions() as session, session.begin():  # completed by a path that did not cancel
        await session.execute(
            update(Action).where(Action.id == reminder.action_id).values(status=ActionStatus.DONE)
        )
    clock.advance(timedelta(days=9, hours=-1))
    await deliver_all(chat.app, [sender])
    assert sender.delivered == []
    assert [row.status for row in await rows(chat.app, "action_due_soon")] == [OutboxStatus.CANCELLED]


async def test_temporary_failures_retry_with_backoff(chat: Chat, clock: FixedClock) -> None:
    await refer_a_case(chat)  # not taken up yet: the new referral stays news until it is sent
    flaky = ScriptedSender("matrix", {"regisseur2": [TemporaryFailure("503"), TemporaryFailure("timeout")]})
    await deliver_all(chat.app, [flaky])
    [waiting] = await rows(chat.app, "new_referral", "regisseur2")
    assert waiting.status is OutboxStatus.PENDING and waiting.attempts == 1
    assert waiting.last_error == "TemporaryFailure"
    assert timedelta(seconds=2) <= waiting.due_at - clock.now() <= timedelta(seconds=8)
    clock.advance(timedelta(seconds=10))
    await deliver_all(chat.app, [flaky])
    clock.advance(timedelta(seconds=30))
    await deliver_all(chat.app, [flaky])
    [sent] = await rows(chat.app, "new_referral", "regisseur2")
    assert sent.status is OutboxStatus.SENT and sent.attempts == 3


async def test_a_channel_served_by_another_process_leaves_the_row_without_using_an_attempt(
    chat: Chat, clock: FixedClock
) -> None:
    await refer_a_case(chat)  # not taken up yet: the new referral stays news until it is sent
    standby = ScriptedSender("matrix", {"regisseur2": [NotHere("standby"), NotHere("standby")]})
    await deliver_all(chat.app, [standby])
    [waiting] = await rows(chat.app, "new_referral", "regisseur2")
    assert waiting.status is OutboxStatus.PENDING and waiting.attempts == 0
    assert waiting.failed_channels == []  # not given up on: the serving process will send it
    assert waiting.due_at - clock.now() == timedelta(seconds=2 * chat.app.settings.outbox_poll_seconds)
    clock.advance(timedelta(seconds=10))
    await deliver_all(chat.app, [standby])
    clock.advance(timedelta(seconds=10))
    await deliver_all(chat.app, [standby])
    [sent] = await rows(chat.app, "new_referral", "regisseur2")
    assert sent.status is OutboxStatus.SENT and sent.attempts == 1


async def test_a_standby_leaves_the_rows_of_people_on_its_channel_untouched_and_sends_the_rest(
    chat: Chat, clock: FixedClock
) -> None:
    await link_address(chat.app, "regisseur2", "matrix", "@regisseur2:example.org")
    await refer_a_case(chat)  # news for both procesregisseurs
    matrix, teams = ScriptedSender("matrix"), ScriptedSender("teams")
    matrix.serving = False
    assert await deliver_all(chat.app, [matrix]) == 0  # a standby on Matrix alone takes nothing
    assert await deliver_all(chat.app, [teams, matrix]) == 1
    [sent] = await rows(chat.app, "new_referral", "regisseur")
    [left] = await rows(chat.app, "new_referral", "regisseur2")
    assert sent.status is OutboxStatus.SENT and teams.delivered[0][0] == "regisseur"
    assert left.status is OutboxStatus.PENDING and left.attempts == 0 and left.lease_owner is None
    matrix.serving = True  # the process that holds the device
    assert await deliver_all(chat.app, [teams, matrix]) == 1
    [sent] = await rows(chat.app, "new_referral", "regisseur2")
    assert sent.status is OutboxStatus.SENT


async def test_a_rate_limit_is_waited_out_and_the_message_still_goes(chat: Chat) -> None:
    await plan_one_action(chat, "vrijdag 4 december 14:00")
    limited = ScriptedSender("teams", {"agent": [RateLimited(0.05), RateLimited(0.05)]})
    started = time.monotonic()
    await deliver_all(chat.app, [limited])
    assert time.monotonic() - started >= 0.1  # both waits were kept, not retried at once
    assert all(row.status is OutboxStatus.SENT for row in await rows(chat.app, "action_assigned"))


async def test_an_unreachable_person_gets_the_other_channel_else_the_procesregisseur_hears(
    chat: Chat,
) -> None:
    number = await plan_one_action(chat, "vrijdag 4 december 14:00")
    blocked = ScriptedSender("teams", {"agent": [PermanentFailure("403")] * 10})
    other = ScriptedSender("matrix")
    await deliver_all(chat.app, [blocked, other])
    assert (
        "agent",
        f"U bent actiehouder van actie {number} #1. Typ 'acties' voor uw acties.\nUiterlijk: vrijdag 4 december 2026, 14:00",
    ) in other.delivered
    sent = (await rows(chat.app, "action_assigned"))[0]
    assert sent.status is OutboxStatus.SENT and sent.channel == "matrix" and sent.failed_channels == ["teams"]

    await chat("regisseur", f"casus {number}", "vervolgoverleg starten", "ja")
    await chat(
        "regisseur",
        f"plan {number}",
        "Tweede actie",
        "agent",
        "vrijdag 11 december",
        "ja",
        "nee",
        "geen",
        "ja",
    )
    only_teams = ScriptedSender("teams", {"agent": [PermanentFailure("403")]})
    await deliver_all(chat.app, [only_teams])
    failed = [row for row in await rows(chat.app, "action_assigned") if row.status is OutboxStatus.FAILED]
    assert len(failed) == 1 and failed[0].last_error == "unreachable"
    report = await rows(chat.app, "delivery_failed")
    agent = failed[0].recipient_id
    assert [(row.case_number, row.params["recipient"]) for row in report] == [
        (number, agent)
    ]  # an id, no name
    told = [text for to, text in only_teams.delivered if "kon op geen enkel kanaal" in text]
    assert told and "bezorgd aan Anna Agent" in told[0]  # the name, looked up as the report was sent
    assert "1 bericht over uw casussen kon op geen enkel kanaal" in await chat("regisseur", "status mijn")


async def test_every_procesregisseur_gets_one_weekly_overview(chat: Chat, clock: FixedClock) -> None:
    sender = await planned_and_announced(chat)
    calendar, settings = chat.app.calendar, chat.app.settings
    async with chat.app.sessions() as session, session.begin():
        assert await plan_overviews(session, calendar, settings, clock.now()) == 2
        assert await plan_overviews(session, calendar, settings, clock.now()) == 0  # planned once
    clock.advance(timedelta(days=7, hours=-1, minutes=-45))  # Monday 30 November, 08:30
    await deliver_all(chat.app, [sender])
    overviews = sorted((to, text) for to, text in sender.delivered if text.startswith("Weekoverzicht"))
    rest = "• 0 ongelezen terugkoppelingen\n• 0 nieuwe aanmeldingen\nTyp 'status' voor details."
    assert overviews == [
        ("regisseur", f"Weekoverzicht:\n• 1 casus bij u\n• 0 acties over de deadline\n{rest}"),
        ("regisseur2", f"Weekoverzicht:\n• 0 casussen bij u\n• 0 acties over de deadline\n{rest}"),
    ]


async def test_outside_the_window_the_engine_waits_instead_of_polling_in_a_loop(
    chat: Chat, clock: FixedClock
) -> None:
    clock.advance(timedelta(hours=9))  # Monday 19:15: rows are due but may not be sent until the morning
    await plan_one_action(chat, "vrijdag 4 december 14:00")
    async with chat.app.sessions() as session, session.begin():
        await session.execute(update(PendingMessage).values(due_at=clock.now() - timedelta(hours=1)))
    chat.app.settings.outbox_poll_seconds = 0.1
    engine = DeliveryEngine(chat.app, [ScriptedSender("recording")])
    cycles = 0
    deliver_due = engine.deliver_due

    async def counted(recipients: Collection[int] | None = None) -> int:
        nonlocal cycles
        cycles += 1
        return await deliver_due(recipients)

    engine.deliver_due = counted  # type: ignore[method-assign]
    stop = asyncio.Event()
    running = asyncio.create_task(engine.run(stop))
    async with asyncio.timeout(30):  # the first cycle also plans overviews and purges: slow on a busy machine
        while cycles == 0:
            await asyncio.sleep(0.01)
    await asyncio.sleep(0.55)
    stop.set()
    await running
    assert 3 <= cycles <= 9  # one look per poll interval, not a busy loop


async def test_a_question_and_an_update_are_acted_on_in_one_step_where_their_notice_arrives(
    chat: Chat,
) -> None:
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "vraag stellen", "Welke partners zijn al betrokken?", "ja")
    melder = TerminalChannel(chat.app.dispatcher, "agent")
    screen = io.StringIO()
    await deliver_all(chat.app, [TerminalSender(melder, screen)])
    notice = screen.getvalue()
    assert "heeft een vraag over uw aanmelding" in notice and "Welke partners" not in notice  # no content
    assert "de vraag lezen en beantwoorden" in notice
    shown = await chat("agent", "de vraag lezen en beantwoorden")
    assert "Welke partners zijn al betrokken?" in shown
    await chat("agent", "GGZ en wijkteam zijn betrokken")
    assert f"Uw terugkoppeling op {number} is doorgegeven" in await chat("agent", "nee")  # not a zorgsignaal

    director = TerminalChannel(chat.app.dispatcher, "regisseur")
    screen = io.StringIO()
    await deliver_all(chat.app, [TerminalSender(director, screen)])
    assert f"Nieuwe terugkoppeling op casus {number}" in screen.getvalue() and "lezen" in screen.getvalue()
    assert "GGZ en wijkteam zijn betrokken" in await chat("regisseur", "lezen")


async def test_a_question_a_notice_left_open_gives_way_to_a_command_without_a_word(chat: Chat) -> None:
    """The person did not start it: typing something else drops it without a word (it is not set aside)."""
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "vraag stellen", "Welke partners zijn al betrokken?", "ja")
    await deliver_all(
        chat.app, [TerminalSender(TerminalChannel(chat.app.dispatcher, "agent"), io.StringIO())]
    )
    reply = await chat("agent", "status")
    assert "Uw aanmeldingen (1)" in reply and "wacht even" not in reply and "verder" not in reply
    await chat("agent", "check")
    assert "wacht even" in await chat("agent", "status")  # a conversation the person started is set aside


async def test_the_ketenmanager_reads_to_whom_a_case_was_escalated_in_words(chat: Chat) -> None:
    """'opgeschaald naar ketenmanager' read like a key; now in the recipient's words and language."""
    number = await plan_one_action(chat, "vrijdag 4 december 14:00")
    await chat(
        "regisseur", f"casus {number}", "opschalen", "Afspraken worden niet nagekomen", "bestuurlijk", "ja"
    )
    sender = ScriptedSender("recording")
    await deliver_all(chat.app, [sender])
    (told,) = [text for handle, text in sender.delivered if handle == "manager"]
    assert told.startswith(f"Casus {number} is opgeschaald naar bestuurlijk (burgemeester, driehoek). Typ")


async def test_the_melder_reads_why_the_case_was_closed_in_words(chat: Chat) -> None:
    number = await plan_one_action(chat, "vrijdag 4 december 14:00")
    await chat("regisseur", f"casus {number}", "afsluiten", "buiten de regio", "ja")
    await chat("agent", "language en")
    sender = ScriptedSender("recording")
    await deliver_all(chat.app, [sender])
    (told,) = [text for handle, text in sender.delivered if handle == "agent" and "closed" in text]
    assert told == f"Case {number} was closed, reason: outside the region. Thank you for your work."


async def test_a_planned_overleg_is_told_with_its_moment_as_it_stands_when_sent(chat: Chat) -> None:
    number = await plan_one_action(chat, "vrijdag 4 december 14:00")
    await chat("regisseur", f"casus {number}", "casusoverleg plannen", "volgende week dinsdag 10:00", "ja")
    await chat("regisseur", f"casus {number}", "casusoverleg plannen", "volgende week woensdag 11:00", "ja")
    sender = ScriptedSender("recording")
    await deliver_all(chat.app, [sender])
    told = [text for handle, text in sender.delivered if handle == "agent" and "Casusoverleg over" in text]
    assert len(told) >= 2 and all(f"Casusoverleg over casus {number}: woensdag " in text for text in told)
    assert all(text.split(": ", 1)[1].startswith("woensdag") and "11:00." in text for text in told)


async def test_an_urgent_referral_is_said_to_be_urgent_and_a_normal_one_is_not(chat: Chat) -> None:
    await chat("agent", *CHECK_THAT_FITS)
    await chat("agent", "ja", *referral_after_check(urgency="hoog"))
    await refer_a_case(chat)
    teams = ScriptedSender("teams")
    await deliver_all(chat.app, [teams])
    told = sorted(text for handle, text in teams.delivered if handle == "regisseur")  # by case number
    assert [("met urgentie HOOG" in text) for text in told] == [True, False], told


async def test_a_channel_that_raises_what_nobody_expected_fails_that_row_alone(
    chat: Chat, clock: FixedClock
) -> None:
    """A bug in a channel (here a ValueError for one person) costs that person's row an attempt, never the batch:
    the other procesregisseur is told at once, and the row goes out on its retry."""
    await refer_a_case(chat)
    broken = ScriptedSender("teams", {"regisseur2": [ValueError("a channel's own bug")]})
    assert await deliver_all(chat.app, [broken]) == 2
    [sent] = await rows(chat.app, "new_referral", "regisseur")
    [waiting] = await rows(chat.app, "new_referral", "regisseur2")
    assert sent.status is OutboxStatus.SENT and [handle for handle, _ in broken.delivered] == ["regisseur"]
    assert waiting.status is OutboxStatus.PENDING and waiting.last_error == "ValueError"
    clock.advance(timedelta(seconds=10))
    await deliver_all(chat.app, [broken])
    [resent] = await rows(chat.app, "new_referral", "regisseur2")
    assert resent.status is OutboxStatus.SENT and resent.attempts == 2


async def test_a_recipient_gone_meanwhile_is_not_sent_to_and_the_others_are(chat: Chat) -> None:
    await refer_a_case(chat)
    async with chat.app.sessions() as session, session.begin():
        await session.execute(
            update(Professional).where(Professional.handle == "regisseur2").values(active=False)
        )
    teams = ScriptedSender("teams")
    await deliver_all(chat.app, [teams])
    [gone] = await rows(chat.app, "new_referral", "regisseur2")
    assert gone.status is OutboxStatus.CANCELLED and [handle for handle, _ in teams.delivered] == [
        "regisseur"
    ]
