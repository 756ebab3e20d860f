"""A bare Microsoft 365 Agents SDK echo agent (anonymous, loopback): the floor vhbot's Teams reply time is
compared with. Run: ``python -m bench.teams_echo PORT``."""

from __future__ import annotations

import sys

from aiohttp import web
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_middleware
from microsoft_agents.hosting.core import AgentAuthConfiguration, TurnContext


class Echo:
    async def on_turn(self, context: TurnContext) -> None:
        if context.activity.type == "message":
            await context.send_activity(context.activity.text or "")


def main(port: int) -> None:
    configuration = AgentAuthConfiguration(anonymous_allowed=True)
    connections = MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": configuration})
    adapter = CloudAdapter(connection_manager=connections)
    agent = Echo()

    async def messages(request: web.Request) -> web.StreamResponse:
        response = await adapter.process(request, agent)
        return response if response is not None else web.Response(status=202)

    application = web.Application(middlewares=[jwt_authorization_middleware])
    application["agent_configuration"] = configuration
    application.router.add_post("/api/messages", messages)
    web.run_app(application, host="127.0.0.1", port=port, print=None, access_log=None)


if __name__ == "__main__":
    main(int(sys.argv[1]))
