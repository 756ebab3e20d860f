"""A professional at Hydrogen, a real Matrix web client, in Debian's chromium: logged in through its login form,
invites accepted with its own button, every message typed in its composer and every reply read from its timeline
as it renders it (decrypted by its own olm). The built app is served from 127.0.0.1 by a process the test starts
and stops by id (``scripts/setup-node-tools`` builds it from npm's ``hydrogen-view-sdk`` into ``.node/hydrogen``).

Selenium blocks, and the bot runs in the test's event loop: every browser step runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.bot.matrix.homeserver import free_port

ROOT = Path(__file__).resolve().parents[3]
APP = ROOT / ".node" / "hydrogen"
DESKTOP, PHONE = (1280, 900), (420, 860)
# How long the timeline must stay still before a burst of replies counts as ended.
QUIET_SECONDS = float(os.environ.get("VHBOT_TEST_QUIET_SECONDS", "0.8"))
WAIT_SECONDS = 60.0
T = TypeVar("T")
# Hydrogen's own texts for a message it cannot read (EncryptedEventTile).
UNREADABLE = ("hasn't sent us the key", "Could not decrypt")


def app_or_skip() -> Path:
    if (APP / "index.html").exists():
        return APP
    reason = f"the Hydrogen web client is not built at {APP} (scripts/setup-node-tools builds it from npm)"
    if os.environ.get("VHBOT_REQUIRE_MATRIX_JS_SDK") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def serve_app() -> Iterator[str]:
    """The built client on a free loopback port, stopped by process id afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(app_or_skip())],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


@dataclass(frozen=True)
class Message:
    """One message as the timeline shows it: whether the person sent it, its text (as read, a case number's
    non-breaking hyphens as typed ones), and the HTML Hydrogen made of it."""

    own: bool
    text: str
    html: str


def until(check: Callable[[], T | None], what: str, seconds: float = WAIT_SECONDS) -> T:
    deadline = time.monotonic() + seconds
    while True:
        try:
            found = check()
        except (StaleElementReferenceException, WebDriverException):
            found = None  # the view re-rendered under us: look again
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"Hydrogen: no {what} within {seconds:.0f} s")
        time.sleep(0.1)


class HydrogenPerson:
    """One person's Hydrogen session in a browser of their own (its IndexedDB holds their device and keys)."""

    def __init__(self, driver: webdriver.Chrome, site: str, homeserver: str, user_id: str) -> None:
        self.driver = driver
        self.site = site
        self.homeserver = homeserver
        self.user_id = user_id

    async def _run(self, step: Callable[[], T]) -> T:
        return await asyncio.to_thread(step)

    async def log_in(self, password: str) -> None:
        await self._run(lambda: self._log_in(password))

    def _log_in(self, password: str) -> None:
        driver = self.driver
        driver.set_window_size(*DESKTOP)
        driver.get(f"{self.site}/index.html?hs={self.homeserver}#/login")
        username = until(lambda: driver.find_element(By.ID, "username"), "login form")
        username.send_keys(self.user_id.split(":")[0].removeprefix("@"))
        driver.find_element(By.ID, "password").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        until(
            lambda: driver.find_elements(By.CSS_SELECTOR, ".SessionView .RoomList"), "room list after login"
        )

    async def rooms(self) -> list[str]:
        """The names of the rooms and invites in the room list."""
        return await self._run(
            lambda: [
                element.text
                for element in self.driver.find_elements(By.CSS_SELECTOR, ".RoomList li .description .name")
            ]
        )

    async def open_room(self, index: int = 0) -> None:
        """Open a room of the list (an invite shows its Accept button; a joined room its timeline)."""
        await self._run(lambda: self._open_room(index))

    def _open_room(self, index: int) -> None:
        tiles = until(
            lambda: self.driver.find_elements(By.CSS_SELECTOR, ".RoomList li a"), "room in the list"
        )
        tiles[index].click()
        until(lambda: self.driver.find_elements(By.CSS_SELECTOR, ".RoomView, .InviteView"), "room view")

    async def accept_invite(self) -> str:
        """Open the invite in the list and accept it with Hydrogen's button; what the invite said."""
        return await self._run(self._accept_invite)

    def _accept_invite(self) -> str:
        driver = self.driver
        self._open_room(0)
        invite = until(lambda: driver.find_element(By.CSS_SELECTOR, ".InviteView_inviter"), "invite")
        said = invite.text
        driver.find_element(By.CSS_SELECTOR, ".InviteView_buttonRow button.primary:not(.destructive)").click()
        until(
            lambda: driver.find_elements(By.CSS_SELECTOR, ".RoomView .MessageComposer_input textarea"), "room"
        )
        return said

    def messages(self) -> list[Message]:
        script = """
            return [...document.querySelectorAll('.RoomView .Timeline_message')].map(li => {
                const body = li.querySelector('.Timeline_messageBody');
                const time = body ? body.querySelector('time') : null;
                const text = body ? body.innerText.slice(0, body.innerText.length - (time ? time.innerText.length : 0)) : '';
                return [li.classList.contains('own'), text.trim(), body ? body.innerHTML : ''];
            });
        """
        # Case numbers are shown with non-breaking hyphens (kept on one line); read as typed.
        shown = self.driver.execute_script(script)
        return [Message(own, text.replace("\u2011", "-"), html) for own, text, html in shown]

    def _received(self) -> list[Message]:
        return [message for message in self.messages() if not message.own]

    async def ask(self, *texts: str) -> list[Message]:
        """Type each text in the composer, the next one once the bot has started to answer (as a person does);
        the whole answer to the last one."""
        return await self._run(lambda: self._ask(texts))

    def _ask(self, texts: tuple[str, ...]) -> list[Message]:
        for text in texts[:-1]:
            before = len(self._received())
            self._type(text)
            until(lambda before=before: len(self._received()) > before, "reply")  # type: ignore[misc]
        before = len(self._received())
        self._type(texts[-1])
        return self._settled(before)

    def _type(self, text: str) -> None:
        composer = until(
            lambda: self.driver.find_element(By.CSS_SELECTOR, ".RoomView .MessageComposer_input textarea"),
            "composer",
        )
        composer.send_keys(text, Keys.ENTER)

    def _settled(self, before: int, seconds: float = WAIT_SECONDS) -> list[Message]:
        """The messages received after the first ``before`` once they stop coming."""
        until(lambda: len(self._received()) > before, "reply", seconds)
        count, still_since = len(self._received()), time.monotonic()
        while time.monotonic() - still_since < QUIET_SECONDS:
            time.sleep(0.1)
            now = len(self._received())
            if now != count:
                count, still_since = now, time.monotonic()
        return self._received()[before:]

    async def expect(self, fragment: str, seconds: float = WAIT_SECONDS) -> Message:
        """The first received message in the open room containing ``fragment``, once it is there."""
        return await self._run(
            lambda: until(
                lambda: next((m for m in self._received() if fragment in m.text), None),
                repr(fragment),
                seconds,
            )
        )

    async def first_received(self) -> str:
        """The text of the first message from someone else in the open room."""
        return await self._run(lambda: until(lambda: self._received(), "message")[0].text)

    async def unreadable(self) -> list[str]:
        return await self._run(
            lambda: [m.text for m in self.messages() if any(words in m.text for words in UNREADABLE)]
        )

    async def live_links(self) -> list[str]:
        """Every link Hydrogen made clickable in the messages the person received, as its address."""
        selector = ".RoomView .Timeline_message:not(.own) .Timeline_messageBody a[href]"
        return await self._run(
            lambda: [
                str(link.get_attribute("href"))
                for link in self.driver.find_elements(By.CSS_SELECTOR, selector)
            ]
        )

    async def screenshot(self, path: Path, size: tuple[int, int]) -> None:
        """The open room at a window of ``size``, scrolled to its end."""
        await self._run(lambda: self._screenshot(path, size))

    def _screenshot(self, path: Path, size: tuple[int, int]) -> None:
        self.driver.set_window_size(*size)
        time.sleep(0.5)
        self.driver.execute_script(
            "const s = document.querySelector('.Timeline_scroller'); if (s) s.scrollTop = s.scrollHeight;"
        )
        time.sleep(0.3)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(path))
        self.driver.set_window_size(*DESKTOP)
