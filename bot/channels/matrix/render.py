"""Platform-neutral replies as Matrix message content, and a person's message back as plain text."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.channels.layout import Shape, lines_of
from bot.channels.links import defanged, each_address, plain
from bot.channels.unbroken import unbroken
from handlers.dialogue.messages import Reply, numbered

# Bots send m.notice so that other bots do not answer them (and we ignore notices in return).
MSGTYPE = "m.notice"
# A rich reply's plain body starts with the quoted original ("> <@bot:server> …" lines, then a blank line).
_REPLY_FALLBACK = re.compile(r"\A(?:>[^\n]*\n)+\n?")


def content_of(reply: Reply, in_reply_to: str | None = None, own_links: str | None = None) -> dict[str, Any]:
    """A plain ``body`` and an HTML ``formatted_body``; everything in it is escaped, including our own texts,
    which quote what people typed. Choices become a numbered list: the number or the word both answer.

    An address someone typed is defanged in both (``bot.channels.links``), and set as code in the HTML so it
    looks apart; the bot's own links, under ``own_links`` (the public address), are real links."""
    body = plain(reply.text, own_links)
    markup = _structured(reply.text, own_links, question_last=bool(reply.choices))
    if reply.choices:
        options = numbered(reply.choices)
        body += "\n" + "\n".join(f"{number}. {plain(choice.label, None)}" for number, choice in options)
        labels = (_defused(unbroken(html.escape(choice.label)), None) for _, choice in options)
        markup += "<ol>" + "".join(f"<li>{label}</li>" for label in labels) + "</ol>"
    content: dict[str, Any] = {
        "msgtype": MSGTYPE,
        "body": body,
        "format": "org.matrix.custom.html",
        "formatted_body": markup,
    }
    if in_reply_to:
        content["m.relates_to"] = {"m.in_reply_to": {"event_id": in_reply_to}}
    return content


def _structured(text: str, own_links: str | None, question_last: bool) -> str:
    """The reply in the one style of every channel (``bot.channels.layout``): paragraphs, short labels and a
    list's heading in bold (``<strong>``: Hydrogen drops ``<b>``), items as one list; where options follow, the question (the last line) stands in a
    paragraph of its own, apart from what it asks about."""

    def shown(part: str) -> str:
        return _defused(unbroken(html.escape(part)), own_links)

    shaped = lines_of(text)
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            blocks.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()

    def end_list() -> None:
        if items:
            blocks.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()

    for index, line in enumerate(shaped):
        if line.after_gap or (question_last and index == len(shaped) - 1):
            end_paragraph()
        if line.shape is Shape.ITEM:
            end_paragraph()
            items.append(shown(line.text))
            continue
        end_list()
        if line.shape is Shape.LABELLED:
            paragraph.append(f"<strong>{shown(line.label)}:</strong> {shown(line.text)}")
        elif line.shape is Shape.HEADING:
            paragraph.append(f"<strong>{shown(line.text)}</strong>")
        else:
            paragraph.append(shown(line.text))
    end_paragraph()
    end_list()
    return "".join(blocks)


def _defused(markup: str, own_links: str | None) -> str:
    """Escaped text with every address someone typed defanged and set as code; the bot's own are links."""
    return each_address(
        markup,
        html.escape(own_links) if own_links else None,
        lambda address: f'<a href="{address}">{address}</a>',
        lambda address: f"<code>{defanged(address)}</code>",
    )


def text_of(body: str, is_reply: bool) -> str:
    """What the person wrote: a reply's quoted fallback (older clients add it) is not part of the answer."""
    return _REPLY_FALLBACK.sub("", body, count=1) if is_reply else body
