"""``uitnodiging [organisatie]``: the ketenmanager makes a code with which professionals of that organisation
join as melder themselves (see ``handlers.joining``), valid for ``VHBOT_INVITE_USES`` people and
``VHBOT_INVITE_DAYS`` days."""

from __future__ import annotations

from datetime import timedelta

from handlers.authorization import MANAGER
from handlers.dates.formatting import long_date
from handlers.dialogue.answers import choose
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState, NoState, OutdatedDialogue
from handlers.dialogue.turn import Turn
from storage import invites, people
from storage.models import Organisation

KIND = "invite"
PICK = "pick"


async def start(turn: Turn, argument: str) -> DialogueState[NoState] | None:
    organisations = await people.list_organisations(turn.session)
    named = [org for org in organisations if argument and org.name.lower() == argument.lower()]
    if named:
        await _make(turn, named[0])
        return None
    state = DialogueState(KIND, PICK, NoState())
    turn.offer(state, turn.t("invite.pick"), [Choice(str(org.id), org.name) for org in organisations])
    return state


async def resume(turn: Turn, state: DialogueState[NoState]) -> DialogueState[NoState] | None:
    if state.step != PICK:
        raise OutdatedDialogue(f"{state.kind}:{state.step}")
    picked = choose(turn, state)  # an organisation's number or name, with typos asked about
    if picked is None:
        return state
    organisation = await turn.session.get(Organisation, int(picked))
    if organisation is None:
        raise OutdatedDialogue(KIND)  # the organisation went while the question was open
    await _make(turn, organisation)
    return None


async def _make(turn: Turn, organisation: Organisation) -> None:
    uses, until = turn.settings.invite_uses, turn.now() + timedelta(days=turn.settings.invite_days)
    code = await invites.new(
        turn.session, organisation.id, uses, until, turn.now(), f"professional {turn.person.id}"
    )
    await turn.audit("invite.new")
    when = long_date(turn.texts, turn.lang, until, turn.tz, with_time=False)
    turn.say("invite.made", organisation=organisation.name, code=code, uses=uses, until=when)


CONVERSATION = Conversation(KIND, MANAGER, NoState, start, resume)
