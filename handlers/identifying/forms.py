"""Handing out a form for the betrokkene's identifying details (name, date of birth, address; never the BSN).

In chat the bot only hands out the form: a card the channel shows inside the chat without echoing what is typed
(Teams), or a signed, single-use link to the page ``vhbot serve`` hosts (Matrix, when a public address is
configured). Where neither is possible the referral goes on without them and says who collects them. What the
form sends is handled in ``handlers.identifying.submission``.
"""

from __future__ import annotations

from datetime import timedelta

from config.catalogue import Catalogue
from handlers.dialogue.messages import FormField, FormOffer, Reply
from handlers.dialogue.turn import Turn
from storage import subjects
from storage.models import Case

CARD = "card"
LINK = "link"
# (key, input kind, longest accepted answer)
FIELDS = (("name", "text", 200), ("birth_date", "date", 12), ("address", "multiline", 300))
# The shapes of a date of birth a card or a browser lets through before sending (the bot reads it again, see
# submission.read_birth_date): day-month-year with separators, or eight digits (a phone's numeric keypad).
DATE_SHAPE = r"^\s*(\d{8}|\d{1,2}[-./ ]\d{1,2}[-./ ]\d{4})\s*$"
LONGEST = {key: limit for key, _, limit in FIELDS}


def form_offer(
    texts: Catalogue, language: str, token: str, number: str, error: str | None = None
) -> FormOffer:
    """The form for one case's details; its title names the case, also when it comes back after a mistake."""

    def t(key: str, **params: object) -> str:
        return texts.text(language, key, **params)

    fields = tuple(
        FormField(
            key,
            t(f"subject.field.{key}"),
            kind,
            limit,
            t("subject.date_format") if kind == "date" else "",
            t(f"subject.problem.{key}.{'format' if kind == 'date' else 'missing'}", limit=limit),
        )
        for key, kind, limit in FIELDS
    )
    title = t("subject.title_for", number=number)
    return FormOffer(token, title, t("subject.intro"), fields, t("subject.submit"), error)


def form_path(token: str) -> str:
    """Where the form page for a token is served, below the public address."""
    return f"/forms/{token}"


async def offer(turn: Turn, case: Case) -> None:
    """Hand out a form for the case's identifying details, in the way the channel can take them."""
    style = turn.incoming.forms
    if style is None or (style == LINK and not turn.settings.public_url):  # a link needs a public address
        turn.say("subject.later", number=case.number)
        return
    lifetime = timedelta(minutes=turn.settings.form_link_minutes)
    token = await subjects.issue(turn.session, case.id, turn.person.id, turn.now(), lifetime, style)
    await turn.audit("case.subject.form", case.number)
    if style == CARD:
        text = turn.t("subject.card", number=case.number, minutes=turn.settings.form_link_minutes)
        turn.replies.append(Reply(text, form=form_offer(turn.texts, turn.lang, token, case.number)))
        return
    url = f"{str(turn.settings.public_url).rstrip('/')}{form_path(token)}"
    turn.say("subject.link", number=case.number, url=url, minutes=turn.settings.form_link_minutes)
