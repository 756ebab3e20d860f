"""Case numbers are unique and consecutive, also when referrals arrive at the same moment."""

from __future__ import annotations

import asyncio

from bot.app import App
from storage.cases import next_case_number


async def test_concurrent_referrals_never_share_a_number(app: App) -> None:
    async def allocate() -> str:
        async with app.sessions() as session, session.begin():
            return await next_case_number(session, "VH", 2026)

    numbers = await asyncio.gather(*(allocate() for _ in range(12)))
    assert sorted(numbers) == [f"VH-2026-{n:04d}" for n in range(1, 13)]


async def test_numbering_starts_again_each_year(app: App) -> None:
    async with app.sessions() as session, session.begin():
        assert await next_case_number(session, "VH", 2026) == "VH-2026-0001"
        assert await next_case_number(session, "VH", 2027) == "VH-2027-0001"
        assert await next_case_number(session, "ZVH", 2026) == "ZVH-2026-0002"
