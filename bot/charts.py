"""A chart as PNG bytes, drawn in a child process (``bot.chart_drawing``) so that ``vhbot serve`` never loads the
plotting library itself. A chart that cannot be drawn (the library missing, a timeout) is left out with a log line:
the figures' text carries the same counts."""

from __future__ import annotations

import asyncio
import json
import logging
import sys

from handlers.dialogue.messages import Chart

log = logging.getLogger(__name__)
DRAWING_SECONDS = 30.0
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHART_FILE = "cijfers.png"


async def png_of(chart: Chart) -> bytes | None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.chart_drawing",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, errors = await asyncio.wait_for(
            process.communicate(json.dumps(chart.to_json()).encode()), DRAWING_SECONDS
        )
    except TimeoutError:
        process.kill()
        await process.wait()
        log.warning("a chart was not drawn in %.0f s; sent without it", DRAWING_SECONDS)
        return None
    if process.returncode != 0 or not out.startswith(PNG_SIGNATURE):
        last = errors.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        log.warning("a chart could not be drawn (%s); sent without it", last[0][:200])
        return None
    return out
