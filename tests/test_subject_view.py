"""Reading a case's identifying details (issue 18): only the procesregisseur directing the open case, or their
stand-in, once per link or card, never in chat text, every read audited; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import App
from bot.dispatcher import Identity
from config.settings import Settings
from handlers.dates.clock import FixedClock
from handlers.identifying.forms import CARD
from storage import audit, people, stand_ins
from storage.models import CaseSubject, SubjectForm
from storage.subjects import READ
from tests.conftest import Chat
from tests.seeding import form_token
from tests.test_scenario import refer_a_case
from tests.test_subject_forms import GOOD, PUBLIC, over_link_channel, token_in

SHOWN = (
    ("Casus", "VH-2026-0001"),
    ("Naam (voor- en achternaam)", "Jan de Vries"),
    ("Geboortedatum", "29-02-1980"),
    ("Adres (straat, huisnummer, postcode, plaats)", "Kerkstraat 12\n1234 AB Ergens"),
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"public_url": PUBLIC})


async def accepted_with_details(chat: Chat) -> str:
    """A referral the procesregisseur accepted, whose melder sent the betrokkene's details through the form."""
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    sent = await chat.app.forms.submit(await form_token(chat.app, number, "agent"), GOOD, "web")
    assert sent.message and "ontvangen" in sent.message
    return number


async def read_events(app: App, number: str) -> list[tuple[str, str | None]]:
    async with app.sessions() as session:
        trail = await audit.entries_for_case(session, number)
    return [
        (entry.event, entry.on_behalf_of) for entry in trail if entry.event.startswith("case.subject.read")
    ]


async def test_the_directing_procesregisseur_reads_the_details_once_and_it_is_audited(chat: Chat) -> None:
    number = await accepted_with_details(chat)
    assert f"typ 'inzien {number}'" in await chat("regisseur", f"status {number}")
    answer = await over_link_channel(chat.app, "regisseur", f"inzien {number}")
    assert "5 minuten geldig" in answer and "Jan de Vries" not in answer
    token = token_in(answer)

    for _ in range(2):  # a link preview or a second look shows the button only and spends nothing
        opened = await chat.app.forms.open(token)
        assert opened.form is not None and opened.form.fields == () and not opened.details
        assert opened.form.submit == "Toon de gegevens"
    assert await read_events(chat.app, number) == []

    shown = await chat.app.forms.submit(token, {}, "web")
    assert shown.details == SHOWN and shown.form is None
    assert await read_events(chat.app, number) == [
        ("case.subject.read", "Zorg- en Veiligheidshuis Voorbeeldregio")
    ]
    for again in (await chat.app.forms.open(token), await chat.app.forms.submit(token, {}, "web")):
        assert not again.details and "al gebruikt" in str(again.message)


async def test_a_view_link_writes_nothing_and_an_entry_form_shows_nothing(chat: Chat) -> None:
    number = await accepted_with_details(chat)
    token = token_in(await over_link_channel(chat.app, "regisseur", f"inzien {number}"))
    other = {"name": "Iemand Anders", "birth_date": "01-01-1990", "address": "Elders 1"}
    assert (await chat.app.forms.submit(token, other, "web")).details == SHOWN
    async with chat.app.sessions() as session:
        assert [row.name for row in await session.scalars(select(CaseSubject))] == ["Jan de Vries"]
    entry = token_in(await over_link_channel(chat.app, "regisseur", f"gegevens {number}"))
    assert (await chat.app.forms.open(entry)).form is not None
    assert not (await chat.app.forms.submit(entry, GOOD, "web")).details


async def test_nobody_else_reads_them_and_the_melder_sees_only_that_they_are_in(chat: Chat) -> None:
    number = await accepted_with_details(chat)
    status = await chat("agent", f"status {number}")
    assert "Gegevens betrokkene: ontvangen" in status and "Jan de Vries" not in status
    assert "procesregisseur" in await over_link_channel(chat.app, "agent", f"inzien {number}")
    assert "procesregisseur" in await over_link_channel(chat.app, "manager", f"inzien {number}")
    unknown = await over_link_channel(chat.app, "regisseur2", "inzien VH-2026-0999")
    assert await over_link_channel(chat.app, "regisseur2", f"inzien {number}") == unknown.replace(
        "0999", "0001"
    )
    async with chat.app.sessions() as session:
        assert (await session.scalar(select(SubjectForm.id).where(SubjectForm.purpose == "read"))) is None


async def test_a_stand_in_reads_on_behalf_of_the_absent_procesregisseur(
    chat: Chat, clock: FixedClock
) -> None:
    number = await accepted_with_details(chat)
    async with chat.app.sessions() as session, session.begin():
        absent = await people.professional_by_handle(session, "regisseur")
        colleague = await people.professional_by_handle(session, "regisseur2")
        assert absent is not None and colleague is not None
        await stand_ins.start(session, absent.id, colleague.id, clock.now(), clock.now() + timedelta(days=7))
    token = token_in(await over_link_channel(chat.app, "regisseur2", f"inzien {number}"))
    assert (await chat.app.forms.submit(token, {}, "web")).details == SHOWN
    assert await read_events(chat.app, number) == [("case.subject.read", audit.for_person(absent.id))]


async def test_a_link_handed_out_earlier_opens_nothing_once_the_case_is_closed_or_handed_on(
    chat: Chat,
) -> None:
    number = await accepted_with_details(chat)
    before_closing = token_in(await over_link_channel(chat.app, "regisseur", f"inzien {number}"))
    await chat("regisseur", f"casus {number}", "afsluiten", "doel bereikt", "ja")
    refused = await chat.app.forms.submit(before_closing, {}, "web")
    assert not refused.details and "bestaat niet" in str(refused.message)
    assert await read_events(chat.app, number) == [
        ("case.subject.read.refused", "Zorg- en Veiligheidshuis Voorbeeldregio")
    ]
    assert f"inzien {number}" not in await chat("regisseur", f"status {number}")
    assert "Ik kan geen casus" in await over_link_channel(chat.app, "regisseur", f"inzien {number}")


async def test_expired_and_missing_details_and_the_terminal_say_what_to_do(
    chat: Chat, clock: FixedClock
) -> None:
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    assert f"'gegevens {number}'" in await over_link_channel(chat.app, "regisseur", f"inzien {number}")
    await chat.app.forms.submit(await form_token(chat.app, number, "agent"), GOOD, "web")
    assert "terminal kan ik de gegevens" in await chat("regisseur", f"inzien {number}")
    unconfigured = chat.app.settings.model_copy(update={"public_url": None})
    assert "VHBOT_PUBLIC_URL" in await over_link_channel(
        chat.app, "regisseur", f"inzien {number}", unconfigured
    )
    token = token_in(await over_link_channel(chat.app, "regisseur", f"inzien {number}"))
    clock.advance(timedelta(minutes=5))
    late = await chat.app.forms.submit(token, {}, "web")
    assert not late.details and "verlopen" in str(late.message) and "inzien" in str(late.message)
    picked = await over_link_channel(chat.app, "regisseur", "inzien")
    assert "Van welke casus" in picked and number in picked


async def test_on_teams_a_card_shows_them_to_its_own_person_only(chat: Chat) -> None:
    number = await accepted_with_details(chat)
    async with chat.app.sessions() as session, session.begin():
        regisseur = await people.professional_by_handle(session, "regisseur")
        assert regisseur is not None
        await people.set_address(session, regisseur.id, "teams", "aad-regisseur")
    card_token = await form_token(chat.app, number, "regisseur", CARD, READ)
    assert "bestaat niet" in str(
        (await chat.app.forms.submit(card_token, {}, "web")).message
    )  # not on the page
    forwarded = await chat.app.forms.submit(card_token, {}, "teams", Identity("teams", "aad-someone"))
    assert not forwarded.details
    shown = await chat.app.forms.submit(card_token, {}, "teams", Identity("teams", "aad-regisseur"))
    assert shown.details == SHOWN
    # What the card says under them speaks of the card, not of a page or a link.
    assert (
        "kaart" in str(shown.message)
        and "pagina" not in str(shown.message)
        and "link" not in str(shown.message)
    )


async def test_during_intake_only_the_procesregisseur_screening_it_reads_them(
    chat: Chat, clock: FixedClock
) -> None:
    """Every procesregisseur may screen the unassigned queue; who it is about is read only by the one who
    opened the referral for screening, or by whoever stands in for them."""
    number = await refer_a_case(chat)
    await chat.app.forms.submit(await form_token(chat.app, number, "agent"), GOOD, "web")
    unknown = await over_link_channel(chat.app, "regisseur", "inzien VH-2026-0999")
    not_yet = await over_link_channel(chat.app, "regisseur", f"inzien {number}")
    assert not_yet == unknown.replace("0999", "0001")  # nobody screens it yet
    await chat("regisseur2", f"beoordeel {number}", "later beoordelen")
    elsewhere = await over_link_channel(chat.app, "regisseur", f"inzien {number}")
    assert elsewhere == unknown.replace("0999", "0001")
    token = token_in(await over_link_channel(chat.app, "regisseur2", f"inzien {number}"))
    assert (await chat.app.forms.submit(token, {}, "web")).details == SHOWN
    async with chat.app.sessions() as session, session.begin():
        screener = await people.professional_by_handle(session, "regisseur2")
        colleague = await people.professional_by_handle(session, "regisseur")
        assert screener is not None and colleague is not None
        await stand_ins.start(
            session, screener.id, colleague.id, clock.now(), clock.now() + timedelta(days=3)
        )
    standing_in = token_in(await over_link_channel(chat.app, "regisseur", f"inzien {number}"))
    assert (await chat.app.forms.submit(standing_in, {}, "web")).details == SHOWN
    assert await read_events(chat.app, number) == [
        ("case.subject.read", "Zorg- en Veiligheidshuis Voorbeeldregio"),
        ("case.subject.read", audit.for_person(screener.id)),
    ]
