"""Platform-neutral replies as Matrix message content, and a person's message back as plain text."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.channels.unbroken import unbroken
from handlers.dialogue.messages import Reply, numbered

# Bots send m.notice so that other bots do not answer them (and we ignore notices in return).
MSGTYPE = "m.notice"
# A rich reply's plain body starts with the quoted original ("> <@bot:server> …" lines, then a blank line).
_REPLY_FALLBACK = re.compile(r"\A(?:>[^\n]*\n)+\n?")


def content_of(reply: Reply, in_reply_to: str | None = None) -> dict[str, Any]:
    """A plain ``body`` and an HTML ``formatted_body``; everything in it is escaped, including our own texts,
    which quote what people typed. Choices become a numbered list: the number or the word both answer."""
    body = reply.text
    markup = unbroken(html.escape(reply.text)).replace("\n", "<br>")
    if reply.choices:
        options = numbered(reply.choices)
        body += "\n" + "\n".join(f"{number}. {choice.label}" for number, choice in options)
        if [number for number, _ in options] == list(range(1, len(options) + 1)):
            items = "".join(f"<li>{unbroken(html.escape(choice.label))}</li>" for _, choice in options)
            markup += f"<ol>{items}</ol>"
        else:  # a menu that keeps its numbers: an <ol> would renumber the items it shows
            items = "".join(
                f"<li>{number}. {unbroken(html.escape(choice.label))}</li>" for number, choice in options
            )
            markup += f"<ul>{items}</ul>"
    content: dict[str, Any] = {
        "msgtype": MSGTYPE,
        "body": body,
        "format": "org.matrix.custom.html",
        "formatted_body": markup,
    }
    if in_reply_to:
        content["m.relates_to"] = {"m.in_reply_to": {"event_id": in_reply_to}}
    return content


def text_of(body: str, is_reply: bool) -> str:
    """What the person wrote: a reply's quoted fallback (older clients add it) is not part of the answer."""
    return _REPLY_FALLBACK.sub("", body, count=1) if is_reply else body
