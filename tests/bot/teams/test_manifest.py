"""The Teams app package: checked against Microsoft's manifest JSON schemas from the maintained npm package
@microsoft/app-manifest (installed into .node by scripts/setup-node-tools)."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import zipfile
from pathlib import Path

import jsonschema
import pytest

from bot.channels.teams.manifest import MANIFEST_VERSION, Publisher, package
from config.catalogue import load_catalogue
from tests.bot.teams.playground import ROOT

SCHEMAS = ROOT / ".node" / "node_modules" / "@microsoft" / "app-manifest" / "build" / "json-schemas" / "teams"
APP_ID = "0b6a3d2e-4c1f-4e57-9a65-2f0c8d1e7a90"
PUBLISHER = Publisher(
    "ZVH Voorbeeldregio",
    "https://zvh.example.org",
    "https://zvh.example.org/privacy",
    "https://zvh.example.org/voorwaarden",
)


def schema(name: str) -> dict[str, object]:
    path = SCHEMAS / f"v{MANIFEST_VERSION}" / name
    if not path.exists():
        reason = f"the Teams manifest schemas (@microsoft/app-manifest, scripts/setup-node-tools) are missing: {path}"
        if os.environ.get("VHBOT_REQUIRE_PLAYGROUND") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return dict(json.loads(path.read_text(encoding="utf-8")))


def validate(document: object, schema_document: dict[str, object]) -> None:
    """Validates without checking the schema itself: Microsoft's uses ECMAScript's \\p{L} in patterns of parts
    the package does not have, which Python's re cannot compile."""
    validator = jsonschema.validators.validator_for(schema_document)
    validator(schema_document).validate(document)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_package_is_a_valid_teams_app() -> None:
    archive = zipfile.ZipFile(io.BytesIO(package(APP_ID, "1.2.3", PUBLISHER, load_catalogue())))
    assert sorted(archive.namelist()) == ["color.png", "en-us.json", "manifest.json", "outline.png"]
    manifest = json.loads(archive.read("manifest.json"))
    validate(manifest, schema("MicrosoftTeams.schema.json"))
    english = json.loads(archive.read("en-us.json"))
    validate(english, schema("MicrosoftTeams.Localization.schema.json"))

    bot = manifest["bots"][0]
    assert bot["botId"] == manifest["id"] == APP_ID
    assert sorted(bot["scopes"]) == ["groupChat", "personal", "team"]
    personal = [command["title"] for command in bot["commandLists"][0]["commands"]]
    assert personal == ["help", "check", "aanmelden", "acties", "terugkoppeling", "status"]
    assert [english[f"bots[0].commandLists[0].commands[{n}].title"] for n in range(6)] == [
        "help",
        "check",
        "refer",
        "actions",
        "feedback",
        "status",
    ]
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "nl-nl"
    # The sizes Teams requires: a 192×192 colour icon and a 32×32 outline (white on transparent).
    assert png_size(archive.read("color.png")) == (192, 192)
    assert png_size(archive.read("outline.png")) == (32, 32)


def test_the_command_writes_the_package(tmp_path: Path) -> None:
    out = tmp_path / "vhbot-teams.zip"
    env = {k: v for k, v in os.environ.items() if not k.startswith("VHBOT_")} | {
        "VHBOT_DATA_DIR": str(tmp_path)
    }
    command = [
        str(ROOT / ".venv" / "bin" / "vhbot"),
        "teams-manifest",
        "--app-id",
        APP_ID,
        "--out",
        str(out),
        "--website-url",
        PUBLISHER.website_url,
        "--privacy-url",
        PUBLISHER.privacy_url,
        "--terms-url",
        PUBLISHER.terms_url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(zipfile.ZipFile(out).read("manifest.json"))["id"] == APP_ID
    wrong = subprocess.run(
        [*command[:3], "not-a-guid", *command[4:]],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert wrong.returncode == 2 and "GUID" in wrong.stderr
