"""Dates and times written out in full, in the person's language ("vrijdag 4 december 2026, 14:00")."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from config.catalogue import Catalogue


def long_date(
    texts: Catalogue, language: str, moment: datetime, tz: ZoneInfo, *, with_time: bool = True
) -> str:
    local = moment.astimezone(tz)
    day = texts.text(language, "date.days").split(",")[local.weekday()]
    month = texts.text(language, "date.months").split(",")[local.month - 1]
    text = f"{day} {local.day} {month} {local.year}"
    return f"{text}, {local:%H:%M}" if with_time else text


def short_date(texts: Catalogue, language: str, moment: datetime, tz: ZoneInfo) -> str:
    """Compact form for lists: 'vr 4 dec 14:00'."""
    local = moment.astimezone(tz)
    day = texts.text(language, "date.days_short").split(",")[local.weekday()]
    month = texts.text(language, "date.months_short").split(",")[local.month - 1]
    return f"{day} {local.day} {month} {local:%H:%M}"
