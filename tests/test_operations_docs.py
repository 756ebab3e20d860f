"""The README's alert rules name only metrics that /metrics has: a renamed metric would otherwise leave an
operator's alert silently watching nothing."""

from __future__ import annotations

import re
from pathlib import Path

from prometheus_client import REGISTRY

import bot.metrics  # noqa: F401 - registers the metrics, as vhbot serve does
import storage.audit
import storage.crypto  # noqa: F401

README = Path(__file__).resolve().parents[1] / "README.md"


def alert_rules() -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"```yaml\n# vhbot-alerts\.yml\n(.*?)```", text, re.DOTALL)
    assert found, "the README has no alert rules block"
    return found.group(1)


def test_every_metric_an_alert_names_is_one_that_metrics_has() -> None:
    # A counter with labels has no sample until it counts something: its name is read from its family.
    families = list(REGISTRY.collect())
    exposed = {f"{family.name}_total" if family.type == "counter" else family.name for family in families}
    named = set(re.findall(r"\bvhbot_[a-z_]+\b", alert_rules()))
    assert named and named <= exposed, sorted(named - exposed)
    assert len(re.findall(r"- alert: ", alert_rules())) >= 8
