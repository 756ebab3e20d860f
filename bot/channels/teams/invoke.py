"""The answer to a press on a card (an invoke): Teams waits for it, and shows either a line or the card anew."""

from __future__ import annotations

from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, AdaptiveCardInvokeResponse, InvokeResponse
from microsoft_agents.hosting.core import TurnContext

from bot.channels.teams.render import CARD_TYPE, MESSAGE_TYPE


async def press_answered_with_line(context: TurnContext, text: str) -> None:
    """The card stays as it is, and one line shows."""
    body = {"statusCode": 200, "type": MESSAGE_TYPE, "value": text}
    await context.send_activity(
        Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200, body=body))
    )


async def press_answered_with_card(context: TurnContext, card: dict[str, Any]) -> None:
    """The card pressed is replaced by this one (answered, closed, or a note)."""
    response = AdaptiveCardInvokeResponse(status_code=200, type=CARD_TYPE, value=card)
    body = response.model_dump(mode="json", by_alias=True, exclude_none=True)
    await context.send_activity(
        Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200, body=body))
    )
