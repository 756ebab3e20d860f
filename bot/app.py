"""Wiring, done once: settings → engine → sessions → dispatcher."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.dispatcher import Dispatcher
from config.catalogue import Catalogue, load_catalogue
from config.definitions import load_definitions
from config.settings import Settings
from handlers.clock import Clock, SystemClock
from handlers.working_days import WorkingCalendar
from storage.db import create_engine, session_factory

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
    dispatcher: Dispatcher
    clock: Clock
    settings: Settings
    texts: Catalogue
    calendar: WorkingCalendar

    def now(self) -> datetime:
        """'Now' from the same clock the conversations use, for records the CLI creates."""
        return self.clock.now()

    async def close(self) -> None:
        await self.engine.dispose()


def build_app(settings: Settings, clock: Clock | None = None) -> App:
    engine = create_engine(settings.resolved_database_url, settings.database_schema, hide_parameters=True)
    sessions = session_factory(engine)
    clock = clock or SystemClock(settings.timezone)
    texts = load_catalogue(settings.default_language)
    calendar = WorkingCalendar.from_settings(settings)
    dispatcher = Dispatcher(sessions, settings, clock, texts, load_definitions(), calendar)
    return App(engine, sessions, dispatcher, clock, settings, texts, calendar)
