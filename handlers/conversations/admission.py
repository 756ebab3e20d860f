"""``verzoeken``: a procesregisseur or the ketenmanager decides on requests to join (``handlers.joining``). The
notice of a new request leaves the decision open, so one word ('toelaten', 'weigeren') or one button decides it.
An approved person becomes a melder of the organisation they asked for and is told in their chat; a declined one
reads so when they next write. Whoever answers first decides; the others are told it was decided already."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from config.catalogue import Catalogue
from handlers.authorization import ADMITTERS
from handlers.dialogue.choices import pick_one
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.messages import Choice, Reply
from handlers.dialogue.state import DialogueState, OutdatedDialogue
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from handlers.joining.newcomers import add_melder
from handlers.notice_kind import NOTHING, Nothing, NoticeKind
from handlers.notices import Notice
from storage import joins, people
from storage.models import JoinRequest, JoinStatus, PendingMessage, Professional

KIND = "admission"
PICK, DECIDE = "pick", "decide"
ADMIT, DECLINE, LATER = "toelaten", "weigeren", "later"
JOIN_APPROVED = NoticeKind("join_approved", Nothing)
NOTICES = (JOIN_APPROVED,)


@dataclass
class AdmissionState:
    request_id: int | None = None


Admission = DialogueState[AdmissionState]


def decision_choices(texts: Catalogue, lang: str) -> tuple[Choice, ...]:
    return tuple(Choice(key, texts.text(lang, f"admission.option.{key}")) for key in (ADMIT, DECLINE, LATER))


def decision_state(texts: Catalogue, lang: str, request_id: int) -> Admission:
    """The question a request's notice leaves open: its recipient's next word decides it."""
    return DialogueState(
        KIND, DECIDE, AdmissionState(request_id), decision_choices(texts, lang), left_by_notice=True
    )


async def request_notice(
    session: AsyncSession, texts: Catalogue, person: Professional, row: PendingMessage
) -> Notice | None:
    """A request to join, while it waits for a decision (one decided meanwhile is not sent any more), with the
    decision left open for one word or button."""
    request = await joins.by_id(session, int(row.params["request"]))
    if request is None or request.status is not JoinStatus.PENDING:
        return None
    organisation = await people.organisation_by_id(session, request.organisation_id)
    text = texts.text(
        person.language,
        "notice.join_request",
        name=request.display_name,
        organisation=organisation.name,
        channel=texts.text(person.language, f"admission.channel.{request.channel}"),
    )
    answer = decision_state(texts, person.language, request.id)
    return Notice(Reply(text, answer.offered, question=answer.fingerprint()), answer)


async def request_line(turn: Turn, request: JoinRequest) -> str:
    organisation = await people.organisation_by_id(turn.session, request.organisation_id)
    channel = turn.t(f"admission.channel.{request.channel}")
    return turn.t(
        "admission.line", name=request.display_name, organisation=organisation.name, channel=channel
    )


async def start(turn: Turn, argument: str) -> Admission | None:
    waiting = await joins.pending(turn.session)
    if not waiting:
        turn.say("admission.none")
        return None
    said = pick_one(turn.incoming.text.split(" ", 1)[0], decision_choices(turn.texts, turn.lang)[:2])
    if said is not None and len(waiting) == 1:  # 'toelaten' with one request waiting: nothing to ask
        await _decide(turn, waiting[0].id, said == ADMIT)
        return None
    state = DialogueState(KIND, PICK, AdmissionState())
    choices = [Choice(str(request.id), await request_line(turn, request)) for request in waiting]
    turn.offer(state, turn.t("admission.pick", count=len(waiting)), choices)
    return state


steps: Steps[AdmissionState, None] = Steps()


@steps.choice(PICK)
async def _on_pick(turn: Turn, state: Admission, context: None, picked: str) -> Admission:
    request = await joins.by_id(turn.session, int(picked))
    if request is None:
        raise OutdatedDialogue(KIND)
    state.step, state.data.request_id = DECIDE, request.id
    turn.offer(state, await request_line(turn, request), list(decision_choices(turn.texts, turn.lang)))
    return state


@steps.choice(DECIDE)
async def _on_decide(turn: Turn, state: Admission, context: None, picked: str) -> None:
    if state.data.request_id is None:
        raise OutdatedDialogue(f"{state.kind}:{state.step}")
    if picked == LATER:
        turn.say("admission.later")
        return
    await _decide(turn, state.data.request_id, picked == ADMIT)


async def resume(turn: Turn, state: Admission) -> DialogueState[Any] | None:
    return await steps.run(turn, state, None)


async def _decide(turn: Turn, request_id: int, admit: bool) -> None:
    decided = await joins.decide(turn.session, request_id, admit, turn.person.id, turn.now())
    if decided is None:
        turn.say("admission.decided_already")
        return
    organisation = await people.organisation_by_id(turn.session, decided.organisation_id)
    if not admit:
        await turn.audit("person.join.declined")
        turn.say("admission.declined", name=decided.name)
        return
    if await people.sender(turn.session, decided.channel, decided.address) is not None:
        turn.say("admission.registered_meanwhile", name=decided.name)  # by an invite code, or an operator
        return
    person = await add_melder(
        turn.session, decided.channel, decided.address, decided.name, organisation, turn.now()
    )
    await turn.audit("person.join.approved")
    await turn.notify(person.id, JOIN_APPROVED, None, NOTHING)
    turn.say("admission.approved", name=decided.name, organisation=organisation.name)


CONVERSATION = Conversation(KIND, ADMITTERS, AdmissionState, start, resume)
