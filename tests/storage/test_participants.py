"""A person or organisation is a deelnemer of a case once, however many actions they get."""

from __future__ import annotations

from sqlalchemy import insert, select

from bot.app import App
from storage import cases
from storage.models import Case, CaseState, Professional
from tests.conftest import NOW


async def test_adding_the_same_participant_twice_keeps_one_row(demo: App) -> None:
    async with demo.sessions() as session, session.begin():
        agent = (
            await session.execute(select(Professional).where(Professional.handle == "agent"))
        ).scalar_one()
        await session.execute(insert(Case).values(
            number="VH-2026-0001", state=CaseState.UITVOERING, melder_id=agent.id, gemeente="Baarn",
            subject_type="persoon", leefgebieden=[], ketens=[], urgency="normaal", informed="ja", goal="x",
            created_at=NOW, updated_at=NOW,
        ))  # fmt: skip
        case = await cases.by_number(session, "VH-2026-0001")
        assert case is not None
        for _ in range(2):
            await cases.add_participant(session, case.id, professional_id=agent.id)
            await cases.add_participant(session, case.id, organisation_id=agent.organisation_id)
        rows = await cases.participants(session, case.id)
    assert [(row.professional_id, row.organisation_id) for row in rows] == [
        (agent.id, None),
        (None, agent.organisation_id),
    ]
