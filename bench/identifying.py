"""How well the identifying-data detector reads what professionals type, and what it costs (issue 18).

Over the test table (``tests/handlers/identifying/sentences.py``: ``TABLE``, which the tests read right, and
``MISSED``, the forms it knowingly gets wrong) it prints per kind how many messages holding that kind were
caught (recall) and how many messages without it were flagged as having it (false alarms); then the time per
message, side by side with normalising the text alone (the least any check must do), and what importing the
detector adds to a process that already holds the serving stack.

    scripts/bench-identifying
    scripts/bench-identifying --rounds 200
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date

from handlers.identifying.detector import identifying_kinds, normalised
from tests.handlers.identifying.sentences import MISSED, TABLE

TODAY = date(2026, 11, 23)
KINDS = ("bsn", "iban", "phone", "email", "address", "birth_date", "name")
LONG = " ".join(text for text, kinds in TABLE if not kinds)[:1000]
_RESIDENT = """
import resource, aiohttp, sqlalchemy.ext.asyncio, pydantic_settings
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
from datetime import date
from handlers.identifying.detector import identifying_kinds
identifying_kinds("meneer Bakker, bsn 111222333, NL91ABNA0417164300", date(2026, 11, 23))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def quality() -> None:
    rows = [(text, truth, set(identifying_kinds(text, TODAY))) for text, truth in [*TABLE, *MISSED]]
    print(f"{len(rows)} sentences ({len(TABLE)} read right by the tests, {len(MISSED)} known misses)\n")
    print(f"{'kind':<11} {'caught':>10} {'recall':>7} {'false alarms':>13}")
    for kind in KINDS:
        holding = [found for _, truth, found in rows if kind in truth]
        without = [found for _, truth, found in rows if kind not in truth]
        caught = sum(kind in found for found in holding)
        alarms = sum(kind in found for found in without)
        recall = f"{caught / len(holding):.0%}" if holding else "-"
        print(f"{kind:<11} {caught:>4} of {len(holding):<3} {recall:>7} {alarms:>4} of {len(without):<6}")
    clean = [found for _, truth, found in rows if not truth]
    flagged = sum(bool(found) for found in clean)
    print(f"\nmessages without identifying data flagged anyway: {flagged} of {len(clean)}")


def per_message(work: Callable[[str], object], texts: list[str], rounds: int) -> float:
    """Median milliseconds per message over ``rounds`` passes."""
    passes = []
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            work(text)
        passes.append((time.perf_counter() - started) * 1000 / len(texts))
    return statistics.median(passes)


def cost(rounds: int) -> None:
    texts = [text for text, _ in TABLE]
    print(f"\n{'per message (median ms)':<34} {'detector':>9} {'normalise only':>15} {'ratio':>6}")
    for label, sample in (("the table's sentences", texts), (f"one of {len(LONG)} characters", [LONG])):
        detector = per_message(lambda text: identifying_kinds(text, TODAY), sample, rounds)
        floor = per_message(normalised, sample, rounds)
        print(f"{label:<34} {detector:>9.3f} {floor:>15.4f} {detector / floor:>6.0f}")


def resident() -> None:
    added = subprocess.run([sys.executable, "-c", _RESIDENT], capture_output=True, text=True, check=True)
    print(
        f"\nimporting and first use of the detector, after aiohttp, SQLAlchemy and pydantic: "
        f"+{int(added.stdout) / 1024:.1f} MB resident"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=100)
    arguments = parser.parse_args()
    identifying_kinds("warm up", TODAY)  # the first call compiles the name patterns
    quality()
    cost(arguments.rounds)
    resident()


if __name__ == "__main__":
    main()
