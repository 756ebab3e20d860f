"""Which state a case may move to from where (domain.md Part 2 §1), and making the move."""

from __future__ import annotations

from handlers import recipients
from handlers.dialogue.turn import Turn
from handlers.notice_kind import MEETING, NOTHING, Nothing, NoticeKind
from storage.cases import record_transition
from storage.models import Case, CaseState

S = CaseState
# Everyone taking part hears that an overleg is planned, and when (as it stands when the notice goes out).
MEETING_PLANNED = NoticeKind("meeting_planned", Nothing, about=MEETING)
NOTICES = (MEETING_PLANNED,)
NEXT_STATES: dict[CaseState, tuple[CaseState, ...]] = {
    S.INGEDIEND: (S.SCREENING, S.GEACCEPTEERD, S.ADVIES),
    S.SCREENING: (S.GEACCEPTEERD, S.ADVIES),
    S.ADVIES: (S.AFGESLOTEN,),
    S.GEACCEPTEERD: (S.CASUSOVERLEG_GEPLAND, S.PLAN_VAN_AANPAK, S.AFGESLOTEN),
    S.CASUSOVERLEG_GEPLAND: (S.PLAN_VAN_AANPAK, S.CASUSOVERLEG_GEPLAND, S.OPGESCHAALD, S.AFGESLOTEN),
    S.PLAN_VAN_AANPAK: (S.UITVOERING,),
    S.UITVOERING: (S.VERVOLGOVERLEG, S.CASUSOVERLEG_GEPLAND, S.OPGESCHAALD, S.AFGESCHAALD, S.AFGESLOTEN),
    S.VERVOLGOVERLEG: (S.PLAN_VAN_AANPAK, S.CASUSOVERLEG_GEPLAND, S.OPGESCHAALD, S.AFGESCHAALD, S.AFGESLOTEN),
    S.OPGESCHAALD: (S.PLAN_VAN_AANPAK, S.CASUSOVERLEG_GEPLAND, S.AFGESCHAALD, S.AFGESLOTEN),
    S.AFGESCHAALD: (S.AFGESLOTEN,),
    S.AFGESLOTEN: (S.GEACCEPTEERD,),  # heropenen, until the case is purged
}

# States in which a plan van aanpak can be recorded.
PLANNABLE = tuple(state for state, targets in NEXT_STATES.items() if S.PLAN_VAN_AANPAK in targets)


def can_move(case: Case, target: CaseState) -> bool:
    return target in NEXT_STATES[case.state]


async def move(
    turn: Turn, case: Case, target: CaseState, note: str | None = None, reason: str | None = None
) -> None:
    """Record the transition and audit it; callers check ``can_move`` first."""
    if not can_move(case, target):
        raise ValueError(f"{case.state} -> {target} is not a transition of the process")
    await record_transition(turn.session, case, target, turn.person.id, turn.now(), note, reason)
    await turn.audit(f"case.state.{target.value}", case.number)


async def announce_meeting(turn: Turn, case: Case) -> None:
    """Tell every person taking part that the (next) overleg is planned, and when; nothing of its content."""
    for participant in await recipients.participants(turn.session, case):
        await turn.notify(participant, MEETING_PLANNED, case.number, NOTHING)
