"""Platform-neutral replies as Bot Framework activities, and card answers back as text.

Every reply is one Adaptive Card: Teams renders a message's text as Markdown whatever ``textFormat`` says and
folds single line breaks, so text travels in the card as one ``RichTextBlock`` per line, whose ``TextRun`` is
shown as it is (what people typed never turns bold or into a link). One style for every card: a short "Label:
value" line shows its label in bold, a line that heads a list is bold, list items all start with "•" and are
never bold. The question's options are in the same card: a few short ones as buttons, others as a choice set, all
numbered as in every channel (a plain yes or no needs no numbers), so that "kies een nummer" holds and a typed
number answers too. Case numbers do
not break across lines. A notification shows the activity's ``summary``, which names no case.

Buttons use ``Action.Execute`` so that answering replaces the card in place, and each carries the fingerprint
of the question it answers, so a button on an older card cannot act.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, Attachment

from bot.channels.layout import Shape, lines_of
from bot.channels.unbroken import unbroken
from handlers.dialogue.messages import Choice, FormOffer, Reply, numbered
from handlers.identifying.forms import DATE_SHAPE

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
MESSAGE_TYPE = "application/vnd.microsoft.activity.message"  # an invoke answer that leaves the card as it is
CARD_VERSION = "1.5"
VERB = "answer"
FORM_VERB = "subject"
HIDE_VERB = "hide"  # the button under a case's identifying details: replaces them with one line
# Up to this many options, each this short, show as buttons (they fit side by side or stacked on a phone);
# others become a choice set with one send button.
MAX_BUTTONS = 5
# Teams refuses a bot message over about 28 KB; a card with a picture stays under this.
CARD_BYTES = 26_000
MAX_BUTTON_LABEL = 24
# A choice set this long or longer is a drop-down; shorter ones list every option, wrapping long labels.
COMPACT_FROM = 9


@dataclass(frozen=True)
class CardLabels:
    """The card's own words (from the catalogue, in the person's language)."""

    send: str
    choose: str
    summary: str  # what a notification shows in place of the card
    pick_one: str  # what a choice set sent with nothing ticked gets


def activity_of(reply: Reply, labels: CardLabels, chart_png: bytes | None = None) -> Activity:
    """The reply as one card; its chart (drawn already, as PNG) inside it, under the text, where it fits."""
    if reply.form:
        card = form_card(reply.form, reply.text)
    else:
        card = reply_card(reply, labels)
    if chart_png is not None and reply.chart is not None:
        card = with_chart(card, chart_png, reply.chart.alt)
    attachment = Attachment(content_type=CARD_TYPE, content=card)
    return Activity(type=ActivityTypes.message, summary=labels.summary, attachments=[attachment])


def reply_card(reply: Reply, labels: CardLabels) -> dict[str, Any]:
    """The reply's lines, and its options as buttons or a choice set."""
    body = text_blocks(reply.text)
    if not reply.choices:
        return _card(body, [])
    names = {choice.key: choice.label for choice in reply.choices}
    # The card's own lines go with its answer, so that the card answered in place keeps its question.
    data: dict[str, Any] = {"question": reply.question, "labels": names, "asked": reply.text}
    # Numbered as the other channels number them, so a hint to type a number holds; a yes or no needs none.
    options = [
        (number if len(reply.choices) > 2 else None, choice) for number, choice in numbered(reply.choices)
    ]
    if _as_buttons(reply):
        actions = [
            _execute(_option(number, choice), {**data, "choice": choice.key}) for number, choice in options
        ]
        return _card(body, actions)
    choice_set = {
        "type": "Input.ChoiceSet",
        "id": "choice",
        "isMultiSelect": reply.multiple,
        "style": "compact" if len(options) >= COMPACT_FROM and not reply.multiple else "expanded",
        "placeholder": labels.choose,
        "isRequired": True,
        "errorMessage": labels.pick_one,
        "wrap": True,
        "choices": [{"title": _option(number, choice), "value": choice.key} for number, choice in options],
    }
    return _card([*body, choice_set], [_execute(labels.send, data)])


def _as_buttons(reply: Reply) -> bool:
    return (
        not reply.multiple
        and len(reply.choices) <= MAX_BUTTONS
        and all(len(choice.label) <= MAX_BUTTON_LABEL for choice in reply.choices)
    )


def _option(number: int | None, choice: Choice) -> str:
    return unbroken(choice.label if number is None else f"{number}. {choice.label}")


def text_blocks(text: str, **style: object) -> list[dict[str, Any]]:
    """One block per line in the one style of every reply (``bot.channels.layout``): an item with "• " and never
    bold, a list's heading and a short label in bold; lines of a paragraph close together, paragraphs apart."""
    blocks: list[dict[str, Any]] = []
    for line in lines_of(text):
        if line.shape is Shape.ITEM:
            block = _plain(f"• {line.text}", **style)
        elif line.shape is Shape.LABELLED:
            block = _runs((f"{line.label}: ", {"weight": "bolder", **style}), (line.text, style))
        elif line.shape is Shape.HEADING:
            block = _plain(line.text, weight="bolder", **style)
        else:
            block = _plain(line.text, **style)
        if blocks:
            block["spacing"] = "medium" if line.after_gap else "small"
        blocks.append(block)
    return blocks


def form_card(offer: FormOffer, lead: str = "") -> dict[str, Any]:
    """A form for identifying details under the reply's ``lead`` lines: empty inputs (a card sent back after a
    wrong attempt is empty again, it never carries what was typed), and one button whose data is the form's
    signed token."""
    # The title names the case: a form that comes back after a mistake still says which case it is for.
    body = [*text_blocks(lead), _plain(offer.title, weight="bolder"), _plain(offer.intro)]
    if offer.error:
        body += text_blocks(offer.error, color="attention")
    for item in offer.fields:
        # A date is typed, not picked: Teams' own date input reads a typed 29-02-1980 month first on some
        # clients. The card checks the shape before sending; the bot reads the day as the Dutch write it.
        field: dict[str, Any] = {
            "type": "Input.Text",
            "id": item.key,
            "label": f"{item.label} ({item.hint})" if item.hint else item.label,
            "isRequired": True,
            "errorMessage": item.error or item.label,
            "maxLength": item.max_length,
            "isMultiline": item.kind == "multiline",
        }
        if item.kind == "date":
            field |= {"placeholder": item.hint, "regex": DATE_SHAPE}
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


def closed_card(asked: str, outcome: str) -> dict[str, Any]:
    """A question that is over, as it stays in the history: its lines as they were, then how it ended (the answer
    given, or that it is no longer open), and nothing left to press, the way Teams' own approval cards read."""
    ending = {**_plain(outcome, weight="bolder", isSubtle=True), "separator": True, "spacing": "medium"}
    return _card([*text_blocks(asked), ending], [])


def _plain(text: str, **style: object) -> dict[str, Any]:
    """Text shown as it is (a TextBlock would render Markdown)."""
    return _runs((text, style))


def _runs(*parts: tuple[str, dict[str, object]]) -> dict[str, Any]:
    inlines = [{"type": "TextRun", "text": unbroken(text), **style} for text, style in parts]
    return {"type": "RichTextBlock", "inlines": inlines}


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
    """What a pressed button or sent choice set says: the keys of the options (handed in as keys, never as typed
    text), and what to show instead of the card."""

    keys: tuple[str, ...]
    shown: str
    question: str | None
    asked: str  # the lines of the card it came from


def answer_of(value: Any) -> CardAnswer | None:
    """The answer in an ``adaptiveCard/action`` invoke (or an Action.Submit's value); None if it is not ours."""
    if not isinstance(value, dict):
        return None
    action = value.get("action")
    data = action.get("data") if isinstance(action, dict) else value
    if not isinstance(data, dict) or not isinstance(data.get("choice"), str):
        return None
    keys = tuple(key for key in data["choice"].split(",") if key)
    labels = data.get("labels")
    names = labels if isinstance(labels, dict) else {}
    question, asked = data.get("question"), data.get("asked")
    return CardAnswer(
        keys=keys,
        shown=", ".join(str(names.get(key, key)) for key in keys),
        question=question if isinstance(question, str) else None,
        asked=asked if isinstance(asked, str) else "",
    )


def with_chart(card: dict[str, Any], png: bytes, alt: str) -> dict[str, Any]:
    """The card with the chart inside it, under its text, as every Teams client (and the Playground) shows an
    Adaptive Card image: a data URI (cards 1.2+), stretched to the card's width, with its text alternative. A
    chart that would take the message past Teams' size limit is left out: the text carries the same counts."""
    image = {
        "type": "Image",
        "url": f"data:image/png;base64,{base64.b64encode(png).decode()}",
        "altText": alt,
        "size": "stretch",
        "spacing": "medium",
    }
    charted = {**card, "body": [*card["body"], image]}
    if len(json.dumps(charted)) > CARD_BYTES:
        return card
    return charted
