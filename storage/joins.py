"""Join requests: someone from a known tenant or homeserver asking to become a melder, and the decision.

There is one row per channel address. Deciding is one conditional UPDATE on a pending row, so when two
procesregisseurs answer the same request at once, only one of them decides it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import JoinRequest, JoinStatus


async def of(session: AsyncSession, channel: str, address: str) -> JoinRequest | None:
    query = select(JoinRequest).where(JoinRequest.channel == channel, JoinRequest.address == address)
    return (await session.execute(query)).scalar_one_or_none()


async def by_id(session: AsyncSession, request_id: int) -> JoinRequest | None:
    return await session.get(JoinRequest, request_id)


async def offer(
    session: AsyncSession, channel: str, address: str, name: str, organisation_id: int, now: datetime
) -> JoinRequest:
    """The request as offered to the person, not sent yet: they still confirm the organisation."""
    request = JoinRequest(
        channel=channel,
        address=address,
        display_name=name,
        organisation_id=organisation_id,
        status=JoinStatus.ASKING,
        created_at=now,
    )
    session.add(request)
    await session.flush()
    return request


async def withdraw(session: AsyncSession, request: JoinRequest) -> None:
    """The person did not want to ask after all: nothing of it is kept."""
    await session.execute(delete(JoinRequest).where(JoinRequest.id == request.id))


async def pending(session: AsyncSession) -> Sequence[JoinRequest]:
    query = select(JoinRequest).where(JoinRequest.status == JoinStatus.PENDING).order_by(JoinRequest.id)
    return (await session.execute(query)).scalars().all()


@dataclass(frozen=True)
class Decided:
    """A request just decided, with the name it carried (which the row no longer keeps)."""

    channel: str
    address: str
    name: str
    organisation_id: int


async def decide(
    session: AsyncSession, request_id: int, approve: bool, decider_id: int, now: datetime
) -> Decided | None:
    """Approve or decline a pending request; None when it was not pending (decided by someone else, or gone).
    Once decided, the name the channel gave is no longer kept here (an approved person's name is in their
    account from then on)."""
    result = await session.execute(
        update(JoinRequest)
        .where(JoinRequest.id == request_id, JoinRequest.status == JoinStatus.PENDING)
        .values(
            status=JoinStatus.APPROVED if approve else JoinStatus.DECLINED,
            decided_at=now,
            decided_by_id=decider_id,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    request = await session.get(JoinRequest, request_id, populate_existing=True)
    assert request is not None
    decided = Decided(request.channel, request.address, request.display_name, request.organisation_id)
    request.display_name = ""
    return decided
