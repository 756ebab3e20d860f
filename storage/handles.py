"""Handles, the short names professionals are known by in commands ('jan-bakker'): made from a name, without
importing anything heavy (the command line uses it before it needs the store)."""

from __future__ import annotations

import re


def handle_from(name: str) -> str:
    """Lower case, words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
