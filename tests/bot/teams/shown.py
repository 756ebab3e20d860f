"""What a person reads of a message the bot posted to Teams: its card's lines (each RichTextBlock one line), as
the tests compare them with the catalogue's texts (non-breaking hyphens read as plain ones)."""

from __future__ import annotations

from typing import Any

from bot.channels.teams.render import CARD_TYPE


def card_in(activity: dict[str, Any]) -> dict[str, Any] | None:
    for attachment in activity.get("attachments") or []:
        if attachment.get("contentType") == CARD_TYPE:
            return dict(attachment["content"])
    return None


def card_lines(card: dict[str, Any]) -> list[str]:
    """The card's text, one entry per block, the text of its runs joined."""
    return [
        "".join(str(run.get("text", "")) for run in block.get("inlines", [])).replace("\u2011", "-")
        for block in card.get("body", [])
        if block.get("type") == "RichTextBlock"
    ]


def shown_text(activity: dict[str, Any]) -> str:
    """The activity's own text (a one-line refusal) or else its card's lines."""
    if activity.get("text"):
        return str(activity["text"])
    card = card_in(activity)
    return "\n".join(card_lines(card)) if card else ""
