"""``vhbot users import``: a file of professionals is imported whole or not at all, and every bad row is reported
with its line (issue 20, in part); on SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli.common import UsageError
from bot.cli.people import cmd_users_import
from storage import audit, gemeenten, people
from storage.models import Professional, Role
from tests.conftest import Chat

GOOD = (
    "name,organisation,role,matrix,teams,language\n"
    "Sanne de Boer,Wijkteam Amersfoort-Noord,melder,@sanne:example.org,,nl\n"
    '"Yilmaz, Emre",GGZ Voorbeeld,melder,,0f8fad5b-d9cb-469f-a165-70867728950e,en\n'
)


async def run(chat: Chat, tmp_path: Path, content: str, dry_run: bool = False, sync: bool = False) -> int:
    file = tmp_path / "people.csv"
    file.write_text(content, encoding="utf-8")
    return await cmd_users_import(chat.app, argparse.Namespace(file=str(file), dry_run=dry_run, sync=sync))


async def count(chat: Chat) -> int:
    async with chat.app.sessions() as session:
        return int(await session.scalar(select(func.count(Professional.id))) or 0)


async def test_a_good_file_is_imported_whole_and_audited(
    chat: Chat, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = await count(chat)
    assert await run(chat, tmp_path, GOOD, dry_run=True) == 0
    assert "2 professional(s) would be added" in capsys.readouterr().out and await count(chat) == before
    assert await run(chat, tmp_path, GOOD) == 0
    assert await count(chat) == before + 2
    async with chat.app.sessions() as session, session.begin():
        sanne = await people.professional_by_handle(session, "sanne-de-boer")
        emre = await people.professional_by_handle(session, "yilmaz-emre")
        assert (
            sanne is not None
            and sanne.role is Role.MELDER
            and sanne.address("matrix") == "@sanne:example.org"
        )
        assert emre is not None and emre.language == "en" and emre.name == "Yilmaz, Emre"
        events = [entry.event for entry, _ in await audit.export(session) if entry.event == "users.import"]
    assert events == ["users.import"]


async def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(
    chat: Chat, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = await count(chat)
    bad = (
        GOOD
        + '=HYPERLINK("x"),GGZ Voorbeeld,melder,,,nl\n'  # line 4
        + "Piet,Nergens BV,baas,,,fr\n"  # line 5
        + "Sanne de Boer,GGZ Voorbeeld,melder,@sanne:example.org,,nl\n"  # line 6: handle and Matrix id again
        + "Anna Bakker,GGZ Voorbeeld,melder,sanne,not-a-guid,nl\n"  # line 7
    )
    with pytest.raises(UsageError, match="nothing was imported"):
        await run(chat, tmp_path, bad)
    reported = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in reported] == ["line 4"] + ["line 5"] * 3 + ["line 6"] * 2 + [
        "line 7"
    ] * 2
    assert "spreadsheet formula" in reported[0]
    assert "no organisation named 'Nergens BV'" in reported[1] and "role 'baas'" in reported[2]
    assert "language 'fr'" in reported[3]
    assert (
        "handle 'sanne-de-boer' is taken" in reported[4] and "@sanne:example.org' belongs to" in reported[5]
    )
    assert "'sanne' is no Matrix id" in reported[6] and "'not-a-guid' is no Teams" in reported[7]
    assert await count(chat) == before  # the good rows were not imported either


async def test_a_file_with_the_wrong_columns_says_which(
    chat: Chat, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(UsageError):
        await run(chat, tmp_path, "naam,organisatie,rol\nSanne,GGZ Voorbeeld,melder\n")
    assert capsys.readouterr().err.startswith("line 1: unknown column 'naam'")


async def test_email_addresses_are_imported_checked_and_unique(
    chat: Chat, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = (
        "name,organisation,role,email\n"
        "Sanne de Boer,Wijkteam Amersfoort-Noord,melder,Sanne@Wijkteam.example\n"  # line 2
        "Jan Bakker,GGZ Voorbeeld,melder,not-an-address\n"  # line 3
        "Piet Pieters,GGZ Voorbeeld,melder,sanne@wijkteam.example\n"  # line 4: the same address as line 2
    )
    with pytest.raises(UsageError, match="nothing was imported"):
        await run(chat, tmp_path, rows)
    reported = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in reported] == ["line 3", "line 4"]
    assert "'not-an-address' is no e-mail address" in reported[0] and "belongs to someone else" in reported[1]
    assert await run(chat, tmp_path, "\n".join(rows.splitlines()[:2]) + "\n") == 0
    async with chat.app.sessions() as session:
        sanne = await people.professional_by_handle(session, "sanne-de-boer")
    assert sanne is not None and sanne.address("email") == "sanne@wijkteam.example"


# The demo's people as a ZVH's master list has them a month later: Gerda is a procesregisseur now, Willem has
# a Matrix id, Sanne is new, and Rik of the reclassering has left (the list no longer names him).
MASTER = (
    "handle,name,organisation,role,matrix,email,language\n"
    "regisseur,Petra Regisseur,Zorg- en Veiligheidshuis Voorbeeldregio,procesregisseur,,,nl\n"
    "regisseur2,Ruben Regisseur,Zorg- en Veiligheidshuis Voorbeeldregio,procesregisseur,,,nl\n"
    "agent,Anna Agent,Politie Eenheid Voorbeeld,melder,,,nl\n"
    "wijkteam,Willem Wijkteam,Wijkteam Amersfoort-Noord,melder,@willem:example.org,,nl\n"
    "ggz,Gerda GGZ,GGZ Voorbeeld,procesregisseur,,gerda@ggz.example,en\n"
    "manager,Maria Ketenmanager,Zorg- en Veiligheidshuis Voorbeeldregio,ketenmanager,,,nl\n"
    "sanne,Sanne de Boer,Wijkteam Amersfoort-Noord,melder,,,nl\n"
)


async def test_a_master_list_makes_the_store_match_it_and_importing_it_again_changes_nothing(
    chat: Chat, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = await count(chat)
    assert await run(chat, tmp_path, MASTER, dry_run=True, sync=True) == 0
    planned = capsys.readouterr().out
    assert (
        "1 added, 6 updated, 1 disabled; would disable: reclassering" in planned
        and await count(chat) == before
    )
    assert await run(chat, tmp_path, MASTER, sync=True) == 0
    assert capsys.readouterr().out.strip() == "1 added, 6 updated, 1 disabled"
    async with chat.app.sessions() as session:
        ggz = await people.professional_by_handle(session, "ggz")
        willem = await people.professional_by_handle(session, "wijkteam")
        rik = await people.professional_by_handle(session, "reclassering")
        sanne = await people.professional_by_handle(session, "sanne")
    assert ggz is not None and ggz.role is Role.PROCESREGISSEUR and ggz.language == "en"
    assert ggz.address("email") == "gerda@ggz.example"
    assert willem is not None and willem.address("matrix") == "@willem:example.org"
    assert rik is not None and not rik.active and sanne is not None and sanne.active
    assert "niet aangemeld" in await chat("reclassering", "help")  # the one who left is let in no more
    # The same file again: nothing is refused, nothing changes but a fresh 'updated'.
    assert await run(chat, tmp_path, MASTER, sync=True) == 0
    assert capsys.readouterr().out.strip() == "0 added, 7 updated, 0 disabled"
    assert await count(chat) == before + 1


async def test_a_master_list_names_accounts_by_handle(chat: Chat, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="needs a 'handle' column"):
        await run(chat, tmp_path, GOOD, sync=True)


async def test_a_procesregisseurs_gemeenten_come_with_the_file_and_are_checked(
    chat: Chat, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A gemeente the region does not list, gemeenten for a melder and a gemeente on two rows are each reported
    with their line; a good file makes the procesregisseurs aandachtsfunctionaris, and --sync moves them."""
    header = "name,organisation,role,handle,gemeenten\n"
    team = "Zorg- en Veiligheidshuis Voorbeeldregio"
    bad = (
        f"{header}Pim Regisseur,{team},procesregisseur,pim,Utrecht\n"
        "Sanne de Boer,Wijkteam Amersfoort-Noord,melder,sanne,Soest\n"
        f"Pam Regisseur,{team},procesregisseur,pam,baarn; Soest\n"
        f"Pom Regisseur,{team},procesregisseur,pom,Baarn\n"
    )
    with pytest.raises(UsageError):
        await run(chat, tmp_path, bad)
    reported = capsys.readouterr().err
    assert "line 2: not a gemeente of this region: Utrecht" in reported
    assert "line 3: only a procesregisseur can be the aandachtsfunctionaris of a gemeente" in reported
    assert "line 5: gemeente Baarn is on line 4 already" in reported
    good = f"{header}Pam Regisseur,{team},procesregisseur,pam,baarn; Soest\nPom Regisseur,{team},procesregisseur,pom,\n"
    assert await run(chat, tmp_path, good) == 0
    async with chat.app.sessions() as session:
        pam = await people.professional_by_handle(session, "pam")
        assert pam is not None and (await gemeenten.by_contact(session)) == {pam.id: ["Baarn", "Soest"]}
    moved = f"{header}Pam Regisseur,{team},procesregisseur,pam,Baarn\nPom Regisseur,{team},procesregisseur,pom,Soest\n"
    keep = "".join(
        f"{name},{org},{role},{handle},\n"
        for handle, name, org, role in (
            ("regisseur", "Petra Regisseur", team, "procesregisseur"),
            ("regisseur2", "Ruben Regisseur", team, "procesregisseur"),
            ("agent", "Anna Agent", "Politie Eenheid Voorbeeld", "melder"),
        )
    )
    assert await run(chat, tmp_path, moved + keep, sync=True) == 0
    async with chat.app.sessions() as session:
        assert await gemeenten.contacts(session) == {
            "Baarn": pam.id,
            "Soest": (await people.professional_by_handle(session, "pom")).id,  # type: ignore[union-attr]
        }
