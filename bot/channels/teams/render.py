"""Platform-neutral replies as Bot Framework activities, and card answers back as text.

The reply's text always travels as plain text (``textFormat: plain``): Teams renders Markdown in messages, and
our texts quote what people typed. Choices travel as an Adaptive Card attached to the same message; its titles
are plain text by definition. Buttons use ``Action.Execute`` so that answering replaces the card in place, and
each carries the fingerprint of the question it answers, so a button on an older card cannot act.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, Attachment

from handlers.dialogue.messages import FormOffer, Reply

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"
VERB = "answer"
FORM_VERB = "subject"
HIDE_VERB = "hide"  # the button under a case's identifying details: replaces them with one line
# Up to this many options show as buttons; more (or several to pick) become a choice set with one send button.
MAX_BUTTONS = 5


@dataclass(frozen=True)
class CardLabels:
    """The card's own words (from the catalogue, in the person's language)."""

    send: str
    choose: str


def activity_of(reply: Reply, labels: CardLabels) -> Activity:
    activity = Activity(type=ActivityTypes.message, text=reply.text, text_format="plain")
    if reply.choices:
        activity.attachments = [Attachment(content_type=CARD_TYPE, content=choice_card(reply, labels))]
    elif reply.form:
        activity.attachments = [Attachment(content_type=CARD_TYPE, content=form_card(reply.form))]
    return activity


def choice_card(reply: Reply, labels: CardLabels) -> dict[str, Any]:
    names = {choice.key: choice.label for choice in reply.choices}
    data: dict[str, Any] = {"question": reply.question, "labels": names}
    if not reply.multiple and len(reply.choices) <= MAX_BUTTONS:
        actions = [_execute(choice.label, {**data, "choice": choice.key}) for choice in reply.choices]
        return _card([], actions)
    choice_set = {
        "type": "Input.ChoiceSet",
        "id": "choice",
        "isMultiSelect": reply.multiple,
        "style": "expanded" if reply.multiple else "compact",
        "placeholder": labels.choose,
        "isRequired": True,
        "choices": [{"title": choice.label, "value": choice.key} for choice in reply.choices],
    }
    return _card([choice_set], [_execute(labels.send, data)])


def form_card(offer: FormOffer) -> dict[str, Any]:
    """A form for identifying details: empty inputs (a card sent back after a wrong attempt is empty again, it
    never carries what was typed), and one button whose data is the form's signed token."""
    body = [_plain(offer.intro)]
    if offer.error:
        body.append(_plain(offer.error, color="attention"))
    for item in offer.fields:
        field: dict[str, Any] = {
            "type": "Input.Date" if item.kind == "date" else "Input.Text",
            "id": item.key,
            "label": item.label,
            "isRequired": True,
            "errorMessage": item.label,
        }
        if item.kind != "date":
            field |= {"maxLength": item.max_length, "isMultiline": item.kind == "multiline"}
        body.append(field)
    action = {
        "type": "Action.Execute",
        "title": offer.submit,
        "verb": FORM_VERB,
        "data": {"form": offer.token},
    }
    return _card(body, [action])


def details_card(details: tuple[tuple[str, str], ...], note: str, hide: str) -> dict[str, Any]:
    """A case's identifying details, read-only, in the card the person pressed (the answer to their press, not a
    message the bot sends), with a button that hides them again."""
    body: list[dict[str, Any]] = []
    for label, value in details:
        body += [_plain(label, weight="bolder"), _plain(value)]
    body.append(_plain(note, isSubtle=True))
    return _card(body, [{"type": "Action.Execute", "title": hide, "verb": HIDE_VERB, "data": {}}])


def hide_pressed(value: Any) -> bool:
    """Whether an ``adaptiveCard/action`` invoke is the press of the button that hides the details."""
    action = value.get("action") if isinstance(value, dict) else None
    return isinstance(action, dict) and action.get("verb") == HIDE_VERB


def note_card(text: str) -> dict[str, Any]:
    """What replaces a card once it has been answered (or found stale): no buttons left to press. A TextBlock
    would render Markdown, and the answer shown may be text people typed (an action's description): a TextRun
    is shown as it is."""
    return _card([_plain(text, isSubtle=True)], [])


def _plain(text: str, **style: object) -> dict[str, Any]:
    """Text shown as it is (a TextBlock would render Markdown)."""
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text, **style}]}


def _card(body: list[dict[str, Any]], actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
        "actions": actions,
    }


def _execute(title: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Action.Execute", "title": title, "verb": VERB, "data": data}


@dataclass(frozen=True)
class FormSubmission:
    """What a form card sent: its token, and the values typed (which go to the store and nowhere else)."""

    token: str
    values: dict[str, object]


def form_submission_of(value: Any) -> FormSubmission | None:
    """The form card's submit in an ``adaptiveCard/action`` invoke; None if it is something else."""
    action = value.get("action") if isinstance(value, dict) else None
    if not isinstance(action, dict) or action.get("verb") != FORM_VERB:
        return None
    data = action.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("form"), str):
        return None
    return FormSubmission(data["form"], {key: item for key, item in data.items() if key != "form"})


@dataclass(frozen=True)
class CardAnswer:
    """What a pressed button or sent choice set says: the text to hand in, and what to show instead of the card."""

    text: str
    shown: str
    question: str | None


def answer_of(value: Any) -> CardAnswer | None:
    """The answer in an ``adaptiveCard/action`` invoke (or an Action.Submit's value); None if it is not ours."""
    if not isinstance(value, dict):
        return None
    action = value.get("action")
    data = action.get("data") if isinstance(action, dict) else value
    if not isinstance(data, dict) or not isinstance(data.get("choice"), str):
        return None
    keys = [key for key in data["choice"].split(",") if key]
    labels = data.get("labels")
    names = labels if isinstance(labels, dict) else {}
    question = data.get("question")
    return CardAnswer(
        text=",".join(keys),
        shown=", ".join(str(names.get(key, key)) for key in keys),
        question=question if isinstance(question, str) else None,
    )
