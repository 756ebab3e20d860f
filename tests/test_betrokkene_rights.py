"""The betrokkene's rights through the operator's commands (issue 37), on both backends: a search by name and
birth date as typed another way, an inzage that holds every field of their case and nothing of another, a part
withheld with its ground, a restricted case that nobody can reach, an extended term the purge honours, and an
erasure that leaves no byte of the case in the SQLite file or its write-ahead log."""

from __future__ import annotations

import stat
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from pydantic import SecretStr
from sqlalchemy import select, text

from bot import retention
from bot.app import build_app
from bot.channels.recording import RecordingSender
from bot.cli import parser
from bot.delivery import RESTRICTED_WAIT, DeliveryEngine
from config.settings import Settings
from handlers.dates.clock import FixedClock
from storage import cases, migrate
from storage.models import AuditEntry, Case, OutboxStatus, PendingMessage, PrivacyDecision
from tests.conftest import NOW, TEST_KEYS, Chat, load_demo_apart
from tests.seeding import Markers, seed_every_field
from tests.test_scenario import refer_a_case

FIRST, SECOND = "VH-2026-0001", "VH-2026-0002"


async def vhbot(chat: Chat, *arguments: str) -> int:
    """One `vhbot betrokkene …` command, parsed as the command line parses it, on the test's store."""
    args = parser().parse_args(["betrokkene", *arguments])
    result: int = await args.run(chat.app, args)
    return result


async def events(chat: Chat) -> list[tuple[str, str | None]]:
    async with chat.app.sessions() as session:
        rows = await session.execute(select(AuditEntry.event, AuditEntry.case_number).order_by(AuditEntry.id))
        return [(event, number) for event, number in rows.all()]


def held_in_the_first_case(markers: Markers) -> list[str]:
    """The markers typed into the first case (the second holds the advice; the draft was never sent)."""
    return [m for m in markers.all() if m not in (markers.advice, markers.draft)]


async def test_a_betrokkene_is_found_by_name_and_birth_date_typed_otherwise_and_the_search_is_audited(
    chat: Chat, capsys: pytest.CaptureFixture[str]
) -> None:
    markers = await seed_every_field(chat, chat.app)  # the form had "Kees <name>", 03-04-1975
    await vhbot(
        chat,
        "zoek",
        "--name",
        f"  kees   {markers.name.upper()} ",
        "--birth-date",
        "1975-04-03",
        "--purpose",
        "inzageverzoek 2026-14",
    )
    found = capsys.readouterr().out
    assert FIRST in found and SECOND not in found
    await vhbot(
        chat, "zoek", "--name", f"Kees {markers.name}", "--birth-date", "04-03-1975", "--purpose", "x"
    )
    assert "no case found" in capsys.readouterr().out  # another day of birth is another person
    assert ("betrokkene.found", FIRST) in await events(chat)
    async with chat.app.sessions() as session:
        purposes = list(
            await session.scalars(select(PrivacyDecision.reason).where(PrivacyDecision.kind == "zoek"))
        )
        raw = list((await session.execute(text("SELECT reason FROM privacy_decisions"))).scalars())
    assert purposes == ["inzageverzoek 2026-14", "x"]
    assert not any("inzageverzoek" in value for value in raw)  # the purpose is kept encrypted


async def test_an_inzage_holds_every_field_of_the_case_and_nothing_of_another_in_two_private_files(
    chat: Chat, tmp_path: Path
) -> None:
    markers = await seed_every_field(chat, chat.app)
    assert (
        await vhbot(chat, "inzage", FIRST, "--out", str(tmp_path / "inzage"), "--purpose", "verzoek 14") == 0
    )
    for path in (tmp_path / "inzage.html", tmp_path / "inzage.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        content = path.read_text(encoding="utf-8")
        missing = [marker for marker in held_in_the_first_case(markers) if marker not in content]
        assert not missing, (path.name, missing)
        assert markers.advice not in content and SECOND not in content
    document = (tmp_path / "inzage.html").read_text(encoding="utf-8")
    assert "Wie de casus heeft ingezien of gewijzigd" in document and "Politie" in document
    assert "Petra" not in document  # who acted is an organisation and a role, not a staff member's name
    assert ("betrokkene.inzage", FIRST) in await events(chat)


async def test_a_withheld_part_is_left_out_and_the_export_says_so_and_why(chat: Chat, tmp_path: Path) -> None:
    markers = await seed_every_field(chat, chat.app)
    ground = "lopend strafonderzoek (AVG art. 23 lid 1 sub d)"
    await vhbot(
        chat,
        "inzage",
        FIRST,
        "--out",
        str(tmp_path / "x"),
        "--purpose",
        "verzoek",
        "--withhold",
        f"terugkoppeling={ground}",
    )
    for path in (tmp_path / "x.html", tmp_path / "x.json"):
        content = path.read_text(encoding="utf-8")
        assert markers.feedback not in content and markers.goal in content
        assert "lopend strafonderzoek" in content
    with pytest.raises(SystemExit):  # no purpose, no inzage
        await vhbot(chat, "inzage", FIRST, "--out", str(tmp_path / "y"), "--purpose", " ")
    assert not (tmp_path / "y.html").exists()


async def test_a_restricted_case_is_reached_by_no_role_until_it_is_lifted(chat: Chat) -> None:
    await seed_every_field(chat, chat.app)  # the first case is escalated, with an action for the politie
    unknown = "VH-2026-0777"
    seen = {
        ("agent", f"status {FIRST}"),
        ("regisseur", f"status {FIRST}"),
        ("regisseur", "status mijn"),
        ("manager", "opgeschaald"),
        ("agent", "acties"),
        ("agent", "status"),
    }
    before = {asked: await chat(*asked) for asked in sorted(seen)}
    assert not [asked for asked, answer in before.items() if FIRST not in answer], before
    await vhbot(chat, "beperk", FIRST, "--reason", "verzoek betrokkene art. 18, besluit 2026-3")
    for handle, message in sorted(seen):
        answer = await chat(handle, message)
        if message == f"status {FIRST}":  # forbidden reads exactly as not found
            assert answer == (await chat(handle, f"status {unknown}")).replace(unknown, FIRST)
            assert "geen casus" in answer
        else:
            assert FIRST not in answer, (handle, message, answer)
    await vhbot(chat, "ophef", FIRST, "--reason", "bezwaar afgewezen")
    assert FIRST in await chat("regisseur", f"status {FIRST}")
    assert {("case.restricted", FIRST), ("case.restriction.lifted", FIRST)} <= set(await events(chat))


async def close(chat: Chat, number: str) -> None:
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await chat("regisseur", f"casus {number}", "afsluiten", "doel bereikt", "ja")


async def test_an_extended_case_survives_the_purge_that_takes_its_twin(
    chat: Chat, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    kept, twin = await refer_a_case(chat), await refer_a_case(chat)
    for number in (kept, twin):
        await close(chat, number)
    clock.advance(relativedelta(months=chat.app.settings.retention_months, days=-10))
    until = (clock.now() + relativedelta(months=2)).date().isoformat()
    await vhbot(chat, "verleng", kept, "--until", until, "--reason", "lopende procedure")
    assert f"{kept} is kept until" in capsys.readouterr().out
    await vhbot(chat, "termijnen", "--days", "30", "--purpose", "maandelijkse controle")
    going = capsys.readouterr().out
    assert twin in going and kept not in going
    assert ("retention.listed", None) in await events(chat)
    clock.advance(relativedelta(days=11))
    done = await retention.purge(chat.app, dry_run=False, channel="cli")
    assert done.cases == [twin]
    async with chat.app.sessions() as session:
        assert await cases.by_number(session, kept) is not None
        assert await cases.by_number(session, twin) is None
    clock.advance(relativedelta(months=2, days=1))
    assert (await retention.purge(chat.app, dry_run=False, channel="cli")).cases == [kept]


async def _ciphertexts(chat: Chat, number: str) -> list[str]:
    """The case's encrypted values as they lie in the store."""
    async with chat.app.sessions() as session:
        case = await cases.by_number(session, number)
        assert case is not None
        found = []
        for query in (
            "SELECT goal FROM cases WHERE id = :id",
            "SELECT name FROM case_subjects WHERE case_id = :id",
            "SELECT address FROM case_subjects WHERE case_id = :id",
            "SELECT description FROM actions WHERE case_id = :id",
            "SELECT body FROM feedback WHERE case_id = :id",
            "SELECT note FROM case_transitions WHERE case_id = :id AND note IS NOT NULL",
        ):
            found += list((await session.execute(text(query), {"id": case.id})).scalars())
    return [value.split(":", 1)[1][:40] for value in found]


async def test_an_erased_case_is_gone_from_the_store_and_on_sqlite_from_its_bytes(chat: Chat) -> None:
    await seed_every_field(chat, chat.app)
    kept = await _ciphertexts(chat, SECOND)
    erased = await _ciphertexts(chat, FIRST)
    assert len(erased) >= 6
    database = chat.app.engine.url.database if chat.app.engine.dialect.name == "sqlite" else None

    def stored_bytes() -> bytes:
        assert database is not None
        return b"".join(p.read_bytes() for p in (Path(database), Path(database + "-wal")) if p.exists())

    if database is not None:
        assert all(value.encode() in stored_bytes() for value in erased)  # the test can see them
    with pytest.raises(SystemExit):
        await vhbot(chat, "wis", FIRST, "--reason", "verzoek art. 17", "--decision", "")
    await vhbot(chat, "wis", FIRST, "--reason", "verzoek art. 17 toegewezen", "--decision", "besluit 2026-7")
    async with chat.app.sessions() as session:
        assert await session.scalar(select(Case.id).where(Case.number == FIRST)) is None
        decision = await session.scalar(select(PrivacyDecision).where(PrivacyDecision.kind == "wissing"))
        assert decision is not None and decision.reference == "besluit 2026-7"
    assert ("case.erased", FIRST) in await events(chat)
    assert await _ciphertexts(chat, SECOND) == kept
    if database is not None:
        left = [value for value in erased if value.encode() in stored_bytes()]
        assert not left, f"{len(left)} of the erased case's values are still in the file or its WAL"


async def test_corrected_details_replace_the_old_which_are_kept_only_encrypted_with_the_decision(
    chat: Chat, capsys: pytest.CaptureFixture[str]
) -> None:
    markers = await seed_every_field(chat, chat.app)
    corrected = f"Kees {markers.name}-Jansen"
    await vhbot(chat, "corrigeer", FIRST, "--name", corrected, "--reason", "verzoek art. 16, naam onjuist")
    await vhbot(chat, "zoek", "--name", corrected, "--birth-date", "03-04-1975", "--purpose", "controle")
    assert FIRST in capsys.readouterr().out
    await vhbot(
        chat, "zoek", "--name", f"Kees {markers.name}", "--birth-date", "03-04-1975", "--purpose", "c"
    )
    assert "no case found" in capsys.readouterr().out  # the old name finds nothing any more
    async with chat.app.sessions() as session:
        decision = await session.scalar(select(PrivacyDecision).where(PrivacyDecision.kind == "correctie"))
        raw = (
            await session.execute(text("SELECT previous FROM privacy_decisions WHERE kind = 'correctie'"))
        ).scalar()
    assert decision is not None and markers.name in (decision.previous or "")
    assert raw is not None and markers.name not in raw
    assert ("case.subject.corrected", FIRST) in await events(chat)
    with pytest.raises(SystemExit):
        await vhbot(chat, "corrigeer", FIRST, "--name", "X", "--reason", "")


async def test_a_disputed_statement_and_an_extended_term_show_in_the_procesregisseurs_case_view(
    chat: Chat, clock: FixedClock
) -> None:
    markers = await seed_every_field(chat, chat.app)
    await vhbot(chat, "betwist", FIRST, "--part", "doel", "--reason", "betrokkene zegt: klopt niet")
    until = (clock.now() + relativedelta(years=3)).date()
    counted = "casussen nu bewaard na hun bewaartermijn, bij besluit: "
    assert f"{counted}0" in await chat("manager", "cijfers")
    await vhbot(chat, "verleng", FIRST, "--until", until.isoformat(), "--reason", "procedure")
    assert f"{counted}<5" in await chat("manager", "cijfers")  # how many, never which
    view = await chat("regisseur", f"status {FIRST}")
    assert "de betrokkene betwist het doel" in view and markers.goal in view  # noted, not rewritten
    assert "Bewaartermijn verlengd tot " in view and f" {until.day} " in view and str(until.year) in view
    assert "betwist" not in await chat("agent", f"status {FIRST}")  # the melder sees no case content


def test_every_disputable_part_has_a_name_in_every_language(chat: Chat) -> None:
    from bot.cli.betrokkene import DISPUTABLE

    for language in chat.app.texts.languages:
        assert all(f"dispute.{part}" in chat.app.texts.keys(language) for part in DISPUTABLE), language


def test_the_processing_record_in_docs_is_what_the_shipped_configuration_says() -> None:
    """docs/verwerking.md cannot drift: it is the record `vhbot betrokkene register` prints for the defaults
    (regenerate it with that command after changing a term or the referral form)."""
    from bot.processing_record import record
    from config.definitions import load_definitions
    from config.settings import Settings

    shipped = (Path(__file__).resolve().parents[1] / "docs" / "verwerking.md").read_text(encoding="utf-8")
    assert shipped == record(Settings.model_construct(), load_definitions())


async def test_on_postgresql_an_erased_case_leaves_no_byte_in_the_data_files(tmp_path: Path) -> None:
    """In a cluster of the test's own (the shared server's files are not ours to read): after `wis` and a
    checkpoint, none of the erased case's stored values is in any table's data file. The server's own WAL
    (pg_wal) still has them until its segments are recycled, as the README says."""
    from tests.throwaway_postgres import ThrowawayCluster

    cluster = ThrowawayCluster()
    cluster.start()
    settings = Settings(
        data_dir=tmp_path,
        database_url=cluster.url,
        encryption_keys=SecretStr(TEST_KEYS),
        rate_messages_per_minute=10_000,  # one melder refers three cases in a moment
    )
    app = build_app(settings, FixedClock(NOW))
    try:
        await migrate.upgrade(app.engine)
        await load_demo_apart(app, app.now())
        chat = Chat(app)
        await seed_every_field(chat, app)
        erased, kept = await _ciphertexts(chat, FIRST), await _ciphertexts(chat, SECOND)

        async def in_data_files() -> bytes:
            async with app.engine.connect() as connection:
                await (await connection.execution_options(isolation_level="AUTOCOMMIT")).exec_driver_sql(
                    "CHECKPOINT"
                )
            files = (cluster.directory / "data" / "base").rglob("*")
            return b"".join(path.read_bytes() for path in files if path.is_file())

        before = await in_data_files()
        assert all(value.encode() in before for value in erased + kept)  # the test can see them
        await vhbot(
            chat, "wis", FIRST, "--reason", "verzoek art. 17 toegewezen", "--decision", "besluit 2026-8"
        )
        after = await in_data_files()
        assert not [value for value in erased if value.encode() in after]
        assert all(value.encode() in after for value in kept)
    finally:
        await app.close()
        cluster.remove()


async def test_a_referral_answered_with_advice_goes_after_the_term_though_nobody_closes_it(
    chat: Chat, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    """A redirection (advies) is the end of the ZVH's work, but no one closes it: before, it was kept for ever."""
    advised, handled = await refer_a_case(chat), await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {advised}", "doorverwijzen", "wijkteam", "Bel het wijkteam", "ja")
    await close(chat, handled)
    clock.advance(relativedelta(months=chat.app.settings.retention_months, days=-5))
    await vhbot(chat, "termijnen", "--days", "30", "--purpose", "maandelijkse controle")
    going = capsys.readouterr().out
    assert advised in going and handled in going
    assert (await retention.purge(chat.app, dry_run=False, channel="cli")).cases == []
    clock.advance(relativedelta(days=6))
    assert sorted((await retention.purge(chat.app, dry_run=False, channel="cli")).cases) == sorted(
        [advised, handled]
    )


async def test_a_restricted_cases_reminders_wait_and_go_out_once_it_is_lifted(
    chat: Chat, clock: FixedClock, tmp_path: Path
) -> None:
    await seed_every_field(chat, chat.app)  # the first case has an action, a deadline and an overleg ahead
    engine = DeliveryEngine(chat.app, [RecordingSender(tmp_path / "sent.jsonl")])

    async def statuses() -> Counter[OutboxStatus]:
        async with chat.app.sessions() as session:
            found = await session.scalars(
                select(PendingMessage.status).where(PendingMessage.case_number == FIRST)
            )
            return Counter(found)

    while await engine.deliver_due():
        pass
    await vhbot(chat, "beperk", FIRST, "--reason", "verzoek art. 18")
    waiting = (await statuses())[OutboxStatus.PENDING]
    assert waiting > 0
    clock.advance(timedelta(days=42))  # every reminder of the case is due (six weeks on: a Monday)
    while await engine.deliver_due():
        pass
    assert (await statuses())[OutboxStatus.PENDING] == waiting  # none sent, none cancelled
    await vhbot(chat, "ophef", FIRST, "--reason", "beperking opgeheven")
    clock.advance(RESTRICTED_WAIT)
    while await engine.deliver_due():
        pass
    assert (await statuses())[OutboxStatus.PENDING] == 0


async def test_the_procesregisseur_extends_a_closed_cases_term_in_chat_with_a_date_and_a_reason(
    chat: Chat, clock: FixedClock
) -> None:
    number = await refer_a_case(chat)
    await close(chat, number)
    menu = await chat("regisseur", f"casus {number}")
    assert "bewaartermijn verlengen" in menu
    assert "in het verleden" in await chat("regisseur", "bewaartermijn verlengen", "1-1-2020")
    until = clock.now() + relativedelta(months=chat.app.settings.retention_months + 6)
    asked = await chat("regisseur", until.strftime("%d-%m-%Y"), "ja")
    assert "Waarom" in asked
    confirm = await chat("regisseur", "Lopende procedure bij de rechtbank")
    assert "tot ten minste" in confirm and str(until.year) in confirm
    assert (await chat("regisseur", "nee")).startswith("Goed.")  # a no changes nothing
    async with chat.app.sessions() as session:
        assert (await cases.by_number(session, number)).retain_until is None  # type: ignore[union-attr]
    await chat("regisseur", f"casus {number}", "bewaartermijn verlengen", until.strftime("%d-%m-%Y"), "ja")
    done = await chat("regisseur", "Lopende procedure bij de rechtbank", "ja")
    assert "wordt bewaard tot ten minste" in done
    async with chat.app.sessions() as session:
        decision = await session.scalar(select(PrivacyDecision).where(PrivacyDecision.kind == "verlenging"))
    assert decision is not None and decision.reason == "Lopende procedure bij de rechtbank"
    assert decision.by.startswith("professional:")
    clock.advance(relativedelta(months=chat.app.settings.retention_months, days=1))
    assert (await retention.purge(chat.app, dry_run=False, channel="cli")).cases == []
    assert ("case.retention.extended", number) in await events(chat)


async def test_a_referral_answered_with_advice_has_a_term_of_its_own(chat: Chat, clock: FixedClock) -> None:
    """The bewaartermijn per kind of case: VHBOT_RETENTION_ADVICE_MONTHS for a redirected referral, the closed
    cases' term for the rest."""
    chat.app.settings.retention_advice_months = 6
    advised, handled = await refer_a_case(chat), await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {advised}", "doorverwijzen", "wijkteam", "Bel het wijkteam", "ja")
    await close(chat, handled)
    clock.advance(relativedelta(months=6, days=1))
    assert (await retention.purge(chat.app, dry_run=False, channel="cli")).cases == [advised]
    clock.advance(relativedelta(months=chat.app.settings.retention_months - 6))
    assert (await retention.purge(chat.app, dry_run=False, channel="cli")).cases == [handled]
