"""Identifying details through a form and never through chat: who gets a form, in what shape per channel, and
what a form's token opens (once, for a while, for its own person and case only), on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.app import App
from bot.channels.terminal import conversation_of, render
from bot.dispatcher import Dispatcher, Identity
from config.definitions import load_definitions
from config.settings import Settings
from handlers.dates.clock import FixedClock
from handlers.dialogue.messages import Incoming
from handlers.identifying.forms import CARD, LINK
from handlers.identifying.submission import read_birth_date
from storage import audit
from storage.models import CaseSubject
from tests.conftest import Chat
from tests.seeding import form_token
from tests.test_scenario import refer_a_case

PUBLIC = "https://vhbot.example.org"
GOOD = {"name": "Jan de Vries", "birth_date": "1980-02-29", "address": "Kerkstraat 12\n1234 AB Ergens"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"public_url": PUBLIC})


async def over_link_channel(app: App, handle: str, text: str, settings: Settings | None = None) -> str:
    """A message from a channel that hands out form links (as Matrix does), in the person's own chat."""
    dispatcher = Dispatcher(
        app.sessions, settings or app.settings, app.clock, app.texts, load_definitions(), app.calendar
    )
    incoming = Incoming(text, conversation_of(handle), private=True, channel="terminal", forms=LINK)
    replies = await dispatcher.handle(Identity("terminal", handle), incoming)
    return "\n".join(render(reply) for reply in replies)


def token_in(text: str) -> str:
    found = re.search(rf"{re.escape(PUBLIC)}/forms/(\S+)", text)
    assert found, text
    return found[1]


async def stored_subjects(app: App) -> list[tuple[str, str, str]]:
    async with app.sessions() as session:
        rows = (await session.scalars(select(CaseSubject))).all()
    return [(row.name, row.birth_date, row.address) for row in rows]


async def test_a_channel_without_forms_refers_without_identifying_details(chat: Chat) -> None:
    number = await refer_a_case(chat)
    registered = await chat("agent", f"gegevens {number}")
    assert "procesregisseur neemt voor VH-2026-0001 contact met u op" in registered
    assert "/forms/" not in registered


async def test_without_a_public_address_a_link_channel_refers_without_them(chat: Chat) -> None:
    number = await refer_a_case(chat)
    unconfigured = chat.app.settings.model_copy(update={"public_url": None})
    answer = await over_link_channel(chat.app, "agent", f"gegevens {number}", unconfigured)
    assert "procesregisseur neemt voor VH-2026-0001 contact met u op" in answer
    assert "http" not in answer


async def test_a_link_opens_an_empty_form_once_and_keeps_the_details_encrypted(chat: Chat) -> None:
    number = await refer_a_case(chat)
    assert "Gegevens betrokkene: nog niet ontvangen" in await chat("agent", f"status {number}")
    answer = await over_link_channel(chat.app, "agent", f"gegevens {number}")
    assert "15 minuten geldig" in answer
    token = token_in(answer)

    opened = await chat.app.forms.open(token)
    assert opened.form is not None and opened.language == "nl"
    assert [field.key for field in opened.form.fields] == ["name", "birth_date", "address"]
    assert (await chat.app.forms.open(token)).form is not None  # looking does not use it up

    wrong = await chat.app.forms.submit(
        token, {"name": " ", "birth_date": "31-02-1980", "address": "x"}, "web"
    )
    assert wrong.form is not None and wrong.form.error is not None
    assert wrong.form.error.splitlines() == [
        "Nog niet verstuurd. Vul het formulier opnieuw in en let op:",
        "- Naam: vul voor- en achternaam in.",
        "- Geboortedatum: die dag bestaat niet. Kijk dag en maand na (dag eerst).",
        "- Adres: vul straat, huisnummer, postcode en plaats in.",
    ]
    assert await stored_subjects(chat.app) == []

    sent = await chat.app.forms.submit(token, GOOD, "web")
    assert (
        sent.message
        == f"De gegevens van de betrokkene voor {number} zijn ontvangen en versleuteld opgeslagen."
    )
    assert await stored_subjects(chat.app) == [
        ("Jan de Vries", "1980-02-29", "Kerkstraat 12\n1234 AB Ergens")
    ]
    async with chat.app.sessions() as session:
        trail = await audit.entries_for_case(session, number)
    recorded = [entry for entry in trail if entry.event == "case.subject.record"]
    assert [(entry.channel, entry.on_behalf_of) for entry in recorded] == [
        ("web", "Politie Eenheid Voorbeeld")
    ]

    for again in (await chat.app.forms.open(token), await chat.app.forms.submit(token, GOOD, "web")):
        assert again.form is None and again.message is not None and "al verstuurd" in again.message


async def test_expired_altered_and_someone_elses_forms_open_nothing(chat: Chat, clock: FixedClock) -> None:
    number = await refer_a_case(chat)
    token = await form_token(chat.app, number, "agent")
    form_id, signature = token.split(".")
    other_ending = "AB" if signature.endswith("AA") else "AA"  # a signature changed, whatever it ended in
    for altered in (
        f"{int(form_id) + 1}.{signature}",
        f"{form_id}.{signature[:-2]}{other_ending}",
        form_id,
        "",
        "../x",
    ):
        closed = await chat.app.forms.submit(altered, GOOD, "web")
        assert closed.form is None and closed.message is not None and "bestaat niet" in closed.message
    someone_else = await chat.app.forms.submit(token, GOOD, "teams", Identity("terminal", "regisseur"))
    assert someone_else.form is None and "bestaat niet" in str(someone_else.message)
    # Only the token as issued: no leading zero, no digits of another script that int() would read alike.
    fullwidth = form_id.translate({ord(d): ord(d) - ord("0") + 0xFF10 for d in "0123456789"})
    for lookalike in (f"0{form_id}.{signature}", f"{fullwidth}.{signature}", f" {form_id}.{signature}"):
        assert "bestaat niet" in str((await chat.app.forms.open(lookalike)).message), lookalike

    clock.advance(timedelta(minutes=15))
    for late in (await chat.app.forms.open(token), await chat.app.forms.submit(token, GOOD, "web")):
        assert late.form is None and "verlopen" in str(late.message)
    assert await stored_subjects(chat.app) == []


async def test_only_the_melder_and_the_directing_procesregisseur_get_a_form(chat: Chat) -> None:
    number = await refer_a_case(chat)
    unknown = await over_link_channel(chat.app, "wijkteam", "gegevens VH-2026-0999")
    refused = await over_link_channel(chat.app, "wijkteam", f"gegevens {number}")
    assert refused == unknown.replace("0999", "0001")
    # The ketenmanager's role works with figures, not cases: refused before any case is looked up, in words
    # that are the same for a number that exists and one that does not.
    counts_only = await over_link_channel(chat.app, "manager", f"gegevens {number}")
    assert "alleen een melder of procesregisseur" in counts_only and number not in counts_only
    assert await over_link_channel(chat.app, "manager", "gegevens VH-2026-0999") == counts_only
    assert "/forms/" in await over_link_channel(chat.app, "regisseur", f"gegevens {number}")
    assert await stored_subjects(chat.app) == []


async def test_a_new_form_replaces_the_details_and_a_closed_case_takes_none(chat: Chat) -> None:
    number = await refer_a_case(chat)
    first = await form_token(chat.app, number, "agent")
    await chat.app.forms.submit(first, GOOD, "web")
    picked = await over_link_channel(chat.app, "agent", "gegevens")
    assert number in picked
    second = token_in(await over_link_channel(chat.app, "agent", "1"))
    await chat.app.forms.submit(second, {**GOOD, "address": "Nieuwe Weg 3, Ergens"}, "web")
    assert await stored_subjects(chat.app) == [("Jan de Vries", "1980-02-29", "Nieuwe Weg 3, Ergens")]

    third = await form_token(chat.app, number, "regisseur")
    await chat("regisseur", f"beoordeel {number}", "accepteren", "1")
    assert "afgesloten" in await chat("regisseur", f"casus {number}", "afsluiten", "doel bereikt", "ja")
    closed = await chat.app.forms.submit(third, {**GOOD, "name": "Iemand Anders"}, "web")
    assert closed.form is None and await stored_subjects(chat.app) == [
        ("Jan de Vries", "1980-02-29", "Nieuwe Weg 3, Ergens")
    ]


async def test_a_form_is_sent_only_from_where_it_was_handed_out(chat: Chat) -> None:
    """A card's token is no good on the page (which knows nobody), a link's is no good on Teams."""
    number = await refer_a_case(chat)
    card, link = (
        await form_token(chat.app, number, "agent", CARD),
        await form_token(chat.app, number, "agent"),
    )
    agent_on_teams = Identity("terminal", "agent")
    for wrong_place in (
        await chat.app.forms.open(card),
        await chat.app.forms.submit(card, GOOD, "web"),
        await chat.app.forms.submit(link, GOOD, "teams", agent_on_teams),
    ):
        assert wrong_place.form is None and "bestaat niet" in str(wrong_place.message)
    assert await stored_subjects(chat.app) == []
    assert "ontvangen" in str((await chat.app.forms.submit(card, GOOD, "teams", agent_on_teams)).message)
    assert "ontvangen" in str((await chat.app.forms.submit(link, GOOD, "web")).message)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("29-02-1980", date(1980, 2, 29)),
        ("29-2-1980", date(1980, 2, 29)),
        ("29021980", date(1980, 2, 29)),
        ("29.02.1980", date(1980, 2, 29)),
        ("29/02/1980", date(1980, 2, 29)),
        ("1980-02-29", date(1980, 2, 29)),  # what a date picker sends
        ("02-09-1980", date(1980, 9, 2)),  # day first, always
        ("", "missing"),
        ("29-02-80", "short_year"),
        ("290280", "short_year"),
        ("2921980", "format"),
        ("29 februari 1980", "format"),
        ("31-02-1980", "impossible"),
        ("29-02-1981", "impossible"),
        ("13-13-1980", "impossible"),
        ("01-01-2030", "future"),
        ("01-01-1850", "too_early"),
    ],
)
def test_a_date_of_birth_is_read_day_first_or_said_what_to_fix(typed: str, read: date | str) -> None:
    assert read_birth_date(typed, date(2026, 12, 1)) == read
