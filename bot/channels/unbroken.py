"""Case numbers that do not break across lines: on a phone "VH-2026-" / "0001" reads as two things. Channels show
them with non-breaking hyphens; what people copy back from there is read as plain hyphens again
(``handlers.plain_text.clean``)."""

from __future__ import annotations

import re

NON_BREAKING_HYPHEN = "\u2011"
_CASE_NUMBER = re.compile(r"\b[A-Z]{2,5}-\d{4}-\d{3,6}\b")


def unbroken(text: str) -> str:
    return _CASE_NUMBER.sub(lambda found: found.group(0).replace("-", NON_BREAKING_HYPHEN), text)
