"""The life of an account (issue 20): registered by e-mail address and linked on first contact (Teams by the
member API's address and tenant, Matrix by the organisation's homeserver), changed with ``vhbot users set``,
disabled with its open actions handed to each case's procesregisseur, and reviewed by the ketenmanager when
unused or gone from Teams. On SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.cli.accounts import cmd_users_review, cmd_users_set
from bot.cli.common import UsageError
from bot.cli.people import cmd_orgs_set, cmd_users_add
from handlers.dates.clock import FixedClock
from storage import audit, people, teams
from storage.models import Action, Organisation, PendingMessage, Professional, Role
from tests.bot.test_delivery import deliver_all
from tests.conftest import Chat, link_address
from tests.test_admission import TENANT, Terminals, set_homes
from tests.test_joining import NOT_REGISTERED, typed
from tests.test_reminders import plan_one_action

GGZ = "GGZ Voorbeeld"


def user_set(handle: str, **values: str) -> argparse.Namespace:
    options = ("name", "org", "role", "lang", "email", "matrix", "teams", "active", "gemeenten")
    return argparse.Namespace(handle=handle, **{option: values.get(option) for option in options})


async def add_by_email(chat: Chat, email: str, name: str = "Jan Bakker") -> None:
    arguments = argparse.Namespace(
        name=name,
        org=GGZ,
        role="melder",
        handle=None,
        matrix=None,
        teams=None,
        email=email,
        lang="nl",
        gemeenten=None,
    )
    assert await cmd_users_add(chat.app, arguments) == 0


async def person(chat: Chat, handle: str) -> Professional:
    async with chat.app.sessions() as session:
        found = await people.professional_by_handle(session, handle)
    assert found is not None
    return found


async def test_someone_registered_by_email_is_linked_on_first_contact_in_teams(chat: Chat) -> None:
    assert (
        await cmd_orgs_set(
            chat.app, argparse.Namespace(name=GGZ, type=None, teams_tenant=TENANT, matrix_server=None)
        )
        == 0
    )
    await add_by_email(chat, "Jan.Bakker@GGZ.example")
    welcome = await typed(
        chat, "aad-jan", "hallo", name="J. Bakker", tenant=TENANT, email="jan.bakker@ggz.example"
    )
    assert welcome == (
        f"Welkom, Jan Bakker: uw chataccount is gekoppeld aan uw aanmelding bij {GGZ}. Typ 'help' voor wat ik kan."
    )
    assert "aanmelden" in await typed(chat, "aad-jan", "help", tenant=TENANT)
    assert (await person(chat, "jan-bakker")).address("teams") == "aad-jan"
    # The same address once more, from another account: the link is made once.
    again = await typed(chat, "aad-impostor", "hallo", tenant=TENANT, email="jan.bakker@ggz.example")
    assert again.startswith(NOT_REGISTERED)
    async with chat.app.sessions() as session:
        events = [entry.event for entry, _ in await audit.export(session)]
        reported = list(await session.scalars(select(PendingMessage.kind)))
    assert events.count("person.link") == 1 and events.count("person.link.refused") == 1
    assert reported.count("link_refused") == 1  # to the ketenmanager
    terminals = Terminals()
    await deliver_all(chat.app, [terminals])
    assert "niet gekoppeld aan gebruiker jan-bakker" in terminals.to("manager")[0]


async def test_an_address_from_another_tenant_links_nothing(chat: Chat) -> None:
    await set_homes(chat.app, GGZ, tenant=TENANT)
    await add_by_email(chat, "jan.bakker@ggz.example")
    other = "00000000-0000-4000-8000-000000000000"
    reply = await typed(chat, "aad-jan", "hallo", tenant=other, email="jan.bakker@ggz.example")
    assert reply.startswith(NOT_REGISTERED)
    assert (await person(chat, "jan-bakker")).address("teams") is None


async def test_someone_registered_by_email_is_linked_on_their_organisations_homeserver(chat: Chat) -> None:
    await set_homes(chat.app, GGZ, server="matrix.ggz.example")
    await add_by_email(chat, "jan.bakker@ggz.example")
    assert (await typed(chat, "@jan.bakker:elsewhere.example", "hoi", "matrix")).startswith(NOT_REGISTERED)
    assert "gekoppeld" in await typed(chat, "@jan.bakker:matrix.ggz.example", "hoi", "matrix")
    assert (await person(chat, "jan-bakker")).address("matrix") == "@jan.bakker:matrix.ggz.example"


async def test_users_set_changes_role_ids_and_language_and_refuses_what_is_wrong(chat: Chat) -> None:
    assert (
        await cmd_users_set(
            chat.app, user_set("ggz", role="procesregisseur", lang="en", email="g@ggz.example")
        )
        == 0
    )
    gerda = await person(chat, "ggz")
    assert (
        gerda.role is Role.PROCESREGISSEUR
        and gerda.language == "en"
        and gerda.address("email") == "g@ggz.example"
    )
    assert await cmd_users_set(chat.app, user_set("ggz", email="none", org="Reclassering Nederland")) == 0
    gerda = await person(chat, "ggz")
    assert gerda.address("email") is None
    with pytest.raises(UsageError, match="no e-mail address"):
        await cmd_users_set(chat.app, user_set("ggz", email="not an address"))
    await link_address(chat.app, "agent", "teams", "0f8fad5b-d9cb-469f-a165-70867728950e")
    with pytest.raises(UsageError, match="belongs to someone else"):
        await cmd_users_set(chat.app, user_set("ggz", teams="0f8fad5b-d9cb-469f-a165-70867728950e"))
    with pytest.raises(UsageError, match="nothing to change"):
        await cmd_users_set(chat.app, user_set("ggz"))
    gerda = await person(chat, "ggz")
    assert gerda.address("teams") is None and gerda.role is Role.PROCESREGISSEUR  # nothing half-changed


async def test_disabling_hands_open_actions_to_the_procesregisseur_and_keeps_history(chat: Chat) -> None:
    number = await plan_one_action(chat, "vrijdag 4 december 14:00")
    assert await cmd_users_set(chat.app, user_set("agent", active="no")) == 0
    regisseur, agent = await person(chat, "regisseur"), await person(chat, "agent")
    async with chat.app.sessions() as session:
        held = list(await session.scalars(select(Action.holder_id)))
        events = [entry.event for entry, _ in await audit.export(session, actor_id=agent.id)]
    assert not agent.active and held == [regisseur.id]
    assert events[-1] == "person.disabled" and len(events) > 1  # what they did before is all still there
    terminals = Terminals()
    await deliver_all(chat.app, [terminals])
    handed = [text for text in terminals.to("regisseur") if "uitgeschakeld" in text]
    expected = (
        f"Het account van Anna Agent is uitgeschakeld: 1 open actie op casus {number} staat nu op uw naam. "
        f"Typ 'wijzig {number}' om een nieuwe actiehouder aan te wijzen."
    )
    assert handed == [expected]
    assert terminals.to("agent") == []  # no reminders to a disabled account
    assert "actie" in await chat("regisseur", "acties")


async def test_the_ketenmanager_reviews_unused_and_gone_accounts_and_disables_them(
    chat: Chat, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    await link_address(chat.app, "wijkteam", "teams", "aad-willem")
    async with chat.app.sessions() as session, session.begin():
        await teams.remember(session, "aad-willem", TENANT, {"conversation": {"id": "c"}}, clock.now())
        await teams.mark_unreachable(session, "aad-willem", clock.now())
    clock.advance(timedelta(days=200))
    for handle in ("regisseur", "regisseur2", "wijkteam", "agent", "manager"):
        await chat(handle, "help")  # in use (Willem too, but Teams reports him gone)
    review = await chat("manager", "accounts")
    assert review.startswith("3 accounts om na te lopen:")
    assert "• Gerda GGZ (GGZ Voorbeeld) — melder, nooit gebruikt sinds" in review
    assert (
        "• Willem Wijkteam (Wijkteam Amersfoort-Noord) — melder, Teams meldt dat dit account weg is" in review
    )
    assert "Rik Reclassering" in review and "Anna Agent" not in review
    assert "Deze 3 accounts uitschakelen?" in review
    assert (
        await chat("agent", "accounts") == "Dit kan alleen de ketenmanager van het Zorg- en Veiligheidshuis."
    )
    assert await chat("manager", "ja") == "3 accounts uitgeschakeld."
    assert (await chat("ggz", "help")).startswith(NOT_REGISTERED)
    assert await cmd_users_review(chat.app, argparse.Namespace(disable=False)) == 0
    assert "no account unused for 6 months" in capsys.readouterr().out


async def test_an_organisation_knows_its_tenant_and_homeserver(
    chat: Chat, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = argparse.Namespace(
        name=GGZ, type="ggz", teams_tenant=TENANT.upper(), matrix_server="Matrix.GGZ.example"
    )
    assert await cmd_orgs_set(chat.app, arguments) == 0
    async with chat.app.sessions() as session:
        ggz = await session.scalar(select(Organisation).where(Organisation.name == GGZ))
    assert ggz is not None and ggz.teams_tenant == TENANT and ggz.matrix_server == "matrix.ggz.example"
    with pytest.raises(UsageError, match="no Microsoft 365 tenant id"):
        await cmd_orgs_set(
            chat.app, argparse.Namespace(name=GGZ, type=None, teams_tenant="ggz", matrix_server=None)
        )
    with pytest.raises(UsageError, match="no organisation named"):
        await cmd_orgs_set(
            chat.app, argparse.Namespace(name="Nergens", type=None, teams_tenant=None, matrix_server=None)
        )
