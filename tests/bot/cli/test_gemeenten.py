"""``users add`` and ``users set --gemeenten``: a procesregisseur made aandachtsfunctionaris of gemeenten of the
region, one per gemeente (issue 36, part 1); in process, on SQLite and PostgreSQL."""

from __future__ import annotations

import argparse

import pytest

from bot.cli.accounts import cmd_users_set
from bot.cli.common import UsageError
from bot.cli.people import cmd_users_add, cmd_users_list
from tests.conftest import Chat
from tests.test_accounts import user_set

TEAM = "Zorg- en Veiligheidshuis Voorbeeldregio"


async def set_gemeenten(chat: Chat, handle: str, typed: str) -> int:
    return await cmd_users_set(chat.app, user_set(handle, gemeenten=typed))


async def test_gemeenten_are_given_taken_over_checked_and_listed(
    chat: Chat, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await set_gemeenten(chat, "regisseur2", "baarn, Soest") == 0
    assert "changed regisseur2: gemeenten: Baarn, Soest" in capsys.readouterr().out
    added = argparse.Namespace(
        name="Pim Regisseur", org=TEAM, role="procesregisseur", handle=None, matrix=None, teams=None, email=None,
        lang="nl", gemeenten="Baarn",
    )  # fmt: skip
    assert await cmd_users_add(chat.app, added) == 0
    assert "gemeenten: Baarn (taken over: Baarn from regisseur2)" in capsys.readouterr().out
    with pytest.raises(UsageError, match="not a gemeente of this region: Utrecht; region.toml lists"):
        await set_gemeenten(chat, "regisseur", "Utrecht")
    with pytest.raises(UsageError, match="only a procesregisseur"):
        await set_gemeenten(chat, "agent", "Soest")
    await cmd_users_list(chat.app, argparse.Namespace())
    listed = capsys.readouterr().out
    assert "\tactive\tSoest\n" in listed and "pim-regisseur\tPim Regisseur\t" in listed
    assert await set_gemeenten(chat, "regisseur2", "none") == 0
    assert "gemeenten: none" in capsys.readouterr().out
