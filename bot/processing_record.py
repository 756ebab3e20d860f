"""The processing record (verwerkingsregister, AVG art. 30) for vhbot, as a ZVH's privacy officer needs it for the
register and a DPIA: purposes, categories of data and of people, recipients, terms, security measures.

What the configuration decides (the referral form's questions, the terms) is filled into the template, so the
record cannot drift from what the installation does; `vhbot betrokkene register` prints it for the installation
at hand, and docs/verwerking.md is it for the shipped defaults (a test compares them).
"""

from __future__ import annotations

from config.definitions import Definitions
from config.files import data_file
from config.settings import Settings

TEMPLATE = "verwerking.md"


def record(settings: Settings, definitions: Definitions) -> str:
    """The record as Markdown, in Dutch (the register is kept in Dutch), from ``config/verwerking.md`` (or the
    ZVH's own copy of it) with this installation's figures filled in."""
    template = data_file(TEMPLATE).read_text(encoding="utf-8")
    if template.startswith("<!--"):  # the note to whoever edits the template
        template = template.split("-->\n", 1)[1]
    return template.format(
        questions=", ".join(question.key for question in definitions.referral_form),
        closed_months=settings.retention_months,
        advice_months=settings.retention_advice_months or settings.retention_months,
        audit_months=settings.audit_retention_months or "–",
        dialogue_hours=settings.dialogue_timeout_minutes // 60,
        inbound_days=settings.inbound_retention_days,
        form_minutes=settings.form_link_minutes,
    )
