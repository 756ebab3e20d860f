"""'vhbot doctor' reaches the homeserver and asks it whether it knows the bot's device (issue 40): it said 'ok' for
a wrong token or a homeserver that was not there. It logs nothing in: a password is tried at the first start."""

from __future__ import annotations

import uuid

from tests.bot.matrix.homeserver import Homeserver, free_port


def matrix_line(output: str) -> str:
    return next(line for line in output.splitlines() if line.split(maxsplit=1)[1].startswith("Matrix"))


def test_doctor_asks_the_homeserver_whether_it_knows_the_bot(run, homeserver: Homeserver) -> None:  # type: ignore[no-untyped-def]
    account, token = homeserver.register_with_token(f"vhbot-{uuid.uuid4().hex[:8]}")
    matrix = {"matrix_homeserver": homeserver.url, "matrix_user_id": account}
    known = matrix_line(run("doctor", **matrix, matrix_access_token=token).stdout)
    assert known.startswith("ok") and account in known and homeserver.url in known
    refused = matrix_line(run("doctor", **matrix, matrix_access_token="syt_not_a_token").stdout)
    assert refused.startswith("PROBLEM") and "does not accept VHBOT_MATRIX_ACCESS_TOKEN" in refused
    first = matrix_line(run("doctor", **matrix, matrix_password="secret-password").stdout)
    assert first.startswith("ok") and "tried at the first start" in first
    nowhere = {**matrix, "matrix_homeserver": f"http://127.0.0.1:{free_port()}"}
    gone = matrix_line(run("doctor", **nowhere, matrix_access_token=token).stdout)
    assert gone.startswith("PROBLEM") and "does not answer" in gone
