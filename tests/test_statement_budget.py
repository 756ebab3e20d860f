"""How many SQL statements one message costs (issue 35, in part): a list must not cost more with more cases, and
no message kind more than the budget written beside it. Counted on both backends, at 10 cases and at 200, for
a procesregisseur who directs them all and for the holder of their actions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from bench.handling import add_cases, seed
from bot.app import App
from bot.channels.terminal import TerminalChannel

# Who types what, and the most statements it may cost (the last figure measured, for a regression to show).
BUDGETS = {
    (
        "regisseur",
        "status VH-2026-0003",
    ): 5,  # the person, the lookup, the case, its file (storage/case_file), the audit
    ("regisseur", "status mijn"): 6,
    ("regisseur", "status achterstallig"): 5,
    ("regisseur", "status nieuw"): 3,
    ("regisseur", "updates"): 6,
    ("regisseur", "intake"): 4,  # and whose gemeente each referral is (issue 36)
    ("regisseur", "plan"): 4,
    ("reclassering", "acties"): 6,
    ("agent", "status"): 5,
    ("manager", "status"): 4,
}


@contextmanager
def counted(app: App) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(connection: object, cursor: object, statement: str, *rest: object) -> None:
        statements.append(statement)

    event.listen(app.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", record)


async def costs(app: App) -> dict[tuple[str, str], int]:
    found = {}
    for handle, text in BUDGETS:
        channel = TerminalChannel(app.dispatcher, handle)
        await channel.send("stop")  # nothing open: the entry message alone is counted
        with counted(app) as statements:
            answer = await channel.send(text)
        assert answer and "lukt nu even niet" not in "\n".join(answer), (handle, text, answer)
        found[(handle, text)] = len(statements)
    return found


async def test_no_list_costs_more_statements_with_more_cases_and_none_exceeds_its_budget(app: App) -> None:
    await seed(app, 10)
    few = await costs(app)
    await add_cases(app, 11, 200)
    many = await costs(app)
    grows = {kind: (few[kind], many[kind]) for kind in BUDGETS if many[kind] > few[kind]}
    assert not grows, f"statements grow with the number of cases: {grows}"
    over = {kind: many[kind] for kind, budget in BUDGETS.items() if many[kind] > budget}
    assert not over, f"over budget: {over}"
