"""Wiring, done once: settings → engine → sessions → dispatcher (the last made when first needed)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from config.catalogue import Catalogue, load_catalogue
from config.definitions import load_definitions
from config.files import use_site
from config.settings import Settings
from handlers.dates.clock import Clock, SystemClock
from handlers.identifying.names import first_names
from storage import keys
from storage.crypto import Keyring
from storage.db import create_engine, one_writer, session_factory

if TYPE_CHECKING:
    from bot.dispatcher import Dispatcher
    from bot.forms import FormDesk
    from handlers.dates.working_days import WorkingCalendar

log = logging.getLogger(__name__)

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    """Run the program's main coroutine on uvloop where it is installed, else on asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


@dataclass
class App:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    settings: Settings
    texts: Catalogue
    keyring: Keyring
    # What this process's housekeeping finds wrong while it goes on serving (a purge the database refuses), for
    # /readyz to show: step -> what is wrong.
    warnings: dict[str, str] = field(default_factory=dict)

    @cached_property
    def calendar(self) -> WorkingCalendar:
        """Made when first needed: the holidays (importing and computing them) are not for commands that plan
        nothing."""
        from handlers.dates.working_days import WorkingCalendar

        return WorkingCalendar.from_settings(self.settings)

    @cached_property
    def dispatcher(self) -> Dispatcher:
        """Made when first needed: importing every conversation is not for commands that take no messages."""
        from bot.dispatcher import Dispatcher

        return Dispatcher(
            self.sessions,
            self.settings,
            self.clock,
            self.texts,
            load_definitions(),
            self.calendar,
            one_writer(self.engine),
        )

    @cached_property
    def forms(self) -> FormDesk:
        from bot.forms import FormDesk

        return FormDesk(self.sessions, self.clock, self.texts)

    def now(self) -> datetime:
        """'Now' from the same clock the conversations use, for records the CLI creates."""
        return self.clock.now()

    async def open(self, announce: bool = True) -> Path | None:
        """Before anything is read: every key the store is written with must be configured and right (else
        StoreKeyError); a new installation gets its key file here, which is returned (and logged, unless the
        caller tells the person itself in their own language)."""
        created = not self.keyring.keys
        async with self.sessions() as session, session.begin():
            if await keys.is_set_up(session):
                await keys.verify(session, self.keyring, self.now())
            elif created:
                self.keyring.create_file()
        if not (created and self.keyring.keys):
            return None
        if announce:
            log.warning(
                "created a new encryption key in %s: back it up apart from the database, without it the store "
                "cannot be read",
                self.keyring.file,
            )
        return self.keyring.file

    async def close(self) -> None:
        await self.engine.dispose()


def load_keyring(settings: Settings) -> Keyring:
    if settings.encryption_keys is not None:
        return Keyring.from_environment(settings.encryption_keys.get_secret_value())
    return Keyring.from_file(settings.resolved_key_file)


def build_app(settings: Settings, clock: Clock | None = None) -> App:
    keyring = load_keyring(settings)
    engine = create_engine(
        settings.resolved_database_url, settings.database_schema, keyring, hide_parameters=True
    )
    sessions = session_factory(engine)
    clock = clock or SystemClock(settings.timezone, settings.clock_offset)
    use_site(settings.config_dir)
    texts = load_catalogue(settings.default_language)
    load_definitions()  # read now: a ZVH's own file that does not read stops the start, naming it
    first_names()
    return App(engine, sessions, clock, settings, texts, keyring)
