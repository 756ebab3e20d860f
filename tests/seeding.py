"""A store with a unique marker in every free-text field, written through real conversations: what the
encryption and canary tests look for in the raw database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from tests.conftest import Chat
from tests.test_scenario import CHECK_THAT_FITS, PLAN_ONE_ACTION, REFERRAL_REST


@dataclass(frozen=True)
class Markers:
    """Words no text of vhbot contains; each lands in one kind of field."""

    goal: str
    advice: str
    action: str
    feedback: str
    draft: str

    @classmethod
    def new(cls) -> Markers:
        tag = uuid.uuid4().hex[:8]
        return cls(*(f"kanarie{field}{tag}" for field in ("doel", "advies", "actie", "update", "concept")))

    def all(self) -> list[str]:
        return [self.goal, self.advice, self.action, self.feedback, self.draft]


async def seed_every_field(chat: Chat) -> Markers:
    """Two referrals (one accepted and planned with an update, one redirected with advice) and an update being
    typed but not yet sent (it lives in the dialogue state)."""
    markers = Markers.new()
    goal_rest = [*REFERRAL_REST[:3], f"Doel {markers.goal} stagneert", "ja"]
    for _ in range(2):
        await chat("agent", *CHECK_THAT_FITS)
        await chat("agent", "ja", *goal_rest)
    first, second = "VH-2026-0001", "VH-2026-0002"
    await chat("regisseur", f"beoordeel {first}", "accepteren", "1")
    await chat("regisseur", f"plan {first}", f"Actie {markers.action} afleggen", *PLAN_ONE_ACTION[1:])
    await chat("regisseur2", f"beoordeel {second}", "doorverwijzen", "wijkteam")
    await chat("regisseur2", f"Advies {markers.advice} bij het wijkteam")
    await chat("agent", f"terugkoppeling {first}", "1", f"Update {markers.feedback} loopt", "nee")
    await chat("agent", f"terugkoppeling {first}", "1", f"Concept {markers.draft} nog niet verstuurd")
    return markers
