"""The name a newcomer's account gets: the one their channel gives, made safe to show and to export."""

from __future__ import annotations

from config.catalogue import Catalogue
from handlers.dialogue.plain_text import clean
from storage.cells import FORMULA_STARTS


def account_name(texts: Catalogue, display_name: str | None) -> str:
    """Names end up in exports: one that starts like a spreadsheet formula loses that start; no name at all is
    'Nieuwe melder'."""
    name = clean(display_name or "").lstrip("".join(FORMULA_STARTS))[:200]
    return name or texts.text(texts.default_language, "joining.unnamed")
