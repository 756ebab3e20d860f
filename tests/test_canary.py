"""The canary: unique markers typed into every free-text field through the terminal channel appear nowhere in
the raw database (SQLite files, PostgreSQL dump) nor in any log record, at any level, while the bot reads them
back fine. The Teams path has its own canary in tests/bot/teams; both share tests/seeding.py."""

from __future__ import annotations

import io
import json
import logging
import uuid

import pytest
from sqlalchemy import select

from bot.logs import JsonLines
from handlers import accounts
from storage import people
from storage.models import PendingMessage
from tests.conftest import Chat
from tests.seeding import assert_nowhere_in_clear, database_contents, decrypted_texts, seed_every_field
from tests.test_scenario import CHECK_THAT_FITS, PLAN_ONE_ACTION, REFERRAL_REST, refer_a_case


async def test_markers_typed_in_chat_are_nowhere_in_clear(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    markers = await seed_every_field(chat, chat.app)
    await assert_nowhere_in_clear(chat.app, markers, caplog.text)
    logging.getLogger("tests.canary").debug("probe")
    assert "probe" in caplog.text, "DEBUG records are not captured: the log check would prove nothing"


async def test_answers_that_are_looked_up_never_reach_a_log_at_any_level(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    """What people type as a holder, an organisation or a participant is looked up, never stored: it must not
    reach a log as a statement's parameter either (the database drivers log those at DEBUG)."""
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await chat("regisseur", f"plan {number}", *PLAN_ONE_ACTION)
    await chat("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    unplanned = "VH-2026-0002"
    await chat("regisseur", f"beoordeel {unplanned}", "accepteren", "Petra Regisseur")
    caplog.set_level(logging.DEBUG)
    marker = f"kanarie{uuid.uuid4().hex[:8]}"
    answers = [
        (f"plan {unplanned}", "Huisbezoek afleggen", f"{marker}houder"),
        (f"wijzig {number} #1", "andere actiehouder", f"{marker}wijzig"),
        (f"deelnemers {number}", "iemand toevoegen", f"{marker}deelnemer"),
        (f"casus {number}", "afschalen", f"{marker}organisatie"),
        (f"terugkoppeling {number}", f"{marker}terugkoppeling"),
    ]
    for messages in answers:
        await chat("regisseur", "stop", *messages)
    logging.getLogger("tests.canary").debug("probe")
    assert "probe" in caplog.text, "DEBUG records are not captured: the log check would prove nothing"
    assert marker not in caplog.text


async def test_json_log_lines_are_json_and_hold_no_marker_at_debug(chat: Chat) -> None:
    """With VHBOT_LOG_FORMAT=json every record is one JSON object on its own line, and the markers typed into
    every field reach none of them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines())
    root = logging.getLogger()
    level, root.level = root.level, logging.DEBUG
    root.addHandler(handler)
    try:
        markers = await seed_every_field(chat, chat.app)
        logging.getLogger("tests.canary").warning("probe %s", "value")
        try:
            raise ValueError(markers.goal)
        except ValueError:
            logging.getLogger("tests.canary").exception("a failure")  # its text could quote content
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    probe, failure = entries[-2:]
    assert {"time", "level", "logger", "message"} <= set(probe) and probe["message"] == "probe value"
    assert failure["error"] == "ValueError"  # the type of an exception, never its text
    for marker in markers.all():
        assert marker not in stream.getvalue()


# One sample of each kind the detector refuses, and the part of it that identifies.
REFUSED = {
    "bsn": ("BSN 111222333 van betrokkene", "111222333"),
    "iban": ("huur naar NL91ABNA0417164300", "NL91ABNA0417164300"),
    "phone": ("bel haar op 06-13572468", "13572468"),
    "email": ("mail kanarie7f3a@example.nl", "kanarie7f3a"),
    "address": ("woont op de Kanariestraat 17b", "Kanariestraat"),
    "birth_date": ("geboren 17-03-1979", "17-03-1979"),
    "name": ("meneer Kanarievogel wil geen hulp", "Kanarievogel"),
}


async def test_refused_messages_of_every_kind_are_stored_nowhere_and_logged_nowhere(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    """Typed where an update and an action's description are asked, each kind is refused, and neither the
    store (decrypted or raw, dialogue rows and replies kept for retries included) nor any log at any level holds
    the message afterwards."""
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    caplog.set_level(logging.DEBUG)
    for kind, (text, _) in REFUSED.items():
        assert "niet opgeslagen" in await chat("agent", "stop", f"terugkoppeling {number}", text), kind
        assert "niet opgeslagen" in await chat("regisseur", "stop", f"plan {number}", text), kind
    await chat("agent", "stop")
    await chat("regisseur", "stop")
    logging.getLogger("tests.canary").debug("probe")
    assert "probe" in caplog.text, "DEBUG records are not captured: the log check would prove nothing"
    readable, raw = await decrypted_texts(chat.app), database_contents(chat.app)
    for kind, (text, part) in REFUSED.items():
        for probe in (text, part):
            assert probe not in readable and probe.encode() not in raw, f"{kind}: {probe!r} is stored"
            assert probe not in caplog.text, f"{kind}: {probe!r} is in the logs"


async def test_professionals_names_are_nowhere_in_clear(chat: Chat, caplog: pytest.LogCaptureFixture) -> None:
    """Professionals' names are kept encrypted; the notices about a waarneming, the audit entries of what the
    colleague does on the absent one's behalf and of an action done on a holder's behalf, and the notice that a
    disabled person's actions were handed on, name them by id only."""
    caplog.set_level(logging.DEBUG)
    tag = uuid.uuid4().hex[:8]
    names = {"regisseur": f"Petra kanarieregisseur{tag}", "regisseur2": f"Ruben kanariewaarnemer{tag}"}
    names["agent"] = f"Anna kanarieactiehouder{tag}"
    async with chat.app.sessions() as session, session.begin():
        for handle, name in names.items():
            person = await people.professional_by_handle(session, handle)
            assert person is not None
            person.name = name
    number = await refer_a_case(chat)
    await chat("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    for case in (number, "VH-2026-0002"):
        await chat("regisseur", f"beoordeel {case}", "accepteren", names["regisseur"])
        await chat("regisseur", f"plan {case}", *PLAN_ONE_ACTION)
    await chat("regisseur", f"wijzig {number} #1", "afmelden als gedaan", "ja")  # on the holder's behalf
    confirm = await chat("regisseur", "waarneming", names["regisseur2"], "vrijdag 11 december 17:00", "ja")
    assert names["regisseur2"] in confirm
    await chat("regisseur", "ja")
    assert number in await chat("regisseur2", f"casus {number}")  # on the absent procesregisseur's behalf
    assert "is beëindigd" in await chat("regisseur", "waarneming", "ja")
    async with chat.app.sessions() as session, session.begin():
        agent = await people.professional_by_handle(session, "agent")
        assert agent is not None
        await accounts.disable(session, agent, chat.app.now(), by="test", channel="test")
    raw = database_contents(chat.app)
    for name in names.values():
        marker = name.split()[1]
        assert marker.encode() not in raw, f"{marker} is stored in clear"
        assert marker not in caplog.text, f"{marker} is in the logs"
    async with chat.app.sessions() as session:
        kinds = set(await session.scalars(select(PendingMessage.kind)))
    assert {"stand_in_started", "stand_in_ended", "actions_handed_on"} <= kinds  # each carried a name before
