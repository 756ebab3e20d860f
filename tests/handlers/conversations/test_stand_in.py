"""Waarneming: a colleague directs an absent procesregisseur's cases for a period, then it ends by itself."""

from __future__ import annotations

import argparse
from datetime import timedelta

import pytest

from bot.cli.operations import cmd_audit
from handlers.dates.clock import FixedClock
from storage import audit, people
from tests.bot.test_delivery import ScriptedSender, deliver_all
from tests.conftest import Chat
from tests.test_reminders import plan_one_action
from tests.test_scenario import refer_a_case

NOT_FOUND = "Ik kan geen casus"


async def stand_in_until_friday(chat: Chat) -> str:
    number = await plan_one_action(chat, "vrijdag 4 december 14:00")
    assert NOT_FOUND in await chat("regisseur2", f"casus {number}")  # not theirs before the waarneming
    confirm = await chat("regisseur", "waarneming", "Ruben Regisseur", "vrijdag 11 december 17:00", "ja")
    assert "Ruben Regisseur neemt uw casussen waar tot vrijdag 11 december 2026, 17:00" in confirm
    assert "krijgt bericht" in await chat("regisseur", "ja")
    return number


async def test_the_stand_in_directs_the_cases_receives_their_notices_and_acts_on_behalf(
    chat: Chat, capsys: pytest.CaptureFixture[str]
) -> None:
    number = await stand_in_until_friday(chat)
    sender = ScriptedSender("recording")
    await deliver_all(chat.app, [sender])
    started = [text for to, text in sender.delivered if to == "regisseur2"]
    assert any(
        "U neemt tot vrijdag 11 december 2026, 17:00 de casussen van Petra Regisseur waar" in t
        for t in started
    )

    assert number in await chat("regisseur2", "status mijn")
    assert "Huisbezoek afleggen" in await chat("regisseur2", f"status {number}")
    sender.delivered.clear()
    await chat("agent", f"terugkoppeling {number}", "geen specifieke actie", "Huisbezoek is gepland", "nee")
    await deliver_all(chat.app, [sender])
    received = {to: text for to, text in sender.delivered if "terugkoppeling" in text}
    assert set(received) == {
        "regisseur",
        "regisseur2",
    }  # the absent one keeps theirs; the waarnemer gets a copy
    assert received["regisseur2"].endswith("(U neemt waar voor Petra Regisseur.)")
    assert "waar voor" not in received["regisseur"]

    await chat(
        "regisseur2", f"casus {number}", "opschalen", "Afspraken worden niet nagekomen", "ketenmanager"
    )
    assert "opgeschaald" in await chat("regisseur2", "ja")
    async with chat.app.sessions() as session:
        entries = await audit.entries_for_case(session, number)
        absent = await people.professional_by_handle(session, "regisseur")
    assert absent is not None
    escalated = [entry for entry in entries if entry.event == "case.state.opgeschaald"]
    assert [entry.on_behalf_of for entry in escalated] == [audit.for_person(absent.id)]  # by id, not a name
    assert await cmd_audit(chat.app, argparse.Namespace(case=number, user=None)) == 0
    assert (
        ',"Petra Regisseur (regisseur)","case.state.opgeschaald",' in capsys.readouterr().out
    )  # the export names


async def test_it_ends_by_itself_at_its_date_and_both_are_told(chat: Chat, clock: FixedClock) -> None:
    number = await stand_in_until_friday(chat)
    clock.advance(timedelta(days=21))  # Monday 14 December, past the Friday it ended
    assert NOT_FOUND in await chat("regisseur2", f"casus {number}")
    assert number not in await chat("regisseur2", "status mijn")
    sender = ScriptedSender("recording")
    await deliver_all(chat.app, [sender])
    ended = sorted((to, text.splitlines()[0]) for to, text in sender.delivered if "afgelopen" in text)
    assert ended == [
        ("regisseur", "De waarneming door Ruben Regisseur is afgelopen: uw casussen zijn weer alleen bij u."),
        ("regisseur2", "Uw waarneming voor Petra Regisseur is afgelopen."),
    ]


async def test_ended_early_it_ends_at_once_and_the_planned_end_notices_are_not_sent(
    chat: Chat, clock: FixedClock
) -> None:
    number = await stand_in_until_friday(chat)
    assert "Ruben Regisseur neemt uw casussen waar tot" in await chat("regisseur", "waarneming")
    assert "is beëindigd" in await chat("regisseur", "ja")
    assert NOT_FOUND in await chat("regisseur2", f"casus {number}")
    clock.advance(timedelta(days=21))
    sender = ScriptedSender("recording")
    await deliver_all(chat.app, [sender])
    ended = [to for to, text in sender.delivered if "afgelopen" in text]
    assert sorted(ended) == ["regisseur", "regisseur2"]  # once each: when it was ended, not again at its date


async def test_only_a_procesregisseur_arranges_one_and_a_past_date_is_refused(chat: Chat) -> None:
    assert "procesregisseur" in await chat("agent", "waarneming")
    refused = await chat("regisseur", "waarneming", "Ruben Regisseur", "1 november 2026")
    assert "verleden" in refused
    assert "Tot wanneer" in await chat("regisseur", "stop", "waarneming", "1")


async def test_the_absent_one_hears_at_the_end_what_was_done_on_their_behalf(
    chat: Chat, clock: FixedClock
) -> None:
    number = await stand_in_until_friday(chat)
    other = await refer_a_case(chat)  # a second case of the absent one
    await chat("regisseur", f"beoordeel {other}", "accepteren", "Petra Regisseur")
    await chat(
        "regisseur2", f"casus {number}", "opschalen", "Afspraken worden niet nagekomen", "ketenmanager"
    )
    await chat("regisseur2", "ja")
    await chat("regisseur2", f"wijzig {number} #1", "omschrijving wijzigen", "Huisbezoek met wijkagent", "ja")
    await chat("regisseur2", f"status {other}")  # only looked at
    await chat("regisseur", f"status {number}")  # the absent one's own look is not theirs to be told of
    clock.advance(timedelta(days=21))
    sender = ScriptedSender("recording")
    await deliver_all(chat.app, [sender])
    (told,) = [text for to, text in sender.delivered if to == "regisseur" and "afgelopen" in text]
    assert told.splitlines()[
        1:4
    ] == [  # then the line that says it was sent late, as this test's clock jumped
        "Wat er namens u gebeurde:",
        f"• {number}: 2 wijzigingen, nu opgeschaald",
        f"Alleen bekeken: {other}",
    ]


async def test_the_absent_one_hears_when_nothing_was_done_on_their_behalf(
    chat: Chat, clock: FixedClock
) -> None:
    await stand_in_until_friday(chat)
    clock.advance(timedelta(days=21))
    sender = ScriptedSender("recording")
    await deliver_all(chat.app, [sender])
    (told,) = [text for to, text in sender.delivered if to == "regisseur" and "afgelopen" in text]
    assert told.splitlines()[1] == "Er is namens u niets gewijzigd of bekeken."
