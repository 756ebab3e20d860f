"""The path a form's values take (a Teams form card, the form page): the counterpart of the dispatcher for
messages. Each opening or submit is one transaction; what was typed is handed on, never logged."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dispatcher import Identity
from config.catalogue import Catalogue
from handlers.dates.clock import Clock
from handlers.identifying.desk import FormAnswer, FormDeskContext
from handlers.identifying.submission import open_form, submit_form
from storage import people

log = logging.getLogger(__name__)


class FormDesk:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock, texts: Catalogue) -> None:
        self._sessions = sessions
        self._clock = clock
        self._texts = texts

    async def open(self, token: str) -> FormAnswer:
        """The form a link opens, empty."""
        return await self._in_transaction(lambda context: open_form(context, token))

    async def submit(
        self, token: str, values: Mapping[str, object], channel: str, sender: Identity | None = None
    ) -> FormAnswer:
        """Check and keep a form's values; ``sender`` where the channel knows who sent it (it must be the person
        the form was handed to)."""

        async def submit(context: FormDeskContext) -> FormAnswer:
            if sender is None:
                return await submit_form(context, token, values, channel)
            found = await people.sender(context.session, sender.channel, sender.address)
            # Someone the channel knows but the store does not (id 0 is nobody's): no form is theirs.
            return await submit_form(context, token, values, channel, found.id if found else 0)

        return await self._in_transaction(submit)

    async def _in_transaction(self, work: Callable[[FormDeskContext], Awaitable[FormAnswer]]) -> FormAnswer:
        try:
            async with self._sessions() as session, session.begin():
                context = FormDeskContext(session, self._texts, self._clock.now())
                return await work(context)
        except (SQLAlchemyError, OSError) as error:
            log.warning("store unavailable for a form: %s", type(error).__name__)
            language = self._texts.default_language
            return FormAnswer(language, message=self._texts.text(language, "subject.page.unavailable"))
