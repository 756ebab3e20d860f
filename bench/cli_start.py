"""How long the command line takes to start: ``vhbot --help`` and ``vhbot users list`` on a demo store.

Each command runs as an operator runs it (the installed script, a new process), alternating with a bare Python
start-up (``python -c pass``) as the yardstick, so a noisy machine shows in both columns. It prints the median
and the fastest wall time of each and the ratio of the medians to a bare start.

    scripts/bench-cli                  # 15 rounds
    scripts/bench-cli --rounds 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VHBOT = str(Path(sys.executable).parent / "vhbot")
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "vhbot --help": [VHBOT, "--help"],
    "vhbot users list": [VHBOT, "users", "list"],
}


def _seconds(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        env = {k: v for k, v in os.environ.items() if not k.startswith("VHBOT_")} | {"VHBOT_DATA_DIR": data}
        subprocess.run([VHBOT, "demo"], check=True, env=env, capture_output=True)
        times: dict[str, list[float]] = {name: [] for name in COMMANDS}
        for _ in range(args.rounds):
            for name, command in COMMANDS.items():
                times[name].append(_seconds(command, env))
    bare = statistics.median(times["python -c pass"])
    print(f"{'command':<20} {'median':>8} {'fastest':>8} {'× bare python':>14}")
    for name, measured in times.items():
        median = statistics.median(measured)
        print(f"{name:<20} {median:>7.3f}s {min(measured):>7.3f}s {median / bare:>13.1f}×")


if __name__ == "__main__":
    main()
