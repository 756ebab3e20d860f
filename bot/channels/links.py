"""Addresses in the bot's messages that someone typed, made so that no client can make a link of them.

A goal or an update may hold an address (``https://evil.example/login``, ``www.x.nl``, ``evil.example``). Shown as
it was typed, a client turns it into a clickable link inside a message from the ZVH's own bot: a phishing route.
Showing it as code is not enough: Element leaves code alone, Hydrogen links it anyway (seen in its timeline), and a
plain body is linked by every client. So such an address is *defanged*, the way security teams quote one:
``https[:]//evil[.]example/login`` reads the same and matches no client's pattern. Only the bot's own links (its
form pages, under the public address) stay links.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# What a client would turn into a link: anything with a scheme or 'www.', or a bare domain ('evil.example/x').
LINKABLE = re.compile(
    r"(?i)(?:\b[a-z][a-z0-9+.-]*:/{1,3}|\bwww\.)[^\s<]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b(?:/[^\s<]*)?"
)


def defanged(address: str) -> str:
    """``https://evil.example/x`` as ``https[:]//evil[.]example/x``: readable, and no longer an address."""
    return address.replace("://", "[:]//").replace(".", "[.]")


def each_address(
    text: str, own_links: str | None, own: Callable[[str], str], typed: Callable[[str], str]
) -> str:
    """``text`` with each address in it replaced: one of the bot's own (under ``own_links``) by ``own(address)``,
    any other by ``typed(address)``. The bot's own must start with the public address and a slash, so the same
    path under another host ('https://zvh.example.evil/…') counts as typed."""
    prefix = own_links.rstrip("/") + "/" if own_links else None

    def replaced(found: re.Match[str]) -> str:
        address = found.group(0)
        return own(address) if prefix is not None and address.startswith(prefix) else typed(address)

    return LINKABLE.sub(replaced, text)


def plain(text: str, own_links: str | None) -> str:
    """Plain text with every typed address defanged, the bot's own as they are."""
    return each_address(text, own_links, lambda address: address, defanged)
