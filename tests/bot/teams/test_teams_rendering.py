"""How replies read in a Teams client: the Agents Playground in Debian's headless chromium, driven as a person
would (typing in its box, pressing the card's buttons, ticking a choice set), looked at on a desktop (1280 px)
and in a phone's column (420 px).

At each state the newest card is checked in the page itself: each line of the reply is its own line, below the
one before; nothing typed turns into markup; no button label is cut off; the card is no wider than its column and
nothing inside it overflows. The Playground's page does not go narrower than about 800 px, so for the phone the
card's own column is narrowed to 420 px, as a phone gives it. A screenshot of every state at both widths is
written to ``VHBOT_SCREENSHOTS`` (by default ``.screenshots/teams-playground`` in the checkout), for people to
look at.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement

from handlers.dates.clock import FixedClock
from tests.bot.teams.conftest import AAD, TENANT, TeamsBot
from tests.bot.teams.playground import Playground, node_or_skip
from tests.browser import chromium
from tests.conftest import AMSTERDAM, link_address
from tests.scripts import check_answers, referral_after_check
from tests.test_scenario import PLAN_ONE_ACTION

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = Path(os.environ.get("VHBOT_SCREENSHOTS") or ROOT / ".screenshots" / "teams-playground")
DESKTOP, PHONE = 1280, 420
TYPED_GOAL = "Gezin in **overlast** <b>neemt</b> toe"
WAIT_SECONDS = 20.0
# Measured in the page: the card's text blocks (top, bottom, text), labels wider than their button, whether the
# card overflows or is wider than its column, and any element that would be formatting.
_MEASURE = """
const card = arguments[0];
const column = card.closest('.ac-preview-panel').parentElement;
const blocks = [...card.querySelectorAll('.ac-richTextBlock')].map(block => {
  const box = block.getBoundingClientRect(); return [box.top, box.bottom, block.innerText];
});
const cut = [...card.querySelectorAll('button div, label')]
  .filter(item => item.scrollWidth > item.clientWidth + 1).map(item => item.innerText);
return {
  blocks: blocks,
  cut: cut,
  overflows: card.scrollWidth > card.clientWidth + 1,
  wider: card.getBoundingClientRect().width > column.getBoundingClientRect().width + 1,
  width: card.getBoundingClientRect().width,
  markup: [...card.querySelectorAll('b, strong, em, i, a, code, h1, h2, h3, ul, ol')].map(item => item.outerHTML),
};
"""


def plain(text: str) -> str:
    """Case numbers are shown with non-breaking hyphens; compared with plain ones."""
    return text.replace("\u2011", "-")


class Screen:
    """One Playground in the browser: typing, pressing, ticking, and looking at the newest card."""

    def __init__(self, driver: webdriver.Chrome, playground: Playground, shots: itertools.count[int]) -> None:
        self.driver = driver
        self.playground = playground
        self.shots = shots  # one numbering for everyone's screenshots, in the order the states were seen
        self.window = ""  # each person's Playground in a tab of its own

    async def open(self) -> None:
        def work() -> None:
            if self.driver.current_url.startswith("http"):  # the browser shows someone else's Playground
                self.driver.switch_to.new_window("tab")
            self.window = self.driver.current_window_handle
            self.driver.set_window_size(DESKTOP, 2400)  # tall enough that a long card is seen whole
            self.driver.get(f"http://127.0.0.1:{self.playground.port}/")
            self._wait(lambda: self.driver.find_elements(By.CSS_SELECTOR, "[data-lexical-editor='true']"))
            self.driver.find_element(By.CSS_SELECTOR, "button[title='Toggle Log Panel']").click()

        await asyncio.to_thread(work)

    @staticmethod
    def _wait(found: Any) -> Any:
        """Called in the browser's thread: poll until ``found`` gives something."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            result = found()
            if result:
                return result
            time.sleep(0.2)
        raise AssertionError("the Playground did not show it in time")

    def _front(self) -> None:
        """This person's Playground tab is the one the browser works in."""
        if self.driver.current_window_handle != self.window:
            self.driver.switch_to.window(self.window)

    def _cards(self) -> list[WebElement]:
        self._front()
        return self.driver.find_elements(By.CSS_SELECTOR, ".ac-adaptiveCard")

    async def type(self, text: str, then: str) -> WebElement:
        """Type ``text`` in the Playground's box and send it; the newest card once it contains ``then``."""

        def work() -> WebElement:
            before = len(self._cards())
            box = self.driver.find_element(By.CSS_SELECTOR, "[data-lexical-editor='true']")
            box.click()
            box.send_keys(text)
            self.driver.find_element(By.CSS_SELECTOR, "button[aria-label='Send Message']").click()
            return self._newest(before, then)

        return await asyncio.to_thread(work)

    def _newest(self, before: int, then: str) -> WebElement:
        def newest() -> WebElement | None:
            cards = self._cards()
            fresh = cards[before:] if len(cards) > before else []
            return next((card for card in reversed(fresh) if then in plain(card.text)), None)

        return self._wait(newest)  # type: ignore[no-any-return]

    async def press(self, card: WebElement, label: str, then: str) -> WebElement:
        """Press the card's button whose option is ``label``; the next card once it contains ``then``."""

        def work() -> WebElement:
            before = len(self._cards())
            buttons = card.find_elements(By.CSS_SELECTOR, "button")
            button = next(
                b for b in buttons if (b.get_attribute("aria-label") or "").split(". ")[-1] == label
            )
            button.click()
            return self._newest(before, then)

        return await asyncio.to_thread(work)

    async def tick(self, card: WebElement, labels: list[str], send: str, then: str) -> WebElement:
        """Tick these options of the card's choice set and press ``send``."""

        def work() -> WebElement:
            before = len(self._cards())
            for label in labels:
                option = card.find_element(By.XPATH, f".//label[contains(normalize-space(.), '{label}')]")
                option.click()
            card.find_element(By.CSS_SELECTOR, f"button[aria-label='{send}']").click()
            return self._newest(before, then)

        return await asyncio.to_thread(work)

    async def newest(self, then: str) -> WebElement:
        """The newest card that contains ``then``, once it is there (a message the bot sent by itself)."""

        def work() -> WebElement:
            return self._newest(0, then)

        return await asyncio.to_thread(work)

    async def pressable(self) -> int:
        """How many cards in the chat still have a button to press."""

        def work() -> int:
            return sum(1 for card in self._cards() if card.find_elements(By.CSS_SELECTOR, "button"))

        return await asyncio.to_thread(work)

    async def image_shown(self, card: WebElement) -> bool:
        """Whether the card shows a picture the browser could decode."""

        def work() -> bool:
            self._front()
            return bool(
                self.driver.execute_script(
                    "return [...arguments[0].querySelectorAll('img')].some(i => i.complete && i.naturalWidth > 0)",
                    card,
                )
            )

        return await asyncio.to_thread(work)

    async def look(self, card: WebElement, state: str) -> list[str]:
        """Check the card at both widths and keep a screenshot of each; its lines as shown."""

        def work() -> list[str]:
            self._front()
            lines: list[str] = []
            for width in (DESKTOP, PHONE):
                # The message bubble (its padding is 16 px a side) around the box the Playground gives a card.
                column = self.driver.execute_script(
                    "const box = arguments[0].closest('.ac-preview-panel').parentElement;"
                    "box.style.width = arguments[1]; box.style.maxWidth = arguments[1];"
                    "arguments[0].scrollIntoView({block: 'center'}); return box",
                    card,
                    f"{PHONE - 32}px" if width == PHONE else "",
                )
                assert column is not None
                seen = self.driver.execute_script(_MEASURE, card)
                card.screenshot(str(SCREENSHOTS / f"{next(self.shots):02d}-{state}-{width}px.png"))
                assert not seen["markup"], (state, width, seen["markup"])
                assert not seen["cut"], (state, width, seen["cut"])
                assert not seen["overflows"] and not seen["wider"], (state, width, seen["width"])
                if width == PHONE:
                    assert seen["width"] <= PHONE, (state, seen["width"])
                tops = [(top, bottom) for top, bottom, _ in seen["blocks"]]
                assert all(later[0] >= earlier[1] - 1 for earlier, later in itertools.pairwise(tops)), state
                lines = [plain(text) for _, _, text in seen["blocks"]]
            return lines

        return await asyncio.to_thread(work)


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    yield from chromium()


@pytest.fixture
async def screens(teams_bot: TeamsBot, tmp_path: Path, browser: webdriver.Chrome) -> AsyncIterator[Any]:
    node_or_skip()
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # only this run's states
    SCREENSHOTS.mkdir(parents=True)
    started: list[Playground] = []
    shots = itertools.count(1)

    async def open_for(handle: str) -> Screen:
        playground = Playground(tmp_path / f"playground-{handle}", teams_bot.url, handle, AAD[handle], TENANT)
        started.append(playground)
        await playground.start()
        screen = Screen(browser, playground, shots)
        await screen.open()
        return screen

    yield open_for
    for playground in started:
        await playground.stop()


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_replies_read_well_on_a_desktop_and_in_a_phones_column(
    screens: Any, teams_bot: TeamsBot, clock: FixedClock
) -> None:
    agent = await screens("agent")
    help_card = await agent.type("help", "Wat ik kan")
    lines = await agent.look(help_card, "help")
    assert lines[0] == "Wat ik kan (typ het woord):" and all(line.startswith("• ") for line in lines[1:])
    assert len(lines) >= 8  # one line per job, not one paragraph

    answers = dict(check_answers())
    card = await agent.type("check", "acuut gevaar")
    await agent.look(card, "check-buttons")
    told = await agent.type("misschien", "geen van de mogelijke antwoorden")
    await agent.look(told, "wrong-answer")
    card = await agent.newest("acuut gevaar")
    assert (
        await agent.pressable() == 1
    )  # the options stand once: in the question asked again, the old card closed
    for key in ("acuut", "huiselijk_geweld", "wvggz"):
        card = await agent.press(card, answers[key], "?")
    assert "leefgebieden" in card.text.lower()
    await agent.look(card, "check-multi-select")
    card = await agent.tick(card, ["wonen", "financiën", "psychisch"], "Versturen", "?")
    asked = [key for key, _ in check_answers()]
    for key in asked[asked.index("leefgebieden") + 1 : -1]:
        answered, card = card, await agent.type(answers[key], "?")
    # A typed answer closes its card as a press does: the question stays, what was understood under it, and no
    # buttons left.
    closed = await agent.look(answered, "answered-card")
    assert closed[-2].endswith("?") and closed[-1].startswith("Beantwoord: "), closed
    outcome = await agent.type(answers[asked[-1]], "Uitkomst")
    lines = await agent.look(outcome, "outcome")
    assert lines[0].startswith("Uitkomst: past waarschijnlijk") and lines.count("Waarom:") == 1

    *rest, confirm = referral_after_check(goal=TYPED_GOAL)
    card = await agent.type("ja", "?")
    for answer in rest:
        card = await agent.type(answer, "")
    lines = await agent.look(card, "referral-summary")
    assert any(TYPED_GOAL in line for line in lines)  # shown as typed, not formatted
    await agent.type(confirm, "VH-2026-0001")

    lines = await agent.look(await agent.type("status", "Uw aanmeldingen"), "status")
    assert lines[0] == "Uw aanmeldingen (1):" and lines[-1].startswith("Uw open acties")

    regisseur = await screens("regisseur")
    queue = await regisseur.type("intake", "VH-2026-0001")
    await regisseur.look(queue, "intake-queue")  # long labels: a list that wraps, not buttons cut off
    view = await regisseur.type("status VH-2026-0001", "Doel")
    lines = await regisseur.look(view, "case-view")
    assert any(line.startswith("Procesregisseur:") for line in lines)
    assert any(line.startswith("Gemeente:") for line in lines)  # on a line of its own, not run on
    assert f"Doel van de melder: {TYPED_GOAL}" in lines

    await regisseur.type("beoordeel VH-2026-0001", "Wat is uw besluit")
    await regisseur.type("accepteren", "?")
    await regisseur.type("Petra Regisseur", "geaccepteerd")
    await regisseur.type("plan VH-2026-0001", "?")
    for answer in PLAN_ONE_ACTION[:-1]:
        await regisseur.type(answer, "")
    await regisseur.type(PLAN_ONE_ACTION[-1], "vastgelegd")
    # Two working days before the deadline (on the tests' clock), 09:00: the reminder, answered with a press.
    clock.advance(datetime(2026, 12, 2, 9, 1, tzinfo=AMSTERDAM) - clock.now())
    reminder = await agent.newest("moet uiterlijk")
    await agent.look(reminder, "reminder")
    await agent.press(reminder, "gedaan", "staat op gedaan")
    closed = await agent.look(reminder, "reminder-answered")
    assert "Huisbezoek afleggen" in " ".join(closed) and closed[-1] == "Beantwoord: gedaan", closed
    listed = await agent.type("acties VH-2026-0001", "Actielijst")
    lines = await agent.look(listed, "action-list")
    (action,) = [line for line in lines if line.startswith("• #1 ")]
    assert "|" not in action and "VH-2026-0001" not in action and "uiterlijk" in action

    settings = await agent.type("instellingen", "Uw instellingen")
    lines = await agent.look(settings, "settings")
    assert lines[:4] == ["Uw instellingen:", "• Taal: Nederlands", "• Herinneringen: elk apart, zodra ze vallen",
                         "• Afwezig: nee"], lines  # a line each, as a list  # fmt: skip
    how = await agent.press(settings, "herinneringen", "Hoe wilt u uw herinneringen?")
    await agent.look(how, "settings-reminders")
    await agent.press(how, "één overzicht per dag", "Hoe laat")
    saved = await agent.type("half negen", "overzicht per werkdag om 08:30")
    await agent.look(saved, "settings-digest-saved")
    await agent.type("afwezig tot 4 januari", "Klopt dat?")
    away = await agent.type("ja", "Genoteerd")
    await agent.look(away, "away-saved")

    await link_address(teams_bot.app, "manager", "teams", AAD["manager"])
    manager = await screens("manager")
    figures = await manager.type("cijfers", "Kengetallen")
    lines = await manager.look(figures, "figures")
    assert "• de andere maanden: 0" in lines and not any(line.startswith("• januari") for line in lines)
    assert await manager.image_shown(figures)  # the chart, inside the card
    # A line per month and per count of 0 made 45 lines, 1,450 px tall at phone width; with the chart inside now
    # it is 28 lines and about 1,230 px.
    assert len(lines) <= 30, lines
