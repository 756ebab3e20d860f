"""The stable command line, run as an operator runs it: the installed 'vhbot' script in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import RUNNING_CLOCK_ENV, TEST_KEYS, VHBOT


def test_migrate_creates_the_default_sqlite_store_and_is_idempotent(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from storage.revisions import head_revision

    first = run("migrate")
    assert first.returncode == 0 and f"database migrated from empty to {head_revision()}" in first.stdout
    assert (tmp_path / "vhbot.sqlite3").exists()
    again = run("migrate")
    assert again.returncode == 0 and "up to date" in again.stdout and "nothing to do" in again.stdout


def test_organisations_and_users_are_administered_from_the_command_line(run) -> None:  # type: ignore[no-untyped-def]
    run("migrate")
    assert run("orgs", "add", "Politie Utrecht", "--type", "politie").returncode == 0
    wrong_type = run("orgs", "add", "Iets", "--type", "bakker")
    assert wrong_type.returncode == 2 and "unknown organisation type" in wrong_type.stderr
    assert "Politie Utrecht\tpolitie" in run("orgs", "list").stdout
    added = run(
        "users",
        "add",
        "--name",
        "Jan Jansen",
        "--org",
        "politie utrecht",
        "--role",
        "melder",
        "--matrix",
        "@jan:example.org",
        "--lang",
        "en",
    )
    assert added.returncode == 0 and "added jan-jansen" in added.stdout
    assert (
        run("users", "add", "--name", "Jan Jansen", "--org", "Politie Utrecht", "--role", "melder").returncode
        == 2
    )
    assert "jan-jansen\tJan Jansen\tPolitie Utrecht\tmelder\ten\tactive" in run("users", "list").stdout
    assert run("users", "disable", "jan-jansen").returncode == 0
    assert "\tdisabled" in run("users", "list").stdout
    assert "niet aangemeld" in run("chat", "--as", "jan-jansen", stdin="help\n").stdout


def test_chat_reads_one_message_per_line_and_exits_cleanly_at_end_of_input(run) -> None:  # type: ignore[no-untyped-def]
    assert run("demo").returncode == 0
    result = run("chat", "--as", "agent", stdin="help\ncheck\nja\n")
    assert result.returncode == 0
    assert "Wat ik kan" in result.stdout and "Bel nu 112" in result.stdout
    assert "Traceback" not in result.stderr


def test_chat_without_a_handle_on_a_pipe_says_how_to_use_it(run) -> None:  # type: ignore[no-untyped-def]
    result = run("chat", stdin="help\n")
    assert result.returncode == 2 and "--as HANDLE" in result.stderr


def test_notices_reach_the_person_at_the_terminal_and_the_operator_sees_the_outbox(run) -> None:  # type: ignore[no-untyped-def]
    from tests.test_scenario import CHECK_THAT_FITS, REFERRAL_REST

    always = {"send_window_start": "00:00", "send_window_end": "00:00", "send_on_non_working_days": "true"}
    assert run("demo").returncode == 0
    lines = "\n".join([*CHECK_THAT_FITS, "ja", *REFERRAL_REST]) + "\n"
    assert "VH-2026-0001" in run("chat", "--as", "agent", stdin=lines, **always).stdout
    queued = run("outbox")
    # Both procesregisseurs' new referral now; the decision term's reminders and the melder's 'late' days ahead.
    assert "pending: 5" in queued.stdout and "new_referral\tto regisseur\tVH-2026-0001" in queued.stdout
    assert "intake_late\tto agent\tVH-2026-0001" in queued.stdout
    seen = run("chat", "--as", "regisseur", stdin="help\n", **always)
    assert "Nieuwe aanmelding VH-2026-0001. Typ 'intake' om te beoordelen." in seen.stdout
    assert "pending: 4  sent: 1" in run("outbox").stdout


def test_a_store_that_cannot_be_used_or_reached_is_one_line_not_a_traceback(run) -> None:  # type: ignore[no-untyped-def]
    pg = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    missing = run("migrate", database_url=pg, database_schema=f"no_such_schema_{os.getpid()}")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    (said,) = [line for line in missing.stderr.splitlines() if line.startswith("vhbot:")]
    assert "VHBOT_DATABASE_SCHEMA" in said
    away = run("users", "list", database_url="postgresql+asyncpg://postgres@127.0.0.1:9/test")
    assert (
        away.returncode == 2
        and "the store cannot be reached" in away.stderr
        and "Traceback" not in away.stderr
    )


def test_serve_without_any_channel_says_what_to_configure(run) -> None:  # type: ignore[no-untyped-def]
    result = run("serve")
    assert result.returncode == 2 and "no channel is configured" in result.stderr


def test_the_audit_trail_of_a_case_and_of_a_person_is_exported_as_csv(run) -> None:  # type: ignore[no-untyped-def]
    from tests.test_scenario import CHECK_THAT_FITS, REFERRAL_REST

    assert run("demo").returncode == 0
    run("chat", "--as", "agent", stdin="\n".join([*CHECK_THAT_FITS, "ja", *REFERRAL_REST]) + "\n")
    run("chat", "--as", "ggz", stdin="status VH-2026-0001\n")  # not hers: refused, and logged
    by_case = run("audit", "--case", "vh-2026-0001")
    assert by_case.returncode == 0
    header, *rows = [row[1:] for row in csv.reader(io.StringIO(by_case.stdout))]
    assert header == ["who", "on_behalf_of", "event", "case", "channel"]
    assert ["agent", "Politie Eenheid Voorbeeld", "case.create", "VH-2026-0001", "terminal"] in rows
    assert ["ggz", "GGZ Voorbeeld", "case.status.refused", "VH-2026-0001", "terminal"] in rows
    assert by_case.stdout.startswith('"at_utc","who"')  # every cell quoted (RFC 4180)
    by_user = run("audit", "--user", "ggz").stdout
    assert "case.status.refused" in by_user and "case.create" not in by_user
    again = [row[1:] for row in csv.reader(io.StringIO(run("audit", "--case", "VH-2026-0001").stdout))]
    assert ["", "vhbot audit (command line)", "audit.export.case", "VH-2026-0001", "cli"] in again
    assert run("audit", "--user", "nobody").returncode == 2
    assert run("audit").returncode == 2


def test_serve_refuses_teams_without_authentication_or_local_mode_on_a_public_address(run) -> None:  # type: ignore[no-untyped-def]
    result = run("serve", teams_app_id="00000000-0000-0000-0000-000000000001")
    assert result.returncode == 2 and "VHBOT_TEAMS_TENANT_ID" in result.stderr
    result = run("serve", teams_local="true", http_host="0.0.0.0")
    assert result.returncode == 2 and "only binds to loopback" in result.stderr


def test_the_store_opens_only_with_its_key_and_the_key_rotates(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    created = run("migrate")
    assert created.returncode == 0 and "created a new encryption key" in created.stderr
    assert run("demo").returncode == 0
    key_file = tmp_path / "vhbot.keys"
    first_key = key_file.read_text().strip().splitlines()[-1].split(":")[0]

    moved = tmp_path / "backup.keys"
    key_file.rename(moved)
    refused = run("users", "list")
    assert refused.returncode == 2 and "the store is encrypted" in refused.stderr and not refused.stdout
    other = run("users", "list", encryption_keys=run("keys", "new").stdout.strip())
    assert other.returncode == 2 and f"encrypted with key {first_key}" in other.stderr
    moved.rename(key_file)

    rotated = run("keys", "rotate", "--pause", "0")
    assert rotated.returncode == 0 and f"no value uses {first_key} any more" in rotated.stdout
    key_file.write_text(key_file.read_text().replace(first_key, "# retired " + first_key))
    assert "Petra Regisseur" in run("users", "list").stdout


def test_purge_shows_what_would_go_before_it_deletes(run) -> None:  # type: ignore[no-untyped-def]
    run("migrate")
    dry = run("purge", "--dry-run")
    assert (
        dry.returncode == 0
        and "would purge 0 cases (closed or answered with advice more than 24 months ago)" in dry.stdout
    )
    assert (
        "purged 0 cases (closed or answered with advice more than 12 months ago)"
        in run("purge", retention_months="12").stdout
    )


def test_the_roles_the_command_line_offers_are_the_stores_roles() -> None:
    """The parser lists them without importing the models (which would slow every command's start)."""
    from bot.cli.user_rows import ROLES
    from storage.models import Role

    assert ROLES == tuple(role.value for role in Role)


def test_parsing_the_command_line_imports_no_channel_and_no_conversation() -> None:
    probe = (
        "import sys; from bot.cli import parser; parser().parse_args(['users', 'list']); "
        "print(sorted(m for m in sys.modules if m.startswith(('bot.channels', 'handlers', 'nio', 'microsoft'))))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    assert loaded.strip() == "[]"


def test_names_a_spreadsheet_would_run_as_a_formula_are_refused(run) -> None:  # type: ignore[no-untyped-def]
    run("migrate")
    for name in ('=HYPERLINK("https://example.org")', "+31 team", "@cmd", "\tTab"):
        refused = run("orgs", "add", name, "--type", "politie")
        assert refused.returncode == 2 and "may not be empty or start with" in refused.stderr, name
    run("orgs", "add", "Politie Utrecht", "--type", "politie")
    handle = run(
        "users", "add", "--name", "Jan", "--org", "Politie Utrecht", "--role", "melder", "--handle", "=cmd|x"
    )
    assert handle.returncode == 2 and "handle" in handle.stderr


def test_a_key_file_that_is_no_file_or_readable_by_others_stops_with_one_line(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("demo").returncode == 0
    directory = run("users", "list", key_file=str(tmp_path))
    assert (
        directory.returncode == 2 and directory.stderr.strip() == f"vhbot: key file {tmp_path} is not a file"
    )
    keys = tmp_path / "vhbot.keys"
    keys.chmod(0o644)
    shared = run("users", "list")
    assert shared.returncode == 2 and "can be read by others (mode 644)" in shared.stderr
    assert "Traceback" not in shared.stderr + directory.stderr
    keys.chmod(0o600)
    assert run("users", "list").returncode == 0


def test_a_reader_that_goes_away_is_no_traceback(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("demo").returncode == 0
    env = (
        {k: v for k, v in os.environ.items() if not k.startswith("VHBOT_")}
        | {"VHBOT_DATA_DIR": str(tmp_path)}
        | RUNNING_CLOCK_ENV
    )
    listing = subprocess.Popen(
        [VHBOT, "users", "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    )
    assert listing.stdout is not None and listing.stderr is not None
    listing.stdout.close()  # like '| head' that has read enough, before anything is written
    assert "Traceback" not in listing.stderr.read()
    assert listing.wait(timeout=120) == 1


def test_the_first_chat_on_a_new_store_tells_of_the_new_key_in_dutch(run) -> None:  # type: ignore[no-untyped-def]
    result = run("chat", "--as", "agent", stdin="help\n")
    assert result.returncode == 0
    assert "Er is een nieuwe sleutel voor de versleuteling gemaakt in" in result.stdout
    assert "created a new encryption key" not in result.stderr


def test_doctor_says_in_plain_words_what_is_wrong_and_exits_non_zero(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fresh = run("doctor")
    assert fresh.returncode == 1
    assert "PROBLEM  no key file" in fresh.stdout and "run 'vhbot migrate'" in fresh.stdout
    assert "PROBLEM  no channel is configured" in fresh.stdout
    assert run("migrate").returncode == 0
    shifted = run("doctor", teams_local="true")
    assert shifted.returncode == 1 and "PROBLEM  VHBOT_CLOCK_OFFSET shifts the clock" in shifted.stdout
    ready = run("doctor", teams_local="true", clock_offset="0")
    assert ready.returncode == 0, ready.stdout
    assert "ok       the store answers, its schema is current" in ready.stdout
    assert "ok       Teams with local mode" in ready.stdout
    public_ops = run("doctor", teams_local="true", clock_offset="0", ops_host="0.0.0.0")
    assert public_ops.returncode == 1 and "PROBLEM  the operations listener" in public_ops.stdout
    assert "ok       /healthz, /readyz and /metrics on 127.0.0.1:9464" in ready.stdout
    exposed = run("doctor", teams_local="true", public_url="http://vhbot.example.org")
    assert (
        exposed.returncode == 1
        and "PROBLEM  the public address http://vhbot.example.org/ is not https" in exposed.stdout
    )
    (tmp_path / "vhbot.keys").chmod(
        0o644
    )  # refused before any command runs, doctor included: one line, exit 2
    readable = run("doctor", teams_local="true", clock_offset="0")
    assert readable.returncode == 2 and "chmod 600" in readable.stderr and "Traceback" not in readable.stderr


def test_an_env_file_gives_every_command_its_settings_and_the_environment_wins(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """As systemd's EnvironmentFile: quotes and comments read as they should, no 'env $(cat …)' needed."""
    settings = tmp_path / "zvh.env"
    settings.write_text(
        '# the ZVH\nVHBOT_PUBLIC_URL="http://vhbot.zvh.example"  # a comment\nVHBOT_TIMEZONE=Europe/Amsterdam\n',
        encoding="utf-8",
    )
    from_file = run("--env-file", str(settings), "doctor").stdout
    assert "the public address http://vhbot.zvh.example/ is not https" in from_file
    overruled = run("--env-file", str(settings), "doctor", public_url="https://vhbot.zvh.example").stdout
    assert "public address https://vhbot.zvh.example/" in overruled and "not https" not in overruled
    settings.write_text("VHBOT_TIMEZONE=Europe/Amsterdam\nPATH=/tmp\n", encoding="utf-8")
    refused = run("--env-file", str(settings), "doctor")
    assert refused.returncode == 2 and "sets PATH; only VHBOT_ settings belong there" in refused.stderr
    missing = run("--env-file", str(tmp_path / "none.env"), "doctor")
    assert missing.returncode == 2 and "is not a file" in missing.stderr and "Traceback" not in missing.stderr


def test_a_fatal_error_is_one_line_and_with_json_logs_one_json_line(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A setting that does not read was a page of pydantic's traceback; for a log collector it is one JSON line
    like every other, with the exit code."""
    plain = run("migrate", rate_messages_per_minute="0")
    assert plain.returncode == 2 and plain.stderr.count("\n") == 1
    assert plain.stderr.startswith("vhbot: VHBOT_RATE_MESSAGES_PER_MINUTE: ")
    as_json = run("migrate", rate_messages_per_minute="0", log_format="json")
    (said,) = [json.loads(line) for line in as_json.stderr.splitlines()]
    assert as_json.returncode == 2 and said["level"] == "CRITICAL" and said["exit"] == 2
    assert said["message"].startswith("VHBOT_RATE_MESSAGES_PER_MINUTE: ") and {"time", "logger"} <= set(said)
    stopped = run("doctor", log_format="json", config_dir=str(tmp_path / "nowhere"))
    (said,) = [json.loads(line) for line in stopped.stderr.splitlines()]
    assert stopped.returncode == 2 and "VHBOT_CONFIG_DIR" in said["message"]


def test_a_key_file_the_service_reads_through_its_group_and_one_it_cannot_make(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The deployment guide keeps secrets root-owned in /etc/vhbot, readable by the service's group (0640): that
    is accepted from root and from nobody else; a key file the service may not create is one line, not a
    traceback."""
    keys = tmp_path / "zvh.keys"
    assert run("keys", "new").returncode == 0
    keys.write_text(run("keys", "new").stdout, encoding="utf-8")
    keys.chmod(0o640)
    group_readable = run("migrate", key_file=str(keys))
    if os.geteuid() == 0:  # the file is root's: its group may read it
        assert group_readable.returncode == 0, group_readable.stderr
    else:
        assert group_readable.returncode == 2 and "owned by root and readable by the service's group" in (
            group_readable.stderr
        )
    keys.chmod(0o660)  # a group that may write keys: never
    assert run("migrate", key_file=str(keys)).returncode == 2
    blocked = tmp_path / "etc-vhbot"  # a place no process can make the file in (for the service: /etc/vhbot)
    blocked.write_text("not a directory", encoding="utf-8")
    made = run("migrate", key_file=str(blocked / "zvh.keys"), data_dir=str(tmp_path / "first-start"))
    assert made.returncode == 2 and "cannot be made (" in made.stderr and "VHBOT_KEY_FILE" in made.stderr
    assert "Traceback" not in made.stderr


def test_the_playgrounds_default_user_can_be_registered_as_the_readme_says(run) -> None:  # type: ignore[no-untyped-def]
    run("migrate")
    assert run("orgs", "add", "ZVH", "--type", "zvh").returncode == 0
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    playground = re.search(r"default user has AAD object id `([0-9a-f-]+)`", readme)
    assert playground, "the README no longer names the Playground's default user"
    added = run(
        "users", "add", "--name", "Alex", "--org", "ZVH", "--role", "melder", "--teams", playground[1]
    )
    assert added.returncode == 0, added.stderr
    assert (
        run("users", "add", "--name", "X", "--org", "ZVH", "--role", "melder", "--teams", "0000-1").returncode
        == 2
    )


def test_doctor_looks_at_the_data_directory(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("migrate")
    tmp_path.chmod(0o700)
    assert f"ok       the data directory {tmp_path}, writable" in run("doctor").stdout
    tmp_path.chmod(0o755)
    assert "is open to others (mode 755): chmod 700" in run("doctor").stdout
    tmp_path.chmod(0o700)
    elsewhere = {"database_url": "postgresql+asyncpg://vhbot@127.0.0.1:1/vhbot", "encryption_keys": TEST_KEYS}
    missing = run("doctor", data_dir=str(tmp_path / "none"), **elsewhere).stdout  # the store is not in it
    assert f"PROBLEM  the data directory {tmp_path / 'none'} does not exist" in missing
