"""Procesregisseurs working the intake queue: review a referral, then accept, redirect or ask."""

from __future__ import annotations

from handlers import forms
from handlers.authorization import Access
from handlers.case_flow import move
from handlers.case_lookup import find_case_number, refused_unless_director, say_not_found, visible_case
from handlers.case_picker import PICK, offer_cases, picked_number
from handlers.case_views import full_view_lines, state_label
from handlers.formatting import short_date
from handlers.messages import Choice, DialogueState
from handlers.turn import Turn
from storage import cases, feedback, people
from storage.models import Case, CaseState, Role

DECISIONS = ("accept", "redirect", "ask", "later")


async def _load(turn: Turn, number: str) -> Case | None:
    found = await visible_case(turn, number, Access.FULL, "case.view")
    if found is None:
        say_not_found(turn, number)
        return None
    return found[0]


class IntakeConversation:
    kind = "intake"

    async def start(self, turn: Turn, argument: str) -> DialogueState | None:
        if refused_unless_director(turn):
            return None
        number = find_case_number(argument)
        if number:
            return await self._review(turn, number)
        queue = await cases.intake_queue(turn.session)
        return await offer_cases(
            turn,
            self.kind,
            queue,
            turn.t("intake.queue", count=len(queue)),
            "intake.empty",
            lambda case: (
                f"{case.number} · {case.gemeente} · {turn.t(f'option.urgency.{case.urgency}')} · "
                f"{short_date(turn.texts, turn.lang, case.created_at, turn.tz)}"
            ),
        )

    async def _review(self, turn: Turn, number: str) -> DialogueState | None:
        case = await _load(turn, number)
        if case is None:
            return None
        if case.state not in cases.OPEN_INTAKE:
            turn.say("intake.already_decided", number=case.number, state=state_label(turn, case))
            return None
        if case.state is CaseState.INGEDIEND:
            await move(turn, case, CaseState.SCREENING)
        state = DialogueState(self.kind, "decide", {"number": case.number})
        turn.say_lines(await full_view_lines(turn, case))
        turn.offer(
            state,
            turn.t("intake.decide"),
            [Choice(key, turn.t(f"intake.decision.{key}")) for key in DECISIONS],
        )
        return state

    async def resume(self, turn: Turn, state: DialogueState) -> DialogueState | None:
        if state.step == PICK:
            number = picked_number(turn, state)
            return state if number is None else await self._review(turn, number)
        case = await _load(turn, state.data["number"])
        if case is None or case.state not in cases.OPEN_INTAKE:
            return None
        step = getattr(self, f"_on_{state.step}")
        result: DialogueState | None = await step(turn, state, case)
        return result

    async def _on_decide(self, turn: Turn, state: DialogueState, case: Case) -> DialogueState | None:
        decision = turn.picked(state)
        if decision == "accept":
            directors = sorted(
                await people.active_with_role(turn.session, Role.PROCESREGISSEUR),
                key=lambda p: p.id != turn.person.id,
            )
            state.step = "assignee"
            turn.offer(state, turn.t("intake.assignee"), [Choice(str(p.id), p.name) for p in directors])
        elif decision == "redirect":
            targets = [
                key
                for key in ("wijkteam", "regieteam", "veilig_thuis", "wvggz", "anders")
                if key != "regieteam" or turn.definitions.region.has_regieteam
            ]
            state.step = "redirect_to"
            turn.offer(
                state,
                turn.t("intake.redirect_to"),
                [Choice(k, turn.t(f"intake.target.{k}")) for k in targets],
            )
        elif decision == "ask":
            state.step = "question"
            turn.ask_open(state, turn.t("intake.question_prompt"))
        elif decision == "later":
            turn.say("intake.later", number=case.number)
            return None
        else:
            turn.reoffer(state)
        return state

    async def _on_assignee(self, turn: Turn, state: DialogueState, case: Case) -> DialogueState | None:
        picked = turn.picked(state)
        if picked is None:
            turn.reoffer(state)
            return state
        case.procesregisseur_id = int(picked)
        await move(turn, case, CaseState.GEACCEPTEERD)
        await turn.notify(case.melder_id, "referral_accepted", case.number)
        if case.procesregisseur_id != turn.person.id:
            await turn.notify(case.procesregisseur_id, "case_assigned", case.number)
        turn.say("intake.accepted", number=case.number)
        return None

    async def _on_redirect_to(self, turn: Turn, state: DialogueState, case: Case) -> DialogueState | None:
        picked = turn.picked(state)
        if picked is None:
            turn.reoffer(state)
            return state
        state.data["target"] = picked
        state.step = "advice"
        turn.ask_open(state, turn.t("intake.advice_prompt"))
        return state

    async def _on_advice(self, turn: Turn, state: DialogueState, case: Case) -> DialogueState | None:
        return await self._tell_melder(turn, state, case, redirect=True)

    async def _on_question(self, turn: Turn, state: DialogueState, case: Case) -> DialogueState | None:
        return await self._tell_melder(turn, state, case, redirect=False)

    async def _tell_melder(
        self, turn: Turn, state: DialogueState, case: Case, *, redirect: bool
    ) -> DialogueState | None:
        text = forms.read_free_text(turn)
        if text is None:
            return state
        if redirect:
            target = turn.t(f"intake.target.{state.data['target']}")
            text = f"{target}: {text}"
            await move(turn, case, CaseState.ADVIES)
        await feedback.add(
            turn.session,
            case_id=case.id,
            action_id=None,
            author_id=turn.person.id,
            body=text,
            concern=False,
            now=turn.now(),
            to_melder=True,
        )
        await turn.audit("case.message_to_melder", case.number)
        await turn.notify(
            case.melder_id, "referral_redirected" if redirect else "referral_question", case.number
        )
        turn.say("intake.redirected" if redirect else "intake.asked", number=case.number)
        return None
