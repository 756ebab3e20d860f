"""Asking to join and the decision (issue 20): someone from a known organisation's Teams tenant or Matrix
homeserver asks for access, a procesregisseur or the ketenmanager admits or declines with one word, and the
person is told; the first decision counts. On SQLite and PostgreSQL, through the dispatcher and the delivery
engine."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.app import App
from bot.channels.terminal import conversation_of
from bot.senders import Outgoing
from handlers.dates.clock import FixedClock
from storage import audit, retention
from storage.models import JoinRequest, JoinStatus, Organisation, PendingMessage, Professional, Role
from storage.privacy import Terms
from tests.bot.test_delivery import deliver_all
from tests.conftest import Chat, link_address
from tests.test_joining import NOT_REGISTERED, typed

TENANT = "7f0c2a3e-1111-4c4c-9d9d-0123456789ab"
WIJKTEAM = "Wijkteam Amersfoort-Noord"


class Terminals:
    """The delivery engine's way to every professional's terminal chat: what each was sent, in order; a notice's
    open question is answered by that person's next chat message."""

    name = "terminal"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def address(self, person: Professional) -> str | None:
        return person.handle

    def scope(self, address: str) -> str:
        return self.name

    def ready(self) -> bool:
        return True

    async def send(self, address: str, message: Outgoing) -> str:
        self.sent.append((address, message.reply.text))
        return conversation_of(address)

    def to(self, handle: str) -> list[str]:
        return [text for address, text in self.sent if address == handle]


async def set_homes(
    app: App, organisation: str, tenant: str | None = None, server: str | None = None
) -> None:
    async with app.sessions() as session, session.begin():
        await session.execute(
            update(Organisation)
            .where(Organisation.name == organisation)
            .values(teams_tenant=tenant, matrix_server=server)
        )


async def asked(chat: Chat, address: str = "aad-sanne") -> str:
    """Sanne, of the wijkteam's tenant, asks to join it."""
    await set_homes(chat.app, WIJKTEAM, tenant=TENANT)
    offer = await typed(chat, address, "hallo", tenant=TENANT)
    assert offer.startswith(
        "U bent nog niet aangemeld bij deze bot. U kunt toegang vragen als melder, onder de naam Sanne de Boer."
    )
    assert f"1. Ja, vraag toegang bij {WIJKTEAM}\n2. Nee, vraag niets aan" in offer
    return await typed(chat, address, "1", tenant=TENANT)


async def request_row(app: App) -> JoinRequest:
    async with app.sessions() as session:
        found: JoinRequest | None = await session.scalar(select(JoinRequest))
    assert found is not None
    return found


async def test_a_newcomer_asks_a_procesregisseur_admits_and_they_are_told(chat: Chat) -> None:
    sent = await asked(chat)
    assert sent.startswith(f"Uw verzoek om toegang als melder bij {WIJKTEAM} is verstuurd.")
    assert "wacht nog op een besluit" in await typed(
        chat, "aad-sanne", "status", tenant=TENANT
    )  # nothing else
    terminals = Terminals()
    await deliver_all(chat.app, [terminals])
    notice = f"Verzoek om toegang: Sanne de Boer wil melder worden bij {WIJKTEAM} (via Teams). Toelaten of weigeren?"
    assert terminals.to("regisseur") == terminals.to("regisseur2") == terminals.to("manager") == [notice]
    assert terminals.to("agent") == []  # a melder decides nothing
    assert await chat("regisseur", "toelaten") == (
        f"Sanne de Boer is nu melder bij {WIJKTEAM} en krijgt daarvan bericht."
    )
    assert await chat("regisseur2", "toelaten") == "Over dit verzoek is al besloten."  # the first one counts
    await deliver_all(chat.app, [terminals])
    assert terminals.to("sanne-de-boer") == [
        "Welkom: uw verzoek om toegang is toegekend, u bent nu melder. Typ 'help' voor wat ik kan."
    ]
    assert "aanmelden" in await typed(chat, "aad-sanne", "help", tenant=TENANT)
    async with chat.app.sessions() as session:
        sanne = await session.scalar(select(Professional).where(Professional.handle == "sanne-de-boer"))
        assert sanne is not None and sanne.role is Role.MELDER and sanne.address("teams") == "aad-sanne"
        events = [entry.event for entry, _ in await audit.export(session)]
    assert {"person.join.request", "person.join.approved"} <= set(events)
    assert (await request_row(chat.app)).display_name == ""  # the name lives in the account only


async def test_a_declined_newcomer_reads_so_and_the_request_keeps_no_name(chat: Chat) -> None:
    await asked(chat)
    listed = await chat("regisseur", "verzoeken")
    assert (
        f"Er wacht 1 verzoek om toegang. Welk beoordeelt u?\n  1. Sanne de Boer — {WIJKTEAM} (via Teams)"
        in listed
    )
    assert "toelaten" in await chat("regisseur", "1")
    assert "is afgewezen" in await chat("regisseur", "weigeren")
    assert "niet toegekend" in await typed(chat, "aad-sanne", "hallo", tenant=TENANT)
    request = await request_row(chat.app)
    assert request.status is JoinStatus.DECLINED and request.display_name == ""
    terminals = Terminals()
    await deliver_all(chat.app, [terminals])
    assert not any("Verzoek om toegang" in text for _, text in terminals.sent)  # decided: no longer sent


async def test_a_newcomer_may_pick_another_organisation_of_the_tenant_or_ask_nothing(chat: Chat) -> None:
    await set_homes(chat.app, WIJKTEAM, tenant=TENANT)
    await set_homes(chat.app, "GGZ Voorbeeld", tenant=TENANT)
    offer = await typed(chat, "aad-gerrit", "hallo", tenant=TENANT)
    assert "1. Ja, vraag toegang bij GGZ Voorbeeld\n2. Wijkteam Amersfoort-Noord\n3. Nee" in offer
    assert "Dat is geen van de mogelijke antwoorden" in await typed(
        chat, "aad-gerrit", "misschien", tenant=TENANT
    )
    assert f"bij {WIJKTEAM} is verstuurd" in await typed(chat, "aad-gerrit", "wijkteam", tenant=TENANT)
    assert "1. Ja" in await typed(chat, "aad-truus", "goedemorgen", tenant=TENANT)
    assert "er is niets aangevraagd" in await typed(chat, "aad-truus", "nee", tenant=TENANT)
    async with chat.app.sessions() as session:
        kept = [request.address for request in await session.scalars(select(JoinRequest))]
    assert kept == ["aad-gerrit"]


async def test_strangers_from_elsewhere_learn_nothing_and_only_deciders_decide(chat: Chat) -> None:
    await asked(chat)
    elsewhere = await typed(chat, "aad-other", "hallo", tenant="00000000-0000-4000-8000-000000000000")
    assert elsewhere.startswith(NOT_REGISTERED)
    assert (
        await typed(chat, "aad-other", "ABCDE-FGHJK", tenant="x") == elsewhere
    )  # a refused code reads alike
    assert await typed(chat, "aad-sanne", "hallo", channel="terminal") == elsewhere
    assert "beslist een procesregisseur of de ketenmanager" in await chat("agent", "verzoeken")
    assert (await request_row(chat.app)).status is JoinStatus.PENDING


async def test_matrix_people_of_an_organisations_homeserver_ask_too(chat: Chat) -> None:
    await set_homes(chat.app, "GGZ Voorbeeld", server="matrix.ggz.example")
    assert "vraag toegang bij GGZ Voorbeeld" in await typed(chat, "@gijs:matrix.ggz.example", "hoi", "matrix")
    assert "is verstuurd" in await typed(chat, "@gijs:matrix.ggz.example", "ja", "matrix")
    assert (await typed(chat, "@gijs:elsewhere.example", "hoi", "matrix")).startswith(NOT_REGISTERED)
    assert "(via Matrix)" in await chat("manager", "verzoeken")
    assert (await chat("manager", "stop")).startswith("Gestopt.")
    async with chat.app.sessions() as session:
        rows = list(await session.scalars(select(PendingMessage.kind)))
    assert rows.count("join_request") == 3  # both procesregisseurs and the ketenmanager


async def test_with_one_request_waiting_one_word_decides_it(chat: Chat) -> None:
    await asked(chat)
    assert "is afgewezen" in await chat("manager", "weigeren")  # no notice read first: the one waiting
    assert await chat("manager", "weigeren") == "Er wachten geen verzoeken om toegang."


async def test_an_offer_never_answered_goes_with_the_purge_and_a_pending_request_stays(
    chat: Chat, clock: FixedClock
) -> None:
    await set_homes(chat.app, WIJKTEAM, tenant=TENANT)
    assert "1. Ja" in await typed(chat, "aad-silent", "hallo", tenant=TENANT)  # offered, never answered
    await asked(chat)  # Sanne's request waits for a decision
    clock.advance(timedelta(days=2))
    async with chat.app.sessions() as session, session.begin():
        done = await retention.purge(
            session,
            retention.Cutoffs.at(
                clock.now(), terms=Terms(12, 12), dialogue_minutes=60, inbound_days=7, audit_months=None
            ),
        )
        kept = [request.address for request in await session.scalars(select(JoinRequest))]
    assert done.join_offers == 1 and kept == ["aad-sanne"]


async def test_an_offer_follows_the_tenant_when_it_moves_to_another_organisation(chat: Chat) -> None:
    await set_homes(chat.app, "GGZ Voorbeeld", tenant=TENANT)
    assert "bij GGZ Voorbeeld" in await typed(chat, "aad-sanne", "hallo", tenant=TENANT)
    await set_homes(chat.app, "GGZ Voorbeeld")
    await set_homes(chat.app, WIJKTEAM, tenant=TENANT)
    assert f"bij {WIJKTEAM} is verstuurd" in await typed(chat, "aad-sanne", "1", tenant=TENANT)


async def test_a_disabled_account_from_a_known_tenant_is_not_offered_to_ask(chat: Chat) -> None:
    await set_homes(chat.app, WIJKTEAM, tenant=TENANT)
    await link_address(chat.app, "wijkteam", "teams", "aad-willem")
    async with chat.app.sessions() as session, session.begin():
        await session.execute(
            update(Professional).where(Professional.handle == "wijkteam").values(active=False)
        )
    assert (await typed(chat, "aad-willem", "hallo", tenant=TENANT)).startswith(NOT_REGISTERED)
    async with chat.app.sessions() as session:
        assert await session.scalar(select(JoinRequest)) is None
