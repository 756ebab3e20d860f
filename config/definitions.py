"""Typed views of the data files in config/: the check, the referral form, the region and the process.

The files are read once and validated here, so a typo in a criteria file stops the bot at start
instead of in the middle of someone's check.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar

from config.files import ConfigError, data_file, site

Kind = Literal["single", "multi", "text"]
T = TypeVar("T")
# A rule is a fact name, or {"all": [...]}, {"any": [...]}, {"not": rule}.
Rule = str | dict[str, Any]


@dataclass(frozen=True)
class Question:
    key: str
    kind: Kind
    options: tuple[str, ...] = ()
    stop: dict[str, str] = field(default_factory=dict)
    advice: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Fact:
    question: str
    at_least: int | None = None
    true: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True)
class Redirect:
    to: str
    when: Rule
    needs_regieteam: bool = False


@dataclass(frozen=True)
class Criteria:
    questions: tuple[Question, ...]
    facts: dict[str, Fact]
    fits: Rule
    borderline: Rule
    redirects: tuple[Redirect, ...]


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str


@dataclass(frozen=True)
class Region:
    name: str
    gemeenten: tuple[str, ...]
    has_regieteam: bool
    organisation_types: tuple[str, ...]
    contacts: dict[str, Contact]
    # How the bot's account is named in people's chat lists: always saying that it is a bot, as healthcare
    # messengers require ("<name> (Chatbot)"), so nobody wonders whether a person is typing.
    chatbot_name: str = ""
    # The picture beside that name: a PNG in the ZVH's own data (or shipped with vhbot).
    avatar: str = "teams/color.png"
    # School holidays people plan around ("na de zomervakantie"): name → (first day, last day) per year.
    school_holidays: dict[str, tuple[tuple[date, date], ...]] = field(default_factory=dict)


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _question(raw: dict[str, Any], lists: dict[str, tuple[str, ...]]) -> Question:
    options = tuple(raw.get("options", ())) or lists.get(raw.get("options_from", ""), ())
    kind: Kind = raw["kind"]
    if kind != "text" and not options:
        raise ValueError(f"question {raw['key']!r} needs options")
    return Question(
        key=raw["key"],
        kind=kind,
        options=options,
        stop=dict(raw.get("stop", {})),
        advice=dict(raw.get("advice", {})),
    )


def _rule_facts(rule: Rule) -> set[str]:
    if isinstance(rule, str):
        return {rule}
    found: set[str] = set()
    for operand in rule.values():
        for item in operand if isinstance(operand, list) else [operand]:
            found |= _rule_facts(item)
    return found


def load_criteria(path: Path) -> Criteria:
    raw = _read(path)
    questions = tuple(_question(item, {}) for item in raw["question"])
    keys = {question.key for question in questions}
    facts = {
        name: Fact(
            question=spec["question"],
            at_least=spec.get("at_least"),
            true=tuple(spec.get("true", ())),
            unknown=tuple(spec.get("unknown", ())),
        )
        for name, spec in raw["fact"].items()
    }
    redirects = tuple(
        Redirect(to=item["to"], when=item["when"], needs_regieteam=item.get("needs_regieteam", False))
        for item in raw.get("redirect", [])
    )
    criteria = Criteria(questions, facts, raw["outcome"]["fits"], raw["outcome"]["borderline"], redirects)
    unknown_questions = {fact.question for fact in facts.values()} - keys
    used = _rule_facts(criteria.fits) | _rule_facts(criteria.borderline)
    for redirect in redirects:
        used |= _rule_facts(redirect.when)
    if unknown_questions or used - facts.keys():
        raise ValueError(
            f"criteria refer to unknown names: {sorted(unknown_questions | (used - facts.keys()))}"
        )
    return criteria


def load_region(path: Path) -> Region:
    raw = _read(path)
    chatbot = str(raw.get("chatbot_name") or raw["name"])
    return Region(
        chatbot_name=chatbot if chatbot.endswith("(Chatbot)") else f"{chatbot} (Chatbot)",
        avatar=str(raw.get("avatar") or "teams/color.png"),
        name=raw["name"],
        gemeenten=tuple(raw["gemeenten"]),
        has_regieteam=bool(raw.get("has_regieteam", False)),
        organisation_types=tuple(raw["organisation_types"]),
        contacts={key: Contact(**value) for key, value in raw["contacts"].items()},
        school_holidays={
            name.casefold(): tuple(
                (date.fromisoformat(first), date.fromisoformat(last)) for first, last in spans
            )
            for name, spans in raw.get("school_holidays", {}).items()
        },
    )


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Triage:
    """A weekly triage: referrals in before the cut-off (on the day and at the time named, in the same week) are
    discussed at it. Days count from Monday (0)."""

    day: int
    at: time
    cutoff_day: int
    cutoff_at: time


def _triage(raw: dict[str, str]) -> Triage:
    day, cutoff_day = WEEKDAYS.index(raw["day"].lower()), WEEKDAYS.index(raw["cutoff_day"].lower())
    if cutoff_day > day:
        raise ValueError(
            f"a triage's cut-off ({raw['cutoff_day']}) must not come after its day ({raw['day']})"
        )
    return Triage(day, time.fromisoformat(raw["at"]), cutoff_day, time.fromisoformat(raw["cutoff_at"]))


@dataclass(frozen=True)
class Process:
    """The choices of directing a case: why it is closed, to whom it is escalated; and how long a referral waits
    for the aandachtsfunctionaris of its gemeente before the whole team hears of it."""

    close_reasons: tuple[str, ...]
    escalation_targets: tuple[str, ...]
    team_after_working_hours: float = 4.0
    triage: tuple[Triage, ...] = ()
    decision_working_days: int = 5
    prepare_working_days: int = 2


def load_process(path: Path) -> Process:
    raw = _read(path)
    process = Process(
        tuple(raw["close_reasons"]),
        tuple(raw["escalation_targets"]),
        float(raw.get("team_after_working_hours", Process.team_after_working_hours)),
        tuple(_triage(entry) for entry in raw.get("triage", ())),
        int(raw.get("decision_working_days", Process.decision_working_days)),
        int(raw.get("prepare_working_days", Process.prepare_working_days)),
    )
    if not process.close_reasons or not process.escalation_targets:
        raise ValueError(f"{path.name} needs at least one close reason and one escalation target")
    if process.decision_working_days < 1:
        raise ValueError(f"{path.name}: decision_working_days must be 1 or more")
    if process.prepare_working_days < 0:
        raise ValueError(f"{path.name}: prepare_working_days must be 0 (off) or more")
    if process.team_after_working_hours <= 0:
        raise ValueError(f"{path.name}: team_after_working_hours must be more than 0")
    return process


def load_referral_form(region: Region, path: Path) -> tuple[Question, ...]:
    return tuple(_question(item, {"gemeenten": region.gemeenten}) for item in _read(path)["question"])


@dataclass(frozen=True)
class Definitions:
    """Everything from config/ that the conversations need, loaded together."""

    criteria: Criteria
    region: Region
    referral_form: tuple[Question, ...]
    process: Process


def load_definitions() -> Definitions:
    """The definitions from the ZVH's own files where it has them (``config.files``), else the shipped ones."""
    return _definitions(site())


@lru_cache(maxsize=4)
def _definitions(own: Path | None) -> Definitions:
    def read(name: str, load: Callable[[Path], T]) -> T:
        path = data_file(name)
        try:
            return load(path)
        except (OSError, tomllib.TOMLDecodeError, KeyError, ValueError, TypeError) as error:
            raise ConfigError(f"{path}: {type(error).__name__}: {error}") from None

    region = read("region.toml", load_region)
    return Definitions(
        read("criteria.toml", load_criteria),
        region,
        read("referral.toml", lambda path: load_referral_form(region, path)),
        read("process.toml", load_process),
    )
