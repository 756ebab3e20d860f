"""``accounts``: the ketenmanager reviews the accounts unused for ``VHBOT_INACTIVE_MONTHS`` and those Teams reports
gone, and disables them in one step (their open actions go to the procesregisseur of each case:
``handlers.accounts``). ``vhbot users review`` does the same at the command line."""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers import accounts
from handlers.accounts import ToReview
from handlers.authorization import MANAGER
from handlers.dates.formatting import long_date
from handlers.dialogue.answers import choose
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.state import DialogueState, OutdatedDialogue
from handlers.dialogue.turn import Turn
from storage import people

KIND = "accounts"
CONFIRM = "confirm"


@dataclass
class AccountsState:
    person_ids: list[int] = field(default_factory=list)


Accounts = DialogueState[AccountsState]


async def start(turn: Turn, argument: str) -> Accounts | None:
    months = turn.settings.inactive_months
    found = await accounts.to_review(turn.session, turn.now(), months)
    await turn.audit("accounts.reviewed")
    if not found:
        turn.say("accounts.none", months=months)
        return None
    organisations = (
        await people.display_names(turn.session, set(), {item.person.organisation_id for item in found})
    ).organisations
    lines = [turn.t("accounts.title", count=len(found))]
    lines += [_line(turn, item, organisations[item.person.organisation_id]) for item in found]
    turn.say_lines(lines)
    state = DialogueState(KIND, CONFIRM, AccountsState([item.person.id for item in found]))
    turn.offer(state, turn.t("accounts.confirm", count=len(found)), turn.yes_no())
    return state


def _line(turn: Turn, item: ToReview, organisation: str) -> str:
    person = item.person
    values = {"name": person.name, "organisation": organisation, "role": person.role.value}
    if item.gone:
        return turn.t("accounts.gone", **values)
    seen = person.last_seen_at or person.created_at
    when = long_date(turn.texts, turn.lang, seen, turn.tz, with_time=False)
    return turn.t("accounts.unused" if person.last_seen_at else "accounts.never", when=when, **values)


async def resume(turn: Turn, state: Accounts) -> Accounts | None:
    if state.step != CONFIRM:
        raise OutdatedDialogue(f"{state.kind}:{state.step}")
    picked = choose(turn, state)
    if picked is None:
        return state
    if picked == "nee":
        turn.say("accounts.kept")
        return None
    by = f"ketenmanager {turn.person.id}"
    disabled = handed = 0
    for person in (await people.by_ids(turn.session, state.data.person_ids)).values():
        if not person.active or person.id == turn.person.id:
            continue  # disabled meanwhile; and nobody disables themselves by a review
        handed += await accounts.disable(
            turn.session, person, turn.now(), by=by, channel=turn.incoming.channel
        )
        disabled += 1
    await turn.audit("accounts.disabled")
    turn.say("accounts.disabled", count=disabled)
    if handed:
        turn.say("accounts.handed_on", count=handed)
    return None


CONVERSATION = Conversation(KIND, MANAGER, AccountsState, start, resume)
