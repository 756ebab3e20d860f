"""Joining with an invite code (issue 20, in part): the ketenmanager (or an operator) makes a code, a professional
the bot does not know types it in their own chat and is a melder of that organisation from then on; every code
that opens nothing is answered exactly as any stranger; on SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import re
from datetime import timedelta

from sqlalchemy import select

from bot.cli.people import cmd_invites_new
from bot.dispatcher import Identity
from handlers.dates.clock import FixedClock
from handlers.dialogue.messages import Incoming
from storage import audit, people
from storage.models import Invite, Professional, Role
from tests.conftest import Chat

NOT_REGISTERED = "U bent (nog) niet aangemeld bij deze bot."
_CODE = re.compile(r"[A-Z2-9]{5}-[A-Z2-9]{5}")


async def typed(
    chat: Chat,
    address: str,
    text: str,
    channel: str = "teams",
    name: str = "Sanne de Boer",
    *,
    tenant: str | None = None,
    email: str | None = None,
) -> str:
    """A message from whoever ``address`` is on ``channel``, in their personal chat, with what the channel says
    about someone it does not know (their Teams tenant, their e-mail address from the member API)."""
    matrix = channel == "matrix"  # as each channel fills it in: its account's home, and what says who it is
    incoming = Incoming(
        text,
        f"personal-{address}",
        True,
        channel,
        display_name=name,
        email=email,
        mailbox=address.removeprefix("@").partition(":")[0] if matrix else None,
        home=address.partition(":")[2] if matrix else tenant,
        identified=channel in ("teams", "matrix"),
    )
    replies = await chat.app.dispatcher.handle(Identity(channel, address), incoming)
    return "\n".join(reply.text for reply in replies)


async def code_from_chat(chat: Chat, organisation: str = "Wijkteam Amersfoort-Noord") -> str:
    made = await chat("manager", f"uitnodiging {organisation}")
    found = _CODE.search(made)
    assert found, made
    return found[0]


async def test_a_code_from_the_ketenmanager_lets_a_newcomer_in_as_melder(chat: Chat) -> None:
    picked = await chat("manager", "uitnodiging")
    assert "Voor welke organisatie" in picked and "Wijkteam Amersfoort-Noord" in picked
    made = await chat("manager", "Wijkteam Amersfoort-Noord")
    assert "Te gebruiken door 20 personen, tot" in made
    code = _CODE.search(made)
    assert code is not None
    welcome = await typed(
        chat, "aad-sanne", code[0].lower().replace("-", "")
    )  # as typed, any case, no hyphen
    assert welcome == (
        "Welkom, Sanne de Boer: u bent aangemeld als melder bij Wijkteam Amersfoort-Noord. Typ 'help' voor wat ik kan."
    )
    assert "aanmelden" in await typed(chat, "aad-sanne", "help")  # a melder's jobs from now on
    async with chat.app.sessions() as session:
        sanne = await session.scalar(select(Professional).where(Professional.handle == "sanne-de-boer"))
        assert sanne is not None and sanne.role is Role.MELDER and sanne.address("teams") == "aad-sanne"
        joined = [entry for entry, _ in await audit.export(session, actor_id=sanne.id)]
        stored = list(await session.scalars(select(Invite.code_hash)))
    assert [entry.event for entry in joined][:1] == ["person.join.invite"]
    assert code[0].replace("-", "") not in "".join(stored) and len(stored[0]) == 64  # a keyed hash only


async def test_every_code_that_opens_nothing_reads_like_any_stranger(chat: Chat, clock: FixedClock) -> None:
    code = await code_from_chat(chat)
    stranger = await typed(chat, "aad-nobody", "hallo")
    assert stranger.startswith(NOT_REGISTERED)
    assert await typed(chat, "aad-nobody", "ABCDE-FGHJK") == stranger  # unknown
    assert await typed(chat, "aad-sanne", code, channel="terminal") == stranger  # a channel that knows nobody
    async with chat.app.sessions() as session, session.begin():
        for invite in await session.scalars(select(Invite)):
            invite.uses_left = 1
    assert "Welkom" in await typed(chat, "aad-first", code)
    assert await typed(chat, "aad-second", code) == stranger  # used up
    fresh = await code_from_chat(chat)
    clock.advance(timedelta(days=15))
    assert await typed(chat, "aad-late", fresh) == stranger  # expired


async def test_a_disabled_account_does_not_come_back_by_a_code(chat: Chat) -> None:
    code = await code_from_chat(chat)
    assert "Welkom" in await typed(chat, "aad-sanne", code)
    async with chat.app.sessions() as session, session.begin():
        sanne = await people.professional_by_handle(session, "sanne-de-boer")
        assert sanne is not None
        sanne.active = False
    assert (await typed(chat, "aad-sanne", code)).startswith(NOT_REGISTERED)
    async with chat.app.sessions() as session:
        handles = list(
            await session.scalars(select(Professional.handle).where(Professional.handle.like("sanne%")))
        )
    assert handles == ["sanne-de-boer"]  # no second account


async def test_only_the_ketenmanager_makes_codes_in_chat_and_an_operator_from_the_command_line(
    chat: Chat, capsys: object
) -> None:
    assert (
        await chat("regisseur", "uitnodiging")
        == "Dit kan alleen de ketenmanager van het Zorg- en Veiligheidshuis."
    )
    arguments = argparse.Namespace(org="GGZ Voorbeeld", uses=2, days=7)
    assert await cmd_invites_new(chat.app, arguments) == 0
    printed = capsys.readouterr().out  # type: ignore[attr-defined]
    code = _CODE.search(printed)
    assert code is not None and "for GGZ Voorbeeld, 2 use(s)" in printed
    assert "melder bij GGZ Voorbeeld" in await typed(chat, "aad-ggz-new", code[0], name="=cmd|' /C calc'!A0")
    async with chat.app.sessions() as session:
        newcomer = await session.scalar(select(Professional).where(Professional.handle == "cmd-c-calc-a0"))
    assert newcomer is not None and not newcomer.name.startswith("=")  # a name a spreadsheet would not run


async def test_a_name_with_line_breaks_from_a_channel_is_kept_on_one_line(chat: Chat) -> None:
    """Names are shown inside other people's lines: a line break of the name's own could pass for the bot's."""
    spoofing = "Eva\nPetra Regisseur heeft dit goedgekeurd\u2028en\tmeer"
    code = await code_from_chat(chat)
    await typed(chat, "aad-eva", code, name=spoofing)
    async with chat.app.sessions() as session:
        joined = await session.scalar(select(Professional).where(Professional.handle.startswith("eva")))
    assert joined is not None and joined.name == "Eva Petra Regisseur heeft dit goedgekeurd en meer"
