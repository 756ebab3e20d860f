"""Asking the questions of a data-defined form (the check, the referral) and reading the answers: shared by the
two conversations that ask them, a free-text answer read with the identifying-data check."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from config.definitions import Question
from handlers.dialogue.answers import choose, suggest, suggestion_answered
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.turn import Turn
from handlers.identifying.free_text import read_text

Answer = str | list[str]


def position(form: Sequence[Question], key: str | None) -> tuple[int, int] | None:
    """Which question of the form ``key`` is, counted from 1, and how many there are."""
    keys = [question.key for question in form]
    return (keys.index(key) + 1, len(keys)) if key in keys else None


def option_label(turn: Turn, question: Question, option: str) -> str:
    """Catalogue label for an option; region data such as municipality names are shown as they are."""
    key = f"option.{question.key}.{option}"
    return turn.t(key) if turn.texts.has(key) else option


def ask(
    turn: Turn, state: DialogueState[Any], question: Question, prefix: str, lead: str | None = None
) -> None:
    prompt = turn.t(f"{prefix}.{question.key}")
    text = f"{lead}\n\n{prompt}" if lead else prompt
    if question.kind == "text":
        turn.ask_open(state, text)
        return
    choices = [Choice(option, option_label(turn, question, option)) for option in question.options]
    hint = turn.t("form.hint_multi") if question.kind == "multi" else None
    turn.offer(state, f"{text}\n{hint}" if hint else text, choices, multiple=question.kind == "multi")


async def read(turn: Turn, state: DialogueState[Any], question: Question) -> Answer | None:
    """The answer in stored form (a key, a list of keys or text), or None after telling what was wrong."""
    if question.kind == "text":
        return await read_text(turn, state)
    if question.kind == "multi":
        answered = suggestion_answered(turn, state)
        if answered is not None:
            return list(answered) or None
        picked = turn.picked_many(state)
        if picked.loosely and not picked.unknown:
            suggest(turn, state, picked.keys)
            return None
        if picked.unknown or not picked.keys:
            if picked.unknown:
                turn.say("form.not_understood", parts=", ".join(f"'{part[:40]}'" for part in picked.unknown))
            else:
                turn.say("form.invalid_choice")
            return None
        return picked.keys
    return choose(turn, state)


def answer_label(turn: Turn, question: Question, answer: Answer) -> str:
    if question.kind == "multi":
        return ", ".join(option_label(turn, question, item) for item in answer)
    if question.kind == "single":
        return option_label(turn, question, str(answer))
    return str(answer)
