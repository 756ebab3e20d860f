"""Whether a refusal's timing tells that a case number exists (issue 19 §12).

A melder asks for the status of a case that exists but is someone else's, and of a number that does not exist;
both get the same words, and should take the same time. In-process on an SQLite store (no network jitter to
hide behind), the two kinds of question alternate, and so does a control pair (two numbers that do not exist),
which shows how far two things doing the same work differ on this machine at this moment.

    scripts/bench-lookup                  # 2000 rounds
    scripts/bench-lookup --rounds 500
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from bench.handling import BENCH_RATE, NOW, seed, sqlite_settings
from bot.app import App, build_app
from bot.channels.terminal import TerminalChannel
from handlers.dates.clock import FixedClock
from storage import migrate

# Cases 1-5 are the agent's (bench.handling.AGENT_CASES); the rest are someone else's.
OTHERS = "VH-2026-0050"
NOWHERE, NOWHERE_TOO = "VH-2026-9998", "VH-2026-9999"


async def ask(channel: TerminalChannel, number: str) -> float:
    started = time.perf_counter()
    answer = await channel.send(f"status {number}")
    elapsed = (time.perf_counter() - started) * 1000
    assert "Ik kan geen casus" in answer[0], answer
    return elapsed


async def measure(app: App, rounds: int) -> dict[str, list[float]]:
    agent = TerminalChannel(app.dispatcher, "agent")
    numbers = {"someone else's case": OTHERS, "no such case": NOWHERE, "no such case (control)": NOWHERE_TOO}
    for number in numbers.values():  # warm caches before measuring
        for _ in range(20):
            await ask(agent, number)
    times: dict[str, list[float]] = {name: [] for name in numbers}
    for _ in range(rounds):
        for name, number in numbers.items():
            times[name].append(await ask(agent, number))
    return times


async def main(rounds: int) -> None:
    # This melder asks for numbers they may not see on purpose: the lookup limit is lifted.
    app = build_app(sqlite_settings(rate_lookup_misses_per_hour=BENCH_RATE), FixedClock(NOW))
    try:
        await migrate.upgrade(app.engine)
        await seed(app, 100)
        times = await measure(app, rounds)
    finally:
        await app.close()
    baseline = statistics.median(times["no such case"])
    print(f"{rounds} rounds, alternating; median and trimmed mean (middle 80 %) per question, in ms")
    for name, measured in times.items():
        median = statistics.median(measured)
        ordered = sorted(measured)
        cut = len(ordered) // 10
        trimmed = statistics.fmean(ordered[cut : len(ordered) - cut])
        print(f"{name:<24} median {median:6.3f}  trimmed {trimmed:6.3f}  Δ median {median - baseline:+6.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2000)
    asyncio.run(main(parser.parse_args().rounds))
