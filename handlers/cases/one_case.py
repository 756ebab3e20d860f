"""A conversation that needs one case and then does one thing with it: the case is typed after the entry word
or picked from the person's own short list (``gegevens``, ``inzien``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.authorization import Access, Rule
from handlers.cases.lookup import say_not_found, visible_case
from handlers.cases.picker import CasePick
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.state import NoState
from handlers.dialogue.turn import Turn
from storage.models import Case
from storage.people import Person


@dataclass(frozen=True)
class OneCase:
    """``kind`` names the conversation and its catalogue entries (``<kind>.pick``, ``<kind>.no_cases``);
    ``candidates`` are the cases offered when no number was typed; a case is found as ``visible_case`` does
    (at least ``need``, audited as ``event``) and only if ``allows`` it; ``act`` is what is done with it."""

    kind: str
    rule: Rule
    need: Access
    event: str
    allows: Callable[[AsyncSession, Person, Access, Case, datetime], Awaitable[bool]]
    candidates: Callable[[Turn], Awaitable[Sequence[Case]]]
    act: Callable[[Turn, Case], Awaitable[None]]

    def conversation(self) -> Conversation[NoState]:
        return Conversation(self.kind, self.rule, NoState, self._picking.start, self._picking.resume)

    @property
    def _picking(self) -> CasePick[NoState]:
        return CasePick(self.kind, NoState, self.candidates, self._act_on)

    async def _act_on(self, turn: Turn, number: str) -> None:
        async def allowed(case: Case, access: Access) -> bool:
            return await self.allows(turn.session, turn.person, access, case, turn.now())

        found = await visible_case(turn, number, self.need, self.event, allowed)
        if found is None:
            say_not_found(turn, number)
            return
        await self.act(turn, found[0])
