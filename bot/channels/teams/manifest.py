"""The Teams app package an administrator uploads: manifest (Dutch, with an English localisation), two icons.

The command list shows, per language, the words the bot understands (Teams offers them as suggestions and types
the word when one is picked); the intents accept the words of both languages.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from importlib import resources
from typing import Any

from config.catalogue import Catalogue

MANIFEST_VERSION = "1.24"
SCHEMA = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
LOCALIZATION_SCHEMA = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.Localization.schema.json"
ACCENT_COLOUR = "#1F5F8B"
PERSONAL_COMMANDS = ("help", "check", "referral", "actions", "feedback", "status")
# In team channels and group chats the bot only points to the personal chat, so it offers just 'help' there.
SHARED_COMMANDS = ("help",)
LANGUAGES = {"nl": "nl-nl", "en": "en-us"}


@dataclass(frozen=True)
class Publisher:
    """Who publishes the app: shown to people who install it. The ZVH's own pages, not ours."""

    name: str
    website_url: str
    privacy_url: str
    terms_url: str


def manifest(app_id: str, version: str, publisher: Publisher, texts: Catalogue) -> dict[str, Any]:
    language = "nl"
    return {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id,
        "developer": {
            "name": publisher.name,
            "websiteUrl": publisher.website_url,
            "privacyUrl": publisher.privacy_url,
            "termsOfUseUrl": publisher.terms_url,
        },
        "name": {
            "short": texts.text(language, "teams.app.short"),
            "full": texts.text(language, "teams.app.full"),
        },
        "description": {
            "short": texts.text(language, "teams.app.description_short"),
            "full": texts.text(language, "teams.app.description_full"),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT_COLOUR,
        "bots": [
            {
                "botId": app_id,
                "scopes": ["personal", "team", "groupChat"],
                "isNotificationOnly": False,
                "supportsFiles": False,
                "commandLists": [
                    {"scopes": ["personal"], "commands": _commands(texts, language, PERSONAL_COMMANDS)},
                    {
                        "scopes": ["team", "groupChat"],
                        "commands": _commands(texts, language, SHARED_COMMANDS),
                    },
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
        "localizationInfo": {
            "defaultLanguageTag": LANGUAGES[language],
            "additionalLanguages": [{"languageTag": LANGUAGES["en"], "file": f"{LANGUAGES['en']}.json"}],
        },
    }


def _commands(texts: Catalogue, language: str, intents: tuple[str, ...]) -> list[dict[str, str]]:
    return [
        {
            "title": texts.text(language, f"teams.word.{intent}"),
            "description": texts.text(language, f"teams.command.{intent}"),
        }
        for intent in intents
    ]


def localization(texts: Catalogue, language: str) -> dict[str, str]:
    """The same manifest strings in another language, keyed by their place in the manifest."""
    strings = {
        "$schema": LOCALIZATION_SCHEMA,
        "name.short": texts.text(language, "teams.app.short"),
        "name.full": texts.text(language, "teams.app.full"),
        "description.short": texts.text(language, "teams.app.description_short"),
        "description.full": texts.text(language, "teams.app.description_full"),
    }
    for index, intents in enumerate((PERSONAL_COMMANDS, SHARED_COMMANDS)):
        for position, command in enumerate(_commands(texts, language, intents)):
            prefix = f"bots[0].commandLists[{index}].commands[{position}]"
            strings[f"{prefix}.title"] = command["title"]
            strings[f"{prefix}.description"] = command["description"]
    return strings


def package(app_id: str, version: str, publisher: Publisher, texts: Catalogue) -> bytes:
    """The zip Teams accepts: the files at its root, nothing else."""
    icons = resources.files("config") / "teams"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest(app_id, version, publisher, texts), indent=2))
        archive.writestr(f"{LANGUAGES['en']}.json", json.dumps(localization(texts, "en"), indent=2))
        for name in ("color.png", "outline.png"):
            archive.writestr(name, (icons / name).read_bytes())
    return buffer.getvalue()
