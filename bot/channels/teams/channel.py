"""The Teams channel's listening side: ``POST /api/messages`` on aiohttp, through the Agents SDK's adapter.

Every activity is checked in the same order: which tenant (allow-list), which kind of conversation (only the
personal chat gets anything but a pointer to it), which person (the dispatcher knows who is registered). The
personal chat's conversation reference is kept in the case store, for proactive messages from any process.
Teams gives a turn about 15 seconds: an answer that takes longer is acknowledged and sent when it is ready.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

import aiohttp
from aiohttp import web
from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    Attachment,
    ConversationReference,
)
from microsoft_agents.hosting.core import ClaimsIdentity, TurnContext

from bot.app import App
from bot.channels.form_page import add_form_routes
from bot.channels.teams.adapter import auth_configuration, build_adapter
from bot.channels.teams.door import CHANNEL, Door, is_personal, message_key, tenant_of
from bot.channels.teams.guard import activity_or_none, authenticated, from_bot_framework
from bot.channels.teams.invoke import press_answered_with_card, press_answered_with_line
from bot.channels.teams.open_cards import OpenCards
from bot.channels.teams.references import PersonalChats
from bot.channels.teams.render import (
    CARD_TYPE,
    CardAnswer,
    CardLabels,
    FormSubmission,
    activity_of,
    answer_of,
    closed_card,
    details_card,
    form_card,
    form_submission_of,
    hide_pressed,
    note_card,
)
from bot.charts import png_of
from bot.dispatcher import Identity
from bot.web import serve_site
from handlers.dialogue.messages import Incoming, Reply
from handlers.identifying.forms import CARD
from storage import teams

log = logging.getLogger(__name__)


CARD_ACTION = "adaptiveCard/action"
CONNECTOR_CLIENT = "ConnectorClient"  # where the Agents SDK keeps a turn's Bot Connector client
QUESTION_CHECKS = 5
QUESTION_RECHECK_SECONDS = 0.3


class TeamsChannel:
    def __init__(self, app: App) -> None:
        self.app = app
        self._settings = app.settings
        self._configuration = auth_configuration(app.settings)
        self.adapter, self._clients = build_adapter(app.settings, self._configuration)
        self.chats = PersonalChats(app)
        self.door = Door(app)
        self.open_cards = OpenCards()
        self._late: set[asyncio.Task[None]] = set()
        self.serving = asyncio.Event()

    # ----- hosting -----

    def web_app(self) -> web.Application:
        """The endpoint, which takes only Bot Framework-authenticated requests, and (with a public address) the
        form pages, which are for people's browsers and authenticate by their signed link."""
        application = web.Application()
        application["agent_configuration"] = self._configuration
        application.router.add_post("/api/messages", authenticated(self._endpoint))
        if self._settings.public_url:
            add_form_routes(application, self.app)
        return application

    async def _endpoint(self, request: web.Request) -> web.StreamResponse:
        activity = await activity_or_none(request)
        if activity is None:
            return web.json_response({"error": "not a Bot Framework activity"}, status=400)
        if not self._settings.teams_local and not from_bot_framework(
            request, activity, self._settings.teams_token_issuer
        ):
            return web.json_response({"error": "unauthorized"}, status=401)
        return await self.adapter.process_parsed(request, activity, self)

    async def run(self, stop: asyncio.Event) -> None:
        """Serve until ``stop``; answers still being worked on are sent before the endpoint goes."""
        async with self.app.sessions() as session:
            self.chats.tenants.update(await teams.tenants(session))
        await self.door.read_tenants()
        if self._settings.teams_local:
            log.warning(
                "Teams LOCAL MODE on http://%s:%d/api/messages: no authentication, for the Agents Playground "
                "only, never for real people's data",
                self._settings.resolved_http_host,
                self._settings.http_port,
            )
        try:
            await serve_site(self.web_app(), self._settings, stop, self.serving, self._finish_late)
        finally:
            await self._clients.close()

    async def _finish_late(self) -> None:
        if self._late:
            await asyncio.wait(self._late, timeout=10)

    # ----- turns -----

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        if activity.type == ActivityTypes.message:
            await self._on_message(context)
        elif activity.type == ActivityTypes.invoke and activity.name == CARD_ACTION:
            await self._on_card_action(context)
        elif activity.type == ActivityTypes.installation_update:
            # Teams also sends a conversationUpdate (bot added) at installation; answering both would greet twice.
            await self._on_installation(context)

    def _text(self, language: str, key: str, **params: object) -> str:
        return self.app.texts.text(language, key, **params)

    def _identity(self, activity: Activity) -> Identity | None:
        user = activity.from_property
        return Identity(CHANNEL, user.aad_object_id) if user and user.aad_object_id else None

    async def _on_message(self, context: TurnContext) -> None:
        activity = context.activity
        identity = self._identity(activity)
        refusal = await self.door.refusal(activity, identity)
        if refusal is not None:
            await context.send_activity(
                Activity(type=ActivityTypes.message, text=refusal, text_format="plain")
            )
            return
        answer = answer_of(activity.value)
        if answer is None:
            await self._answer(context, identity, self._incoming(activity, activity.text or "", None))
            return
        await self._answer(context, identity, self._incoming(activity, answer, answer.question))

    async def _close_ended(
        self,
        context: TurnContext,
        identity: Identity,
        conversation: str,
        replies: list[Reply],
        answering: Incoming | None,
        just_sent: set[str],
    ) -> None:
        """Close, in place, the cards of questions that the new replies (``just_sent``) ask again, and, when they
        answer a message,
        those that message ended (answered by typing, stopped, timed out): each keeps its lines and says how it
        ended, with nothing left to press. A notice closes only what it asks again: a message of the person's
        may be on its way in the same moment, and how that ended a question is for its own answer to say. A card
        Teams will not change any more (too old, deleted) is left as it is."""
        if not self.open_cards.tracked(conversation):
            return
        still_open = None
        if answering is not None:
            still_open = await self.app.dispatcher.open_questions(identity, conversation)
        typed = answering.text if answering is not None and answering.keys is None else None
        asked_now = {reply.question for reply in replies if reply.choices and reply.question}
        language = self.door.last_language(identity)
        for card in self.open_cards.ended(conversation, still_open, asked_now, just_sent):
            understood = card.understood(typed, self.app.texts.synonyms()) if typed is not None else None
            if card.question in asked_now:
                outcome = self._text(language, "teams.asked_again")
            elif understood is not None:
                outcome = self._text(language, "teams.answered", answer=understood)
            else:
                outcome = self._text(language, "teams.stale")
            replaced = Activity(
                id=card.activity_id,
                type=ActivityTypes.message,
                attachments=[Attachment(content_type=CARD_TYPE, content=closed_card(card.text, outcome))],
            )
            try:
                await context.update_activity(replaced)
            except (aiohttp.ClientError, OSError, NotImplementedError) as error:
                log.info("an ended question's card was not closed: %s", type(error).__name__)

    async def _on_card_action(self, context: TurnContext) -> None:
        """A button on a card: the card is replaced in place, the conversation's answer follows as messages."""
        activity = context.activity
        identity = self._identity(activity)
        refusal = await self.door.refusal(activity, identity)
        language = await self.door.language(identity)
        if hide_pressed(activity.value):
            await press_answered_with_card(context, note_card(self._text(language, "subject.view.hidden")))
            return
        submission = form_submission_of(activity.value)
        if submission is not None:
            await self._on_form(context, identity, refusal, language, submission)
            return
        answer = answer_of(activity.value)
        if refusal is not None or answer is None or identity is None:
            await press_answered_with_card(context, note_card(refusal or self._text(language, "teams.stale")))
            return
        # Pressed: the card is replaced by the answer to the press, whatever it says.
        self.open_cards.pressed(activity.conversation.id, answer.question)
        if not answer.keys:  # a choice set sent with nothing ticked: the card stays, with what to do
            await press_answered_with_line(context, self._text(language, "teams.pick_one"))
            return
        incoming = self._incoming(activity, answer, answer.question)
        if not await self._question_opens(identity, incoming):
            await press_answered_with_card(
                context, closed_card(answer.asked, self._text(language, "teams.stale"))
            )
            return
        outcome = self._text(language, "teams.answered", answer=answer.shown)
        await press_answered_with_card(context, closed_card(answer.asked, outcome))
        await self._answer(context, identity, incoming)

    async def _on_form(
        self,
        context: TurnContext,
        identity: Identity | None,
        refusal: str | None,
        language: str,
        submission: FormSubmission,
    ) -> None:
        """A form card sent: replaced by one line saying what happened, or by the empty form and what was wrong.
        Nothing typed into it is shown again or goes anywhere but the store."""
        if refusal is not None or identity is None:
            await press_answered_with_card(context, note_card(refusal or self._text(language, "teams.stale")))
            return
        answer = await self.app.forms.submit(submission.token, submission.values, CHANNEL, identity)
        if answer.form:
            card = form_card(answer.form)
        elif answer.details:
            hide = self._text(answer.language, "subject.view.hide")
            card = details_card(answer.details, answer.message or "", hide)
        else:
            card = note_card(answer.message or "")
        await press_answered_with_card(context, card)

    async def _question_opens(self, identity: Identity, incoming: Incoming) -> bool:
        """A reminder's question is opened when the engine records the send, just after the card arrived: a
        quick press may come first, so a question that is not open yet is looked at again for a moment."""
        for _ in range(QUESTION_CHECKS):
            opened = await self.app.dispatcher.open_questions(identity, incoming.conversation)
            if incoming.answers in opened or (incoming.answers is None and opened):
                return True
            await asyncio.sleep(QUESTION_RECHECK_SECONDS)
        return False

    async def _on_installation(self, context: TurnContext) -> None:
        activity = context.activity
        identity = self._identity(activity)
        if identity is None or not is_personal(activity):
            return
        if activity.action == "remove":
            await self.chats.gone(identity.address)
            return
        await self._welcome(context, identity)

    async def _welcome(self, context: TurnContext, identity: Identity) -> None:
        """At installation: the reference is kept (the bot may write first from now on) and help is shown."""
        if await self.door.allowed(context.activity):
            await self._answer(context, identity, self._incoming(context.activity, "help", None, once=False))

    def _incoming(
        self, activity: Activity, said: str | CardAnswer, answers: str | None, once: bool = True
    ) -> Incoming:
        """What the person typed, or the options a card sent (by key, with the keys as the text for the log)."""
        return Incoming(
            text=",".join(said.keys) if isinstance(said, CardAnswer) else said,
            keys=said.keys if isinstance(said, CardAnswer) else None,
            conversation=activity.conversation.id,
            private=is_personal(activity),
            channel=CHANNEL,
            message_id=message_key(activity) if once and activity.id else None,
            answers=answers,
            forms=CARD,
            buttons=True,
            display_name=activity.from_property.name if activity.from_property else None,
            home=tenant_of(activity),
            identified=True,
        )

    # ----- answering -----

    async def _answer(self, context: TurnContext, identity: Identity | None, incoming: Incoming) -> None:
        """Replies within the turn when they are ready in time; otherwise a short 'working on it' now and the
        replies as a proactive message when they are done."""
        work = asyncio.ensure_future(self._work(context, identity, incoming))
        try:
            replies = await asyncio.wait_for(asyncio.shield(work), self._settings.teams_reply_window_seconds)
        except TimeoutError:
            language = self.door.last_language(identity)
            await context.send_activity(
                Activity(
                    type=ActivityTypes.message,
                    text=self._text(language, "teams.working"),
                    text_format="plain",
                )
            )
            reference = context.activity.get_conversation_reference()
            late = asyncio.create_task(self._send_late(reference, work, identity, incoming, language))
            self._late.add(late)
            late.add_done_callback(self._late.discard)
            return
        await self.send_replies(
            context,
            replies,
            self.door.last_language(identity),
            context.activity.conversation.id,
            identity,
            incoming,
        )
        if incoming.message_id:
            await self.app.dispatcher.delivered(CHANNEL, incoming.message_id)

    async def _work(self, context: TurnContext, identity: Identity | None, incoming: Incoming) -> list[Reply]:
        await self.chats.remember(context.activity, identity)
        if identity is not None and not self.chats.kept(identity.address):
            incoming = await self._as_newcomer(context, incoming)
        return await self.app.dispatcher.handle(identity or Identity(CHANNEL, ""), incoming)

    async def _as_newcomer(self, context: TurnContext, incoming: Incoming) -> Incoming:
        """Someone the bot keeps no chat for (not registered yet): their e-mail address from the Bot Connector's
        member API, by which a professional an operator registered is linked. Asked only for them, and not at all
        when the Connector does not answer (they are then treated as anyone unknown)."""
        activity = context.activity
        email = None
        client = context.turn_state.get(CONNECTOR_CLIENT)
        member = getattr(client, "get_conversation_member", None)
        if member is not None and activity.from_property is not None:
            try:
                account = await member(activity.conversation.id, activity.from_property.id)
                email = account.email or account.user_principal_name
            except (aiohttp.ClientError, OSError, ValueError) as error:
                log.info("Teams: the member API did not answer (%s)", type(error).__name__)
        return replace(incoming, email=email)

    async def _send_late(
        self,
        reference: ConversationReference,
        work: asyncio.Future[list[Reply]],
        identity: Identity | None,
        incoming: Incoming,
        language: str,
    ) -> None:
        replies = await work

        async def send(context: TurnContext) -> None:
            conversation = reference.conversation.id
            await self.send_replies(context, replies, language, conversation, identity, incoming)

        await self.continue_conversation(reference, send)
        if incoming.message_id:
            await self.app.dispatcher.delivered(CHANNEL, incoming.message_id)

    async def send_replies(
        self,
        context: TurnContext,
        replies: list[Reply],
        language: str | None,
        conversation: str,
        identity: Identity | None,
        answering: Incoming | None = None,
    ) -> None:
        """The replies as cards, then the cards of questions that have ended are closed (``answering`` is the
        message these replies answer: what it typed tells how a question ended). Closing waits until the answer
        is out: it costs a lookup and a call to Teams per card, and the person is waiting for the answer."""
        language = language or self.app.texts.default_language
        labels = CardLabels(
            send=self._text(language, "teams.send"),
            choose=self._text(language, "teams.choose"),
            summary=self._text(language, "teams.summary"),
            pick_one=self._text(language, "teams.pick_one"),
        )
        just_sent: set[str] = set()
        for reply in replies:
            png = await png_of(reply.chart) if reply.chart is not None else None
            sent = await context.send_activity(activity_of(reply, labels, png))
            if (activity_id := getattr(sent, "id", None)) is not None:
                just_sent.add(activity_id)
            self.open_cards.sent(conversation, activity_id, reply)
        if identity is not None:
            await self._close_ended(context, identity, conversation, replies, answering, just_sent)

    async def continue_conversation(
        self, reference: ConversationReference, callback: Callable[[TurnContext], Awaitable[None]]
    ) -> None:
        """A proactive turn: as the registered app in production, anonymously (to the Playground) in local mode."""
        continuation = reference.get_continuation_activity()
        if self._settings.teams_local:
            await self.adapter.continue_conversation_with_claims(ClaimsIdentity(), continuation, callback)
        else:
            await self.adapter.continue_conversation(str(self._settings.teams_app_id), continuation, callback)
