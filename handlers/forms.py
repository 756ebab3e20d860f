"""Asking the questions of a data-defined form (the check, the referral) and reading the answers."""

from __future__ import annotations

from typing import Any

from config.definitions import Question
from handlers.identifying import identifying_kinds
from handlers.messages import Choice, DialogueState
from handlers.turn import Turn

MAX_FREE_TEXT = 1000


def option_label(turn: Turn, question: Question, option: str) -> str:
    """Catalogue label for an option; region data such as municipality names are shown as they are."""
    key = f"option.{question.key}.{option}"
    return turn.t(key) if turn.texts.has(key) else option


def ask(turn: Turn, state: DialogueState, question: Question, prefix: str, lead: str | None = None) -> None:
    prompt = turn.t(f"{prefix}.{question.key}")
    text = f"{lead}\n\n{prompt}" if lead else prompt
    if question.kind == "text":
        turn.ask_open(state, text)
        return
    choices = [Choice(option, option_label(turn, question, option)) for option in question.options]
    hint = turn.t("form.hint_multi") if question.kind == "multi" else None
    turn.offer(state, f"{text}\n{hint}" if hint else text, choices, multiple=question.kind == "multi")


def read_free_text(turn: Turn) -> str | None:
    """Free text as long as it is within bounds and contains nothing identifying; else explain why not."""
    text = turn.incoming.text.strip()
    if len(text) < 2:
        turn.say("form.text_too_short")
        return None
    if len(text) > MAX_FREE_TEXT:
        turn.say("form.text_too_long", limit=MAX_FREE_TEXT)
        return None
    kinds = identifying_kinds(text, turn.now().date())
    if kinds:
        names = ", ".join(turn.t(f"identifying.{kind}") for kind in kinds)
        turn.say("identifying.warning", kinds=names)
        # Where people can delete what they sent (Matrix), the catalogue has a line asking them to.
        delete_request = f"identifying.delete.{turn.incoming.channel}"
        if turn.texts.has(delete_request):
            turn.say(delete_request)
        return None
    return text


def read(turn: Turn, state: DialogueState, question: Question) -> Any | None:
    """The answer in stored form (a key, a list of keys or text), or None after telling what was wrong."""
    if question.kind == "text":
        return read_free_text(turn)
    answer: Any = turn.picked_many(state) if question.kind == "multi" else turn.picked(state)
    if answer is None:
        turn.say("form.invalid_choice")
    return answer


def answer_label(turn: Turn, question: Question, answer: Any) -> str:
    if question.kind == "multi":
        return ", ".join(option_label(turn, question, item) for item in answer)
    if question.kind == "single":
        return option_label(turn, question, str(answer))
    return str(answer)
