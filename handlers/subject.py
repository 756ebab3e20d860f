"""The betrokkene's identifying details (name, date of birth, address; never the BSN): through a form, never chat.

In chat the bot only hands out the form: a card the channel shows inside the chat without echoing what is typed
(Teams), or a signed, single-use link to the page ``vhbot serve`` hosts (Matrix, when a public address is
configured). Where neither is possible the referral goes on without them and says who collects them. What the
form sends is handled in ``handlers.subject_form``.
"""

from __future__ import annotations

from datetime import timedelta

from config.catalogue import Catalogue
from handlers.authorization import Access, may_enter_subject
from handlers.case_lookup import find_case_number, say_not_found, visible_case
from handlers.case_picker import PICK, offer_cases, picked_number
from handlers.messages import DialogueState, FormField, FormOffer, Reply
from handlers.turn import Turn
from storage import cases, subjects
from storage.models import Case, CaseState

CARD = "card"
LINK = "link"
# (key, input kind, longest accepted answer)
FIELDS = (("name", "text", 200), ("birth_date", "date", 10), ("address", "multiline", 300))
LONGEST = {key: limit for key, _, limit in FIELDS}


def form_offer(texts: Catalogue, language: str, token: str, error: str | None = None) -> FormOffer:
    def t(key: str) -> str:
        return texts.text(language, key)

    fields = tuple(
        FormField(
            key, t(f"subject.field.{key}"), kind, limit, t("subject.date_format") if kind == "date" else ""
        )
        for key, kind, limit in FIELDS
    )
    return FormOffer(token, t("subject.title"), t("subject.intro"), fields, t("subject.submit"), error)


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
    token = await subjects.issue(turn.session, case.id, turn.person.id, turn.now(), lifetime)
    await turn.audit("case.subject.form", case.number)
    if style == CARD:
        text = turn.t("subject.card", number=case.number, minutes=turn.settings.form_link_minutes)
        turn.replies.append(Reply(text, form=form_offer(turn.texts, turn.lang, token)))
        return
    url = f"{str(turn.settings.public_url).rstrip('/')}{form_path(token)}"
    turn.say("subject.link", number=case.number, url=url, minutes=turn.settings.form_link_minutes)


class SubjectConversation:
    """``gegevens [number]``: a new form for a referral's identifying details (a link expired, or they changed)."""

    kind = "subject"

    async def start(self, turn: Turn, argument: str) -> DialogueState | None:
        number = find_case_number(argument)
        if number:
            await self._offer_for(turn, number)
            return None
        own = [
            case
            for case in await cases.referred_by(turn.session, turn.person.id)
            if case.state is not CaseState.AFGESLOTEN
        ]
        return await offer_cases(turn, self.kind, own, turn.t("subject.pick"), "subject.no_cases")

    async def resume(self, turn: Turn, state: DialogueState) -> DialogueState | None:
        if state.step != PICK:
            return None
        number = picked_number(turn, state)
        if number is None:
            return state
        await self._offer_for(turn, number)
        return None

    @staticmethod
    async def _offer_for(turn: Turn, number: str) -> None:
        found = await visible_case(turn, number, Access.REFERRAL_STATE, "case.subject.ask")
        if found is None or not may_enter_subject(turn.person, found[1], found[0]):
            say_not_found(turn, number)
            return
        await offer(turn, found[0])
