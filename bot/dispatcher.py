"""Who is speaking, what do they want, which conversation: the one path every channel's messages take.

Each message is handled in one database transaction together with its dialogue state, so a crash or
a database error leaves nothing half-written, and a restart resumes where the person was.
"""

from __future__ import annotations

import contextlib
import logging
import time
import traceback
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.intents import IntentMatcher
from bot.moves import REGISTRY, answers, browsing, go_back, go_on, state_of, with_question
from bot.rate_limit import MessageRate
from bot.set_aside import aside_key, ask_again, where
from config.catalogue import Catalogue
from config.definitions import Definitions
from config.settings import Settings
from handlers.cases.lookup import LookupsExhausted
from handlers.conversations import help
from handlers.dates.clock import Clock
from handlers.dates.working_days import WorkingCalendar
from handlers.dialogue.messages import Incoming, Reply
from handlers.dialogue.registry import BACK, RESUME, STOP
from handlers.dialogue.state import DialogueState, OutdatedDialogue
from handlers.dialogue.turn import Turn
from handlers.joining import answer_newcomer
from handlers.plain_text import clean
from storage import dialogues, inbound, joins, people
from storage.dialogues import StoredDialogue
from storage.models import JoinStatus
from storage.people import SenderIn

log = logging.getLogger(__name__)

HELP = "help"
ALWAYS = (STOP, HELP, RESUME, BACK)


class ReceivedBefore(Exception):
    """The message was handled before: this handling of it is rolled back."""


@dataclass(frozen=True)
class Identity:
    """How a channel knows the sender: 'terminal' + handle, 'matrix' + user id, 'teams' + AAD object id."""

    channel: str
    address: str


def _replies_of(kept: list[dict[str, Any]] | None) -> list[Reply]:
    return [Reply.from_json(data) for data in kept or []]


class Dispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        clock: Clock,
        texts: Catalogue,
        definitions: Definitions,
        calendar: WorkingCalendar,
        one_at_a_time: AbstractAsyncContextManager[Any] | None = None,
    ) -> None:
        self._sessions = sessions
        # Around each message's transaction (storage.db.one_writer): SQLite's one writer, queued here.
        self._one_at_a_time = one_at_a_time or contextlib.nullcontext()
        self._settings = settings
        self._clock = clock
        self._texts = texts
        self._definitions = definitions
        self._intents = IntentMatcher(REGISTRY.entry_words(texts))
        self._calendar = calendar
        self._message_rate = MessageRate(settings.rate_messages_per_minute, timedelta(minutes=1))
        # The language of whoever wrote recently, for the one line a flood gets without asking the store.
        self._languages: dict[Identity, str] = {}
        # The conversation kind a message went to, for the metrics (a label with a handful of values).
        self._kinds: dict[Identity, str] = {}

    async def handle(self, identity: Identity, incoming: Incoming) -> list[Reply]:
        """Replies for one message; never raises, never shows a traceback to the person."""
        started = time.perf_counter()
        outcome, replies = await self._outcome(identity, incoming)
        metrics.MESSAGES.labels(incoming.channel, self._kinds.pop(identity, "none"), outcome).inc()
        metrics.HANDLING.labels(incoming.channel).observe(time.perf_counter() - started)
        return replies

    async def _outcome(self, identity: Identity, incoming: Incoming) -> tuple[str, list[Reply]]:
        """How the message went (a word for the metrics) and the replies."""
        if not self._message_rate.allow(f"{identity.channel}:{identity.address}", self._clock.now()):
            language = self._languages.get(identity, self._texts.default_language)
            metrics.RATE_LIMITED.labels("messages").inc()
            return "rate_limited", [Reply(self._texts.text(language, "rate.messages"))]
        incoming = replace(incoming, text=clean(incoming.text))
        try:
            async with self._one_at_a_time, self._sessions() as session, session.begin():
                replies = await self._handle(session, identity, incoming)
                if incoming.message_id is not None and not await self._recorded(
                    session, incoming, incoming.message_id, replies
                ):
                    raise ReceivedBefore
                return "answered", replies
        except ReceivedBefore:
            return "answered", await self._earlier_answer(incoming) or []
        except (SQLAlchemyError, OSError) as error:
            # A copy handled at the same moment as the first (by another process) may collide with it in the store;
            # a lost connection is not looked into again (that would only double the wait for the line below).
            collided = isinstance(error, DBAPIError) and not error.connection_invalidated
            if collided and (earlier := await self._earlier_answer(incoming)) is not None:
                return "answered", earlier
            log.warning(
                "store unavailable while handling a %s message: %s", incoming.channel, type(error).__name__
            )
            return "store_unavailable", [
                Reply(self._texts.text(self._texts.default_language, "error.unavailable"))
            ]
        except Exception as error:  # noqa: BLE001 - the person gets a polite line; the log gets the place
            log.error(
                "handling failed: %s\n%s",
                type(error).__name__,
                "".join(traceback.format_tb(error.__traceback__)),
            )
            return "error", [Reply(self._texts.text(self._texts.default_language, "error.internal"))]

    async def language_of(self, identity: Identity) -> str | None:
        """The language of a registered, active professional; None for anyone else (whom a channel ignores
        where it can, e.g. by declining their invites)."""
        async with self._sessions() as session:
            found = await people.sender(session, identity.channel, identity.address)
        return found.language if found is not None and found.active else None

    async def may_write_first(self, identity: Identity) -> bool:
        """Whether a channel should keep this chat for writing first: the person is registered and active, or has
        an open request to join (and is to be told the decision there)."""
        async with self._sessions() as session:
            found = await people.sender(session, identity.channel, identity.address)
            if found is not None:
                return found.active
            request = await joins.of(session, identity.channel, identity.address)
        return request is not None and request.status in (JoinStatus.ASKING, JoinStatus.PENDING)

    async def welcomes(self, identity: Identity, home: str) -> bool:
        """Whether a channel should let this person reach the bot (a Matrix invite): they are registered and
        active, or their tenant or homeserver is a known organisation's (they may ask to join)."""
        async with self._sessions() as session:
            found = await people.sender(session, identity.channel, identity.address)
            if found is not None and found.active:
                return True
            return bool(await people.organisations_at(session, identity.channel, home))

    async def homes(self, channel: str) -> set[str]:
        """The tenants (or homeservers) the organisations name: their people may reach the bot."""
        async with self._sessions() as session:
            return await people.homes(session, channel)

    async def open_questions(self, identity: Identity, conversation: str) -> set[str]:
        """The fingerprints of the questions open in this conversation, in front or set aside, so a channel can
        tell a stale card before handing the answer in (handling checks it again, in its own transaction) and close
        the cards of questions that have ended."""
        async with self._sessions() as session:
            found = await self._active_sender(session, identity, conversation)
        if found is None:
            return set()
        fingerprints = set()
        for stored in (found.dialogue, found.aside):
            if stored is None or not self._fresh(stored):
                continue
            try:
                fingerprints.add(state_of(stored).fingerprint())
            except OutdatedDialogue:
                continue
        return fingerprints

    async def delivered(self, channel: str, message_id: str) -> None:
        """The channel has sent the answer to this message; its text need not be kept any longer."""
        async with self._sessions() as session, session.begin():
            await inbound.delivered(session, channel, message_id)

    async def unanswered(self, channel: str) -> list[tuple[str, str, list[Reply]]]:
        """(message id, conversation, replies) of messages handled before a stop whose answer was not sent."""
        async with self._sessions() as session:
            records = await inbound.unanswered(session, channel)
        return [(r.message_id, r.conversation, _replies_of(r.replies)) for r in records]

    async def _recorded(
        self, session: AsyncSession, incoming: Incoming, message_id: str, replies: list[Reply]
    ) -> bool:
        """The message recorded as handled, with its answer, in the transaction of its handling: False when a
        channel delivered it before (after a restart, a retry), whose handling is then rolled back. Recorded
        last, in one statement with the answer: a message is new far more often than it is a copy."""
        answer = [reply.to_json() for reply in replies]
        return await inbound.record(
            session, incoming.channel, message_id, incoming.conversation, self._clock.now(), answer
        )

    async def _earlier_answer(self, incoming: Incoming) -> list[Reply] | None:
        """For a message a channel delivered before: the answer kept of it, if it was never sent (nothing once it
        was). None for a message never received, or when the store cannot tell."""
        if incoming.message_id is None:
            return None
        try:
            async with self._sessions() as session:
                earlier = await inbound.earlier_answer(session, incoming.channel, incoming.message_id)
        except (SQLAlchemyError, OSError):
            return None
        return None if earlier is None else _replies_of(earlier)

    @staticmethod
    async def _active_sender(session: AsyncSession, identity: Identity, conversation: str) -> SenderIn | None:
        """The registered professional (and organisation) behind this identity, if their access is active, with
        their dialogue in this conversation and the one they set aside there."""
        found = await people.sender_in(
            session, identity.channel, identity.address, conversation, aside_key(conversation)
        )
        return found if found is not None and found.author.active else None

    async def _handle(self, session: AsyncSession, identity: Identity, incoming: Incoming) -> list[Reply]:
        found = await self._active_sender(session, identity, incoming.conversation)
        if found is None:
            return await answer_newcomer(session, self._texts, identity.address, incoming, self._clock.now())
        person, stored, kept_aside = found.author, found.dialogue, found.aside
        self._languages[identity] = person.language
        if person.last_seen_at is None or person.last_seen_at.date() < self._clock.now().date():
            await people.seen(session, person.id, self._clock.now())  # once a day at most
        turn = Turn(
            session,
            person,
            incoming,
            self._clock,
            self._settings,
            self._texts,
            self._definitions,
            self._calendar,
            REGISTRY.help_lines,
        )
        if not incoming.text:  # an empty line inside a dialogue shows its open question again
            question = self._open_question(stored)
            turn.say("input.empty_open" if question else "input.empty")
            turn.replies += [question] if question else []
            return turn.replies
        if len(incoming.text) > self._settings.max_message_length:
            turn.say("input.too_long", limit=self._settings.max_message_length)
            return turn.replies
        if not incoming.private:
            turn.say("access.private_only")
            return turn.replies
        intent, argument = self._intents.match(incoming.text)
        state = self._live_state(turn, stored)
        aside = aside_before = self._aside_state(kept_aside)
        self._kinds[identity] = state.kind if state is not None and intent is None else intent or "none"
        if incoming.answers is not None and (state is None or state.fingerprint() != incoming.answers):
            if aside is None or aside.fingerprint() != incoming.answers:
                turn.say("input.stale_button")
                return turn.replies
            state, aside = (
                aside,
                state,
            )  # a button of the card of the dialogue set aside: it goes on from there
        try:
            next_state, aside = await self._route(turn, state, aside, intent, argument)
        except LookupsExhausted:
            metrics.RATE_LIMITED.labels("lookups").inc()
            turn.replies = []
            turn.say("rate.lookups")
            return turn.replies
        if next_state is None and aside is not None:
            turn.say("dialogue.aside", where=where(turn, REGISTRY, aside))
        await self._store_state(turn, stored, next_state, incoming.conversation)
        # The one set aside is written only when it changed: it goes stale from when it was set aside.
        if aside is not aside_before or (aside is None and kept_aside is not None):
            await self._store_state(turn, kept_aside, aside, aside_key(incoming.conversation))
        return with_question(turn.replies, next_state)

    def _open_question(self, stored: StoredDialogue | None) -> Reply | None:
        """The question the person's dialogue here waits on, as it was asked; None when none is open."""
        if stored is None or not self._fresh(stored):
            return None
        try:
            asked = state_of(stored).asked
        except OutdatedDialogue:
            return None
        return Reply.from_json(asked) if asked is not None else None

    def _aside_state(self, kept: StoredDialogue | None) -> DialogueState[Any] | None:
        """The dialogue set aside, while it is fresh and fits this version (else it is let go without a word)."""
        if kept is None or not self._fresh(kept):
            return None
        try:
            return state_of(kept)
        except OutdatedDialogue:
            return None

    def _fresh(self, stored: StoredDialogue) -> bool:
        timeout = timedelta(minutes=self._settings.dialogue_timeout_minutes)
        return stored.updated_at + timeout >= self._clock.now()

    def _live_state(self, turn: Turn, stored: StoredDialogue | None) -> DialogueState[Any] | None:
        """The stored dialogue, unless it has gone stale or no longer fits this version (then the person is told,
        and it is dropped)."""
        if stored is None:
            return None
        try:
            state = state_of(stored)
        except OutdatedDialogue:
            turn.say("dialogue.outdated")
            return None
        if not self._fresh(stored):
            metrics.EXPIRED_DIALOGUES.inc()
            if not state.left_by_notice:  # a notice's question nobody began to answer ends without a word
                turn.say("dialogue.expired")
            return None
        return state

    async def _route(
        self,
        turn: Turn,
        state: DialogueState[Any] | None,
        aside: DialogueState[Any] | None,
        intent: str | None,
        argument: str,
    ) -> tuple[DialogueState[Any] | None, DialogueState[Any] | None]:
        """The dialogue to keep in front after this message, and the one to keep aside."""
        if intent == STOP and not answers(turn, state):  # 'annuleren' may be an option, the action's cancel
            turn.say("dialogue.stopped" if state or aside else "dialogue.nothing_to_stop")
            return None, None  # the one set aside stops too: 'stop' leaves nothing half-way
        if intent == RESUME and not answers(turn, state):
            if aside is None:
                turn.say("dialogue.nothing_aside")
                return state, None
            ask_again(turn, REGISTRY, aside)
            return aside, state if state is not None and not state.left_by_notice else None
        if state is not None and intent == HELP:  # help, then the question that waits, as it was asked
            turn.say_lines([*REGISTRY.help_lines(turn), "", turn.t("dialogue.still_open")])
            turn.replies += [Reply.from_json(state.asked)] if state.asked is not None else []
            return state, aside
        if intent == BACK and not answers(turn, state):  # 'terug' may be an option, a reminder's
            return go_back(turn, state), aside
        try:
            if state is not None and not self._leaves_dialogue(turn, state, intent):
                return await go_on(turn, state), aside
        except OutdatedDialogue:
            turn.say("dialogue.outdated")
            return None, aside
        conversation = REGISTRY.get(intent) if intent else None
        if conversation is None:
            help.not_understood(turn, REGISTRY.examples(turn))
            return None, aside
        if not conversation.rule.allows(turn.person):
            turn.say(conversation.rule.refusal)
            return state, aside  # the open question stays open
        if state is not None and not state.left_by_notice and not browsing(state):
            # A dialogue the person began waits while the other job is done (a reminder's question does not, nor
            # a list that only offered to act on what it showed).
            turn.say("dialogue.set_aside", where=where(turn, REGISTRY, state))
            aside = state
        return await conversation.start(turn, argument), aside

    def _leaves_dialogue(self, turn: Turn, state: DialogueState[Any], intent: str | None) -> bool:
        """An entry word starts another conversation only where it cannot be an answer to the open question."""
        if intent is None or intent in ALWAYS:
            return False
        return bool(state.offered) and not answers(turn, state)

    @staticmethod
    async def _store_state(
        turn: Turn, stored: StoredDialogue | None, state: DialogueState[Any] | None, key: str
    ) -> None:
        """Keep ``state`` as the dialogue under ``key`` (the conversation, or where it keeps one set aside)."""
        if state is None:
            if stored is not None:
                await dialogues.end(turn.session, stored)
            return
        await dialogues.save(
            turn.session,
            stored,
            person_id=turn.person.id,
            conversation=key,
            kind=state.kind,
            step=state.step,
            data=state.to_stored(),
            now=turn.now(),
        )
