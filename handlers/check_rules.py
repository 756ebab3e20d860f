"""Evaluating the national criteria from config/criteria.toml, with 'weet niet' as a real third value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from config.definitions import Criteria, Region, Rule

Truth = bool | None  # None: unknown, because someone answered "weet niet"


def fact_values(criteria: Criteria, answers: dict[str, Any]) -> dict[str, Truth]:
    values: dict[str, Truth] = {}
    for name, fact in criteria.facts.items():
        answer = answers.get(fact.question)
        if fact.at_least is not None:
            values[name] = len(answer or []) >= fact.at_least
        elif answer in fact.unknown:
            values[name] = None
        else:
            values[name] = answer in fact.true
    return values


def evaluate(rule: Rule, facts: dict[str, Truth]) -> Truth:
    """Kleene logic: 'all' is false if any part is false, unknown if any is unknown; 'any' mirrors it."""
    if isinstance(rule, str):
        return facts[rule]
    if "not" in rule:
        inner = evaluate(rule["not"], facts)
        return None if inner is None else not inner
    parts = [evaluate(item, facts) for item in rule["all" if "all" in rule else "any"]]
    decisive = "all" not in rule  # any: a True decides; all: a False decides
    if decisive in parts:
        return decisive
    return None if None in parts else not decisive


@dataclass(frozen=True)
class Assessment:
    """The indication: fits, borderline or redirect, with the facts behind it and where to go."""

    verdict: str
    facts: dict[str, Truth]
    redirects: tuple[str, ...]
    advice: tuple[str, ...]


def assess(criteria: Criteria, region: Region, answers: dict[str, Any]) -> Assessment:
    facts = fact_values(criteria, answers)
    fits = evaluate(criteria.fits, facts)
    advice = tuple(
        dict.fromkeys(
            q.advice[answer]
            for q in criteria.questions
            if isinstance(answer := answers.get(q.key), str) and answer in q.advice
        )
    )
    if fits:
        return Assessment("fits", facts, (), advice)
    if fits is None or evaluate(criteria.borderline, facts):
        return Assessment("borderline", facts, (), advice)
    redirects = tuple(
        redirect.to
        for redirect in criteria.redirects
        if evaluate(redirect.when, facts) and (region.has_regieteam or not redirect.needs_regieteam)
    )
    return Assessment("redirect", facts, redirects or ("wijkteam",), advice)
