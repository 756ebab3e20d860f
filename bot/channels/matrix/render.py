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
# What a client would turn into a link: anything with a scheme or 'www.', or a bare domain ('evil.example/x').
_LINKABLE = re.compile(
    r"(?i)(?:\b[a-z][a-z0-9+.-]*:/{1,3}|\bwww\.)[^\s<]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b(?:/[^\s<]*)?"
)


def content_of(reply: Reply, in_reply_to: str | None = None, own_links: str | None = None) -> dict[str, Any]:
    """A plain ``body`` and an HTML ``formatted_body``; everything in it is escaped, including our own texts,
    which quote what people typed. Choices become a numbered list: the number or the word both answer.

    Clients make links of URLs and domains in a message's text, so one a melder typed would reach the
    procesregisseur as a live link in a message from the ZVH's own bot: a phishing route. In the HTML every such
    token is code (no client links code), except the bot's own links, under ``own_links`` (the public address),
    which are real links."""
    body = reply.text
    markup = _defused(unbroken(html.escape(reply.text)), own_links).replace("\n", "<br>")
    if reply.choices:
        options = numbered(reply.choices)
        body += "\n" + "\n".join(f"{number}. {choice.label}" for number, choice in options)
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


def _defused(markup: str, own_links: str | None) -> str:
    """Escaped text with every linkable token as code, but for the bot's own links (see content_of)."""
    own = html.escape(own_links.rstrip("/") + "/") if own_links else None

    def shown(found: re.Match[str]) -> str:
        token = found.group(0)
        if own is not None and token.startswith(own):
            return f'<a href="{token}">{token}</a>'
        return f"<code>{token}</code>"

    return _LINKABLE.sub(shown, markup)


def text_of(body: str, is_reply: bool) -> str:
    """What the person wrote: a reply's quoted fallback (older clients add it) is not part of the answer."""
    return _REPLY_FALLBACK.sub("", body, count=1) if is_reply else body
