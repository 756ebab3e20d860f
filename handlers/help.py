"""Help that fits the person's role, and the switch between Dutch and English."""

from __future__ import annotations

from dataclasses import replace

from handlers.authorization import directs_cases, may_refer, sees_counts_only
from handlers.choices import fold
from handlers.messages import DialogueState
from handlers.turn import Turn
from storage import people


def help_lines(turn: Turn) -> list[str]:
    lines = [turn.t("help.title"), turn.t("help.check")]
    if may_refer(turn.person):
        lines += [
            turn.t("help.referral"),
            turn.t("help.subject"),
            turn.t("help.actions"),
            turn.t("help.feedback"),
            turn.t("help.status"),
        ]
    if directs_cases(turn.person):
        lines += [
            turn.t("help.intake"),
            turn.t("help.plan"),
            turn.t("help.manage"),
            turn.t("help.updates"),
            turn.t("help.status_director"),
        ]
    if sees_counts_only(turn.person):
        lines.append(turn.t("help.counts"))
    lines += [turn.t("help.stop"), turn.t("help.language")]
    return lines


class HelpConversation:
    kind = "help"

    async def start(self, turn: Turn, argument: str) -> DialogueState | None:
        turn.say_lines(help_lines(turn))
        return None

    async def resume(self, turn: Turn, state: DialogueState) -> DialogueState | None:
        return None


LANGUAGE_CODES = {"nl": "nl", "nederlands": "nl", "dutch": "nl", "en": "en", "engels": "en", "english": "en"}


class LanguageConversation:
    kind = "language"

    async def start(self, turn: Turn, argument: str) -> DialogueState | None:
        code = LANGUAGE_CODES.get(fold(argument))
        if code is None:
            turn.say("language.usage")
            return None
        await people.set_language(turn.session, turn.person.id, code)
        turn.person = replace(turn.person, language=code)
        turn.say("language.set")
        return None

    async def resume(self, turn: Turn, state: DialogueState) -> DialogueState | None:
        return None
