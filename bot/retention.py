"""Running the retention purge (``storage.retention``) for the CLI and, once a day, for ``vhbot serve``."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from bot.app import App
from config.settings import Settings
from storage import audit, retention
from storage.privacy import Terms
from storage.retention import Cutoffs, Purge


class AuditPurgeFailed(Exception):
    """The audit entries past their term could not be deleted (typically: the role may not, as the README's grants
    intend for the serving processes); everything else was purged, in ``done``."""

    def __init__(self, done: Purge, error: SQLAlchemyError) -> None:
        super().__init__(
            f"the audit trail was not purged ({type(error).__name__}): give the purge a role that may"
        )
        self.done = done


def terms_of(settings: Settings) -> Terms:
    """The bewaartermijn per kind of case, as configured (a referral answered with advice: as a closed case's
    unless set)."""
    return Terms(settings.retention_months, settings.retention_advice_months or settings.retention_months)


def cutoffs_now(app: App) -> Cutoffs:
    settings = app.settings
    return Cutoffs.at(
        app.now(),
        terms=terms_of(settings),
        dialogue_minutes=settings.dialogue_timeout_minutes,
        inbound_days=settings.inbound_retention_days,
        audit_months=settings.audit_retention_months,
    )


async def purge(app: App, *, dry_run: bool, channel: str) -> Purge:
    """What goes (``dry_run``) or went; every purged case leaves an audit entry, in the same transaction. The audit
    trail's own term is applied after, in a transaction of its own: a refusal there (AuditPurgeFailed) leaves the
    rest purged."""
    cutoffs = cutoffs_now(app)
    async with app.sessions() as session, session.begin():
        if dry_run:
            return await retention.plan(session, cutoffs)
        done = await retention.purge(session, cutoffs)
        entries: list[dict[str, object]] = [
            {
                "at": app.now(),
                "actor_id": None,
                "on_behalf_of": "retention",
                "event": "case.purge",
                "case_number": number,
                "channel": channel,
            }
            for number in done.cases
        ]
        await audit.record_many(session, entries)
    if cutoffs.audit is not None:
        try:
            async with app.sessions() as session, session.begin():
                done.audit_entries = await retention.purge_audit(session, cutoffs.audit)
        except SQLAlchemyError as error:
            raise AuditPurgeFailed(done, error) from error
    return done
