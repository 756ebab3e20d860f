"""A bare botbuilder-core echo bot (the archived Bot Framework SDK, anonymous, loopback), for comparison only.

It runs in the benchmark's own environment (``.bench-botbuilder``, made by scripts/bench-teams); vhbot does not
depend on botbuilder. Run: ``.bench-botbuilder/bin/python bench/teams_botbuilder_echo.py PORT``.
"""

from __future__ import annotations

import sys

from aiohttp import web
from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication


class Configuration:
    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


class Echo(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(turn_context.activity.text or "")


def main(port: int) -> None:
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(Configuration()))
    bot = Echo()

    async def messages(request: web.Request) -> web.StreamResponse:
        response = await adapter.process(request, bot)
        return response if response is not None else web.Response(status=202)

    application = web.Application()
    application.router.add_post("/api/messages", messages)
    web.run_app(application, host="127.0.0.1", port=port, print=None, access_log=None)


if __name__ == "__main__":
    main(int(sys.argv[1]))
