"""The identifying-details form page in a real browser (Debian's headless chromium, through its chromedriver), as
the person who got the link in Matrix opens it: filled in and sent once, a wrong attempt, a reused and an expired
link, and a page that holds nothing a browser could leak or run."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from urllib.parse import urlencode

import aiohttp
import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.wait import WebDriverWait
from sqlalchemy import select

from bot.app import App
from bot.channels.form_page import FormSite
from config.settings import Settings
from handlers.dates.clock import FixedClock
from handlers.identifying.forms import CARD
from storage.models import CaseSubject
from tests.bot.teams.connector import free_port
from tests.browser import chromium
from tests.conftest import Chat
from tests.seeding import form_token
from tests.test_scenario import refer_a_case
from tests.test_subject_forms import over_link_channel

TYPED = {"name": "Jan de Vries", "birth_date": "29-02-1980", "address": "Kerkstraat 12\n1234 AB Ergens"}


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    yield from chromium()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    port = free_port()
    return settings.model_copy(
        update={"public_url": f"http://127.0.0.1:{port}", "http_host": "127.0.0.1", "http_port": port}
    )


@pytest.fixture
async def site(chat: Chat) -> AsyncIterator[App]:
    """``vhbot serve``'s form site (as without Teams), listening on loopback."""
    pages, stop = FormSite(chat.app), asyncio.Event()
    task = asyncio.create_task(pages.run(stop))
    await asyncio.wait_for(pages.serving.wait(), 10)
    yield chat.app
    stop.set()
    await task


def link_in(answer: str) -> str:
    """The form page's link the bot handed out in ``answer``."""
    found = re.search(r"http://127\.0\.0\.1:\d+/forms/\S+", answer)
    assert found, answer
    return found[0]


async def link_for(chat: Chat) -> str:
    number = await refer_a_case(chat)
    return link_in(await over_link_channel(chat.app, "agent", f"gegevens {number}"))


class Page:
    """The browser, driven from a thread: the site it talks to runs on this test's event loop."""

    def __init__(self, driver: webdriver.Chrome) -> None:
        self.driver = driver

    async def open(self, url: str) -> None:
        await asyncio.to_thread(self.driver.get, url)

    async def fill_and_send(self, values: dict[str, str]) -> None:
        def work() -> None:
            for key, value in values.items():
                self.driver.find_element(By.ID, key).send_keys(value)
            send = self.driver.find_element(By.ID, "send")
            send.click()
            # The answer page has replaced the form. While it does, chromedriver may report the old node as
            # neither present nor stale ("does not belong to the document"): asked again, it is stale.
            wait = WebDriverWait(self.driver, 10, ignored_exceptions=(WebDriverException,))
            wait.until(staleness_of(send))

        await asyncio.to_thread(work)

    async def text_of(self, element_id: str) -> str:
        return await asyncio.to_thread(lambda: self.driver.find_element(By.ID, element_id).text)

    async def has(self, element_id: str) -> bool:
        return bool(await asyncio.to_thread(self.driver.find_elements, By.ID, element_id))

    async def source(self) -> str:
        return await asyncio.to_thread(lambda: self.driver.page_source)

    async def severe_console_messages(self) -> list[str]:
        entries = await asyncio.to_thread(self.driver.get_log, "browser")
        return [entry["message"] for entry in entries if entry["level"] == "SEVERE"]


async def stored(app: App) -> list[tuple[str, str, str]]:
    async with app.sessions() as session:
        return [
            (row.name, row.birth_date, row.address) for row in (await session.scalars(select(CaseSubject)))
        ]


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_a_link_from_the_chat_is_filled_in_once_in_the_browser(
    chat: Chat, site: App, browser: webdriver.Chrome
) -> None:
    url, page = await link_for(chat), Page(browser)
    await page.open(url)
    assert browser.title == "Gegevens betrokkene"
    labels = await asyncio.to_thread(
        lambda: [label.text for label in browser.find_elements(By.TAG_NAME, "label")]
    )
    assert labels == [
        "Naam (voor- en achternaam)",
        "Geboortedatum (dd-mm-jjjj)",
        "Adres (straat, huisnummer, postcode, plaats)",
    ]
    width = await asyncio.to_thread(
        lambda: browser.find_element(By.TAG_NAME, "body").value_of_css_property("max-width")
    )
    assert width == "576px"  # the page's own style is allowed by the Content Security Policy

    await page.fill_and_send(TYPED)
    assert "ontvangen en versleuteld opgeslagen" in await page.text_of("message")
    answer_page = await page.source()
    assert not any(value.split("\n")[0] in answer_page for value in TYPED.values())
    assert await stored(site) == [("Jan de Vries", "1980-02-29", "Kerkstraat 12\n1234 AB Ergens")]

    await page.open(url)  # the same link again: used
    assert "al verstuurd" in await page.text_of("message") and not await page.has("send")
    assert await page.severe_console_messages() == []


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_a_wrong_attempt_keeps_the_link_and_an_expired_link_opens_nothing(
    chat: Chat, site: App, browser: webdriver.Chrome, clock: FixedClock
) -> None:
    url, page = await link_for(chat), Page(browser)
    await page.open(url)
    await page.fill_and_send({**TYPED, "birth_date": "31-02-1980"})
    assert await page.text_of("error") == (
        "Nog niet verstuurd. Vul het formulier opnieuw in en let op:\n"
        "- Geboortedatum: die dag bestaat niet. Kijk dag en maand na (dag eerst)."
    )
    assert "Jan de Vries" not in await page.source()  # the form comes back empty
    assert await stored(site) == []
    await page.fill_and_send({**TYPED, "birth_date": "29021980"})  # what a phone's numeric keypad types
    assert "ontvangen" in await page.text_of("message")
    assert await stored(site) == [("Jan de Vries", "1980-02-29", "Kerkstraat 12\n1234 AB Ergens")]

    later = link_in(await over_link_channel(chat.app, "agent", "gegevens VH-2026-0001"))
    clock.advance(timedelta(minutes=16))
    await page.open(later)
    assert "verlopen" in await page.text_of("message") and not await page.has("send")
    await page.open(f"{later}x")
    assert "bestaat niet" in await page.text_of("message")


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_the_page_forbids_caching_framing_referrers_and_anything_from_elsewhere(
    chat: Chat, site: App
) -> None:
    url = await link_for(chat)
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        headers = response.headers
    assert headers["Cache-Control"] == "no-store" and headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy and "unsafe" not in policy


async def test_a_body_past_the_limit_is_refused_whether_or_not_it_says_its_length(
    site: App, chat: Chat
) -> None:
    url = await link_for(chat)
    padding = {"name": "Jan de Vries", "birth_date": "29-02-1980", "address": "x" * 20_000}

    async def chunked() -> AsyncIterator[bytes]:
        body = urlencode(padding).encode()
        for start in range(0, len(body), 1024):
            yield body[start : start + 1024]

    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    async with aiohttp.ClientSession() as http:
        async with http.post(url, data=urlencode(padding), headers=headers) as response:
            assert response.status == 413
        async with http.post(url, data=chunked(), headers=headers) as response:
            assert response.status == 413
        async with http.get(url) as response:
            assert "<form" in await response.text()  # refused without using the link up
    async with site.sessions() as session:
        assert (await session.scalars(select(CaseSubject))).all() == []


async def test_a_teams_cards_token_opens_nothing_on_the_page(site: App, chat: Chat) -> None:
    number = await refer_a_case(chat)
    card = await form_token(site, number, "agent", CARD)
    url = f"{site.settings.public_url}/forms/{card}"
    async with aiohttp.ClientSession() as http:
        async with http.get(url) as response:
            assert "bestaat niet" in await response.text()
        async with http.post(url, data=TYPED) as response:
            assert "bestaat niet" in await response.text()
    async with site.sessions() as session:
        assert (await session.scalars(select(CaseSubject))).all() == []


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_the_procesregisseur_reads_the_details_on_the_page_once(
    chat: Chat, site: App, browser: webdriver.Chrome
) -> None:
    url, page = await link_for(chat), Page(browser)
    await page.open(url)
    await page.fill_and_send(TYPED)
    await chat("regisseur", "beoordeel VH-2026-0001", "accepteren", "Petra Regisseur")
    view = link_in(await over_link_channel(chat.app, "regisseur", "inzien VH-2026-0001"))
    await page.open(view)
    assert browser.title == "Gegevens betrokkene (alleen lezen)"
    assert "Jan de Vries" not in await page.source() and not await page.has("details")
    await page.open(view)  # opening again (a preview, a second look) still shows only the button
    await page.fill_and_send({})
    listed = await page.text_of("details")
    assert "Jan de Vries" in listed and "29-02-1980" in listed and "1234 AB Ergens" in listed
    assert "nog een keer" in await page.text_of("message")
    await page.open(view)
    assert "al gebruikt" in await page.text_of("message") and "Jan de Vries" not in await page.source()
    assert await page.severe_console_messages() == []
