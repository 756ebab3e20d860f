"""A conversation's typed state survives the store; what an older version stored either continues or is closed
with one polite line, never a crash."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.app import App
from bot.channels.terminal import conversation_of
from handlers.cases.holders import Holder
from handlers.conversations.plan import PlannedAction, PlanState
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState, from_stored
from storage import dialogues, people
from tests.conftest import Chat

OUTDATED = "kon na een update van de bot niet verder"


def test_typed_state_round_trips_through_its_stored_form_with_the_same_fingerprint() -> None:
    deadline = datetime(2026, 12, 4, 13, 0, tzinfo=UTC)
    plan = PlanState(
        "VH-2026-0001", [PlannedAction("Huisbezoek", Holder(3, 7), deadline)], "Bellen", Holder(4)
    )
    state = DialogueState("plan", "more", plan, (Choice("ja", "ja"), Choice("nee", "nee")), deadline)
    back = from_stored("plan", "more", state.to_stored(), PlanState)
    assert back == state
    assert back.data.actions[0].deadline == deadline and back.data.holder == Holder(4)
    assert back.fingerprint() == state.fingerprint()
    back.data.description = "Anders"
    assert back.fingerprint() != state.fingerprint()


async def _store(app: App, handle: str, kind: str, step: str, data: dict[str, Any]) -> None:
    async with app.sessions() as session, session.begin():
        person = await people.professional_by_handle(session, handle)
        assert person is not None
        await dialogues.save(
            session,
            None,
            person_id=person.id,
            conversation=conversation_of(handle),
            kind=kind,
            step=step,
            data=data,
            now=app.now(),
        )


async def test_a_dialogue_stored_before_typed_state_continues(chat: Chat) -> None:
    offered = [
        ["mine", "mijn casussen"],
        ["overdue", "acties over de deadline"],
        ["new", "nieuwe aanmeldingen"],
    ]
    await _store(chat.app, "regisseur", "status", "menu", {"_offered": offered})
    assert "U regisseert geen open casussen." in await chat("regisseur", "1")


async def test_a_dialogue_whose_shape_no_longer_fits_is_closed_politely_and_the_next_message_works(
    chat: Chat,
) -> None:
    await _store(
        chat.app, "regisseur", "plan", "description", {"number": ["not", "a", "number"], "actions": 3}
    )
    reply = await chat("regisseur", "Huisbezoek afleggen")
    assert OUTDATED in reply and "Er ging iets mis" not in reply
    assert "Wat ik kan" in await chat("regisseur", "help")  # nothing of the old dialogue is left


async def test_a_dialogue_of_a_kind_or_step_this_version_lacks_is_closed_politely(chat: Chat) -> None:
    await _store(chat.app, "agent", "vanished", "somewhere", {})
    assert OUTDATED in await chat("agent", "ja")
    await _store(chat.app, "agent", "check", "no_such_step", {"state": {"question": "acuut"}})
    assert OUTDATED in await chat("agent", "nee")
    assert "Er loopt geen gesprek" in await chat("agent", "stop")
