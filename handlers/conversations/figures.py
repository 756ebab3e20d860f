"""``cijfers [periode]``: the network's figures for the ketenmanager, in chat (counts only, small ones hidden).
``vhbot report`` writes the same figures to a file. Channels that can show a picture send the referrals per month
as a chart after the text."""

from __future__ import annotations

from handlers.authorization import COUNTS_ONLY
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.messages import Reply
from handlers.dialogue.state import NoState
from handlers.dialogue.turn import Turn
from handlers.figures.period import read_period
from handlers.figures.report import build

KIND = "figures"


async def start(turn: Turn, argument: str) -> None:
    period = read_period(argument, turn.today(), turn.t("date.months").split(","))
    if period is None:
        turn.say("figures.unknown_period")
        return
    term = turn.definitions.process.decision_working_days
    figures = await build(turn.session, turn.texts, turn.lang, period, turn.now(), turn.calendar, term)
    await turn.audit("figures.shown")
    turn.replies.append(Reply("\n".join(figures.lines()), chart=figures.chart))


CONVERSATION = Conversation(KIND, COUNTS_ONLY, NoState, start)
