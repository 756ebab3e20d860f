"""The values an enum column of the store may take (stored as these short strings, never as numbers)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    MELDER = "melder"
    PROCESREGISSEUR = "procesregisseur"
    KETENMANAGER = "ketenmanager"


class CaseState(StrEnum):
    """The states of domain.md Part 2 §1 that a case row can be in."""

    INGEDIEND = "ingediend"
    SCREENING = "screening"
    ADVIES = "advies"
    GEACCEPTEERD = "geaccepteerd"
    CASUSOVERLEG_GEPLAND = "casusoverleg_gepland"
    PLAN_VAN_AANPAK = "plan_van_aanpak"
    UITVOERING = "uitvoering"
    VERVOLGOVERLEG = "vervolgoverleg"
    OPGESCHAALD = "opgeschaald"
    AFGESCHAALD = "afgeschaald"
    AFGESLOTEN = "afgesloten"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "gedaan"
    CANCELLED = "geannuleerd"  # by the procesregisseur, or because its case was closed


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class JoinStatus(StrEnum):
    ASKING = "asking"  # offered, the organisation not confirmed yet
    PENDING = "pending"  # waiting for a procesregisseur or the ketenmanager
    APPROVED = "approved"
    DECLINED = "declined"
