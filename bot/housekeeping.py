"""What the delivery engine does besides sending: planning the weekly overviews, and the daily purge.

Each step runs on its own schedule and fails on its own: a purge refused by the database's grants, or a name that
cannot be decrypted while planning, is counted, shown in /readyz and tried again later, and never keeps the other
step or delivery from running.
"""

from __future__ import annotations

import logging
import time

from bot import metrics, retention
from bot.app import App
from bot.loops import where
from handlers.reminders import plan_overviews

log = logging.getLogger(__name__)

OVERVIEW_PLANNING_SECONDS = 300.0
PURGE_SECONDS = 24 * 3600.0
# After a step fails, when it is tried again (not at every cycle: the log would fill up).
RETRY_STEP_SECONDS = 300.0


class Housekeeping:
    def __init__(self, app: App) -> None:
        self._app = app
        self._overviews_planned_at = float("-inf")
        self._purged_at = float("-inf")

    async def when_due(self) -> None:
        """Planning overviews and the daily purge, each on its own: a failure of one (a purge refused by the
        database's grants, a name that cannot be decrypted) keeps neither the other nor delivery from running."""
        for step, due_at in (("overviews", "_overviews_planned_at"), ("purge", "_purged_at")):
            try:
                await (self._plan_overviews_now_and_then() if step == "overviews" else self._purge_daily())
            except Exception as error:  # noqa: BLE001 - housekeeping never stops delivery
                metrics.ENGINE_FAULTS.labels(step).inc()
                self._app.warnings[step] = f"failing ({type(error).__name__}); see the log"
                if step == "purge":
                    metrics.PURGE_FAILING.set(1)
                interval = OVERVIEW_PLANNING_SECONDS if step == "overviews" else PURGE_SECONDS
                setattr(self, due_at, time.monotonic() - interval + RETRY_STEP_SECONDS)
                log.error(
                    "engine: %s failed (%s); tried again in %.0f s", step, where(error), RETRY_STEP_SECONDS
                )

    async def _plan_overviews_now_and_then(self) -> None:
        if time.monotonic() - self._overviews_planned_at < OVERVIEW_PLANNING_SECONDS:
            return
        async with self._app.sessions() as session, session.begin():
            await plan_overviews(session, self._app.calendar, self._app.settings, self._app.now())
        self._overviews_planned_at = time.monotonic()
        self._app.warnings.pop("overviews", None)

    async def _purge_daily(self) -> None:
        """Retention runs in every serving process once a day (at start, then every 24 hours); a second process
        purging the same day finds nothing left to do."""
        if time.monotonic() - self._purged_at < PURGE_SECONDS:
            return
        try:
            done = await retention.purge(self._app, dry_run=False, channel="engine")
            self._app.warnings.pop("purge", None)
            metrics.PURGE_FAILING.set(0)
        except retention.AuditPurgeFailed as failed:  # the rest was purged: counted, and the failure shown
            done = failed.done
            self._app.warnings["purge"] = str(failed)
            metrics.PURGE_FAILING.set(1)
            log.error("retention: %s", failed)
        self._purged_at = time.monotonic()
        metrics.PURGE_RUNS.inc()
        metrics.PURGED_CASES.inc(len(done.cases))
        metrics.LAST_PURGE.set_to_current_time()
        if done.cases:
            log.info("retention: purged %d closed case(s)", len(done.cases))
