"""Recording the plan van aanpak of a casusoverleg: actions (what, who, by when) and the next overleg."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers import forms, reminders
from handlers.authorization import Access
from handlers.case_flow import PLANNABLE, announce_meeting, move
from handlers.case_lookup import find_case_number, refused_unless_director, say_not_found, visible_case
from handlers.case_picker import PICK, offer_cases, picked_number
from handlers.case_views import names, state_label
from handlers.date_question import DateStep
from handlers.formatting import long_date
from handlers.messages import Choice, DialogueState
from handlers.turn import Turn
from storage import actions, cases, people
from storage.models import Case, CaseState

DEADLINE = DateStep("deadline", "plan.deadline_prompt")
MEETING = DateStep("meeting", "plan.meeting_prompt", "default_meeting_time", optional=True)


async def _holder_choices(turn: Turn, case: Case) -> list[Choice]:
    """The people already on the case, as a shortcut; anyone else is typed by handle or organisation."""
    members = await cases.participants(turn.session, case.id)
    known = await names(
        turn, [case.melder_id, *(m.professional_id for m in members)], (m.organisation_id for m in members)
    )
    choices = [Choice(f"p:{case.melder_id}", known.of(case.melder_id))]
    for member in members:
        key = f"p:{member.professional_id}" if member.professional_id else f"o:{member.organisation_id}"
        if all(choice.key != key for choice in choices):
            choices.append(Choice(key, known.of(member.professional_id, member.organisation_id)))
    return choices


async def _resolve_holder(turn: Turn, state: DialogueState) -> dict[str, Any] | None:
    picked = turn.picked(state)
    if picked is None:
        typed = turn.incoming.text.strip().lstrip("@")
        person = await people.professional_by_handle(turn.session, typed)
        if person is not None and person.active:
            picked = f"p:{person.id}"
        else:
            organisation = await people.organisation_named(turn.session, typed)
            picked = f"o:{organisation.id}" if organisation else None
    if picked is None:
        return None
    kind, ident = picked.split(":")
    if kind == "o":
        return {"holder_id": None, "organisation_id": int(ident)}
    person = await people.professional_by_id(turn.session, int(ident))
    assert person is not None
    return {"holder_id": person.id, "organisation_id": person.organisation_id}


class PlanConversation:
    kind = "plan"

    async def start(self, turn: Turn, argument: str) -> DialogueState | None:
        if refused_unless_director(turn):
            return None
        number = find_case_number(argument)
        if number:
            return await begin(turn, number)
        mine = [
            case for case in await cases.directed_by(turn.session, turn.person.id) if case.state in PLANNABLE
        ]
        return await offer_cases(turn, self.kind, mine, turn.t("plan.pick"), "plan.no_cases")

    async def resume(self, turn: Turn, state: DialogueState) -> DialogueState | None:
        if state.step == PICK:
            number = picked_number(turn, state)
            return state if number is None else await begin(turn, number)
        found = await visible_case(turn, state.data["number"], Access.FULL, "case.view")
        if found is None or found[0].state not in PLANNABLE:
            say_not_found(turn, state.data["number"])
            return None
        case = found[0]
        if DEADLINE.handles(state):
            return self._on_deadline(turn, state)
        if MEETING.handles(state):
            return self._on_meeting(turn, state)
        handler = getattr(self, f"_on_{state.step}")
        result: DialogueState | None = await handler(turn, state, case)
        return result

    async def _on_description(self, turn: Turn, state: DialogueState, case: Case) -> DialogueState:
        text = forms.read_free_text(turn)
        if text is None:
            return state
        state.data["current"] = {"description": text}
        state.step = "holder"
        turn.offer(state, turn.t("plan.holder_prompt"), await _holder_choices(turn, case))
        return state

    async def _on_holder(self, turn: Turn, state: DialogueState, case: Case) -> DialogueState:
        holder = await _resolve_holder(turn, state)
        if holder is None:
            turn.say("plan.holder_unknown")
            return state
        state.data["current"].update(holder)
        DEADLINE.ask(turn, state)
        return state

    def _on_deadline(self, turn: Turn, state: DialogueState) -> DialogueState:
        moment = DEADLINE.handle(turn, state)
        if isinstance(moment, datetime):
            state.data["actions"].append({**state.data.pop("current"), "deadline": moment.isoformat()})
            state.step = "more"
            turn.offer(state, turn.t("plan.more"), turn.yes_no())
        return state

    async def _on_more(self, turn: Turn, state: DialogueState, case: Case) -> DialogueState:
        answer = turn.picked(state)
        if answer == "ja":
            state.step = "description"
            turn.ask_open(state, turn.t("plan.description_prompt"))
        elif answer == "nee":
            MEETING.ask(turn, state)
        else:
            turn.reoffer(state)
        return state

    def _on_meeting(self, turn: Turn, state: DialogueState) -> DialogueState:
        moment = MEETING.handle(turn, state)
        if moment is None:
            return state
        state.data["meeting"] = moment.isoformat() if isinstance(moment, datetime) else None
        state.step = "confirm"
        turn.offer(state, self._summary(turn, state), turn.yes_no())
        return state

    def _summary(self, turn: Turn, state: DialogueState) -> str:
        lines = [turn.t("plan.summary", count=len(state.data["actions"]))]
        for index, item in enumerate(state.data["actions"], start=1):
            when = long_date(turn.texts, turn.lang, datetime.fromisoformat(item["deadline"]), turn.tz)
            lines.append(f"{index}. {item['description']} ({when})")
        meeting = state.data.get("meeting")
        lines.append(
            turn.t(
                "case.next_meeting",
                when=long_date(turn.texts, turn.lang, datetime.fromisoformat(meeting), turn.tz),
            )
            if meeting
            else turn.t("case.no_meeting")
        )
        lines += ["", turn.t("plan.confirm")]
        return "\n".join(lines)

    async def _on_confirm(self, turn: Turn, state: DialogueState, case: Case) -> DialogueState | None:
        answer = turn.picked(state)
        if answer == "nee":
            turn.say("plan.cancelled")
            return None
        if answer != "ja":
            turn.reoffer(state)
            return state
        await _record(turn, case, state.data["actions"], state.data.get("meeting"))
        turn.say("plan.recorded", number=case.number, count=len(state.data["actions"]))
        return None


async def begin(turn: Turn, number: str) -> DialogueState | None:
    found = await visible_case(turn, number, Access.FULL, "case.view")
    if found is None:
        say_not_found(turn, number)
        return None
    case = found[0]
    if case.state not in PLANNABLE:
        turn.say("plan.not_now", number=case.number, state=state_label(turn, case))
        return None
    state = DialogueState("plan", "description", {"number": case.number, "actions": []})
    turn.say_lines([turn.t("plan.intro", number=case.number), "", turn.t("plan.description_prompt")])
    return state


async def _record(turn: Turn, case: Case, planned: list[dict[str, Any]], meeting: str | None) -> None:
    """One transaction: the actions, their holders as deelnemers, the next overleg and the state walk."""
    now = turn.now()
    for item in planned:
        action = await actions.add(
            turn.session,
            case=case,
            description=item["description"],
            holder_id=item["holder_id"],
            holder_organisation_id=item["organisation_id"],
            deadline=datetime.fromisoformat(item["deadline"]),
            created_by_id=turn.person.id,
            now=now,
        )
        if item["holder_id"] is not None:
            await cases.add_participant(turn.session, case.id, professional_id=item["holder_id"])
        else:
            await cases.add_participant(turn.session, case.id, organisation_id=item["organisation_id"])
        for recipient in await reminders.action_recipients(turn.session, action):
            await turn.notify(recipient, "action_assigned", case.number, action=action.seq)
        await reminders.plan_action(turn, case, action)
    case.next_meeting_at = datetime.fromisoformat(meeting) if meeting else None
    await move(turn, case, CaseState.PLAN_VAN_AANPAK)
    await move(turn, case, CaseState.UITVOERING)
    await turn.audit("plan.record", case.number)
    await reminders.plan_meeting(turn, case)
    if meeting:
        await announce_meeting(turn, case)
