"""Evaluating the national criteria from config/criteria.toml, with 'weet niet' as a real third value."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Any

from config.definitions import Criteria, Question, Region, Rule

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
    """The indication: fits, borderline or redirect, with the facts behind it and where to go. ``facts`` are only
    the ones that decided it: leave any other out and the indication would still be the same."""

    verdict: str
    facts: dict[str, Truth]
    redirects: tuple[str, ...]
    advice: tuple[str, ...]


Outcome = tuple[str, tuple[str, ...]]  # the verdict, and where to go


def _outcome(criteria: Criteria, region: Region, facts: dict[str, Truth]) -> Outcome:
    fits = evaluate(criteria.fits, facts)
    if fits:
        return "fits", ()
    if fits is None or evaluate(criteria.borderline, facts):
        return "borderline", ()
    redirects = tuple(
        redirect.to
        for redirect in criteria.redirects
        if evaluate(redirect.when, facts) and (region.has_regieteam or not redirect.needs_regieteam)
    )
    return "redirect", redirects or ("wijkteam",)


def _possible(criteria: Criteria, name: str) -> tuple[Truth, ...]:
    """What a fact can still turn out to be: unknown only where its question has a 'weet niet'."""
    return (True, False, None) if criteria.facts[name].unknown else (True, False)


def settled(criteria: Criteria, region: Region, known: dict[str, Truth]) -> Outcome | None:
    """The outcome when every way the facts not in ``known`` could turn out gives the same one, else None."""
    free = [name for name in criteria.facts if name not in known]
    seen: Outcome | None = None
    for values in product(*(_possible(criteria, name) for name in free)):
        outcome = _outcome(criteria, region, {**known, **dict(zip(free, values))})
        if seen is not None and outcome != seen:
            return None
        seen = outcome
    return seen


def answered_facts(criteria: Criteria, answers: dict[str, Any]) -> dict[str, Truth]:
    """The facts whose question has been answered."""
    values = fact_values(criteria, answers)
    return {name: value for name, value in values.items() if criteria.facts[name].question in answers}


def _deciding(
    criteria: Criteria, region: Region, facts: dict[str, Truth], outcome: Outcome
) -> dict[str, Truth]:
    """A smallest set of the facts (none can be left out) that still settles the outcome on its own."""
    kept = dict(facts)
    for name in facts:
        trial = {key: value for key, value in kept.items() if key != name}
        if settled(criteria, region, trial) == outcome:
            kept = trial
    return kept


def assess(criteria: Criteria, region: Region, answers: dict[str, Any]) -> Assessment:
    """The indication from the answers so far; facts whose question was not asked (because the outcome was
    settled without them) do not count."""
    facts = answered_facts(criteria, answers)
    outcome = settled(criteria, region, facts) or _outcome(criteria, region, fact_values(criteria, answers))
    advice = tuple(
        dict.fromkeys(
            q.advice[answer]
            for q in criteria.questions
            if isinstance(answer := answers.get(q.key), str) and answer in q.advice
        )
    )
    return Assessment(outcome[0], _deciding(criteria, region, facts, outcome), outcome[1], advice)


def next_question(criteria: Criteria, region: Region, answers: dict[str, Any], start: int) -> Question | None:
    """The first question from ``start`` on whose answer can still matter: one that can stop the check or add
    advice, always; one a criterion depends on, while the outcome is not settled; any other (such as
    'geïnformeerd?', which only a referral needs) unless the outcome is settled on a redirection."""
    outcome = settled(criteria, region, answered_facts(criteria, answers))
    feeding = {fact.question for fact in criteria.facts.values()}
    for question in criteria.questions[start:]:
        if question.stop or question.advice:
            return question
        if question.key in feeding and outcome is None:
            return question
        if question.key not in feeding and (outcome is None or outcome[0] != "redirect"):
            return question
    return None
