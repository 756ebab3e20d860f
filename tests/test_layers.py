"""The code's parts import each other one way (issue 39), as the design fixes it: a channel reaches the handlers
through the dispatcher, a handler reaches the store, never back; and inside ``handlers`` and ``bot`` no two
packages or modules import each other, however far round, so each can be read (and tested) without the other.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP = ("bot", "handlers", "storage", "config")
# What each top-level part may import of the others.
ALLOWED = {
    "config": set(),
    "storage": {"config"},
    "handlers": {"config", "storage"},
    "bot": {"config", "storage", "handlers"},
}


def unit(module: str) -> str:
    """The part a module belongs to: a package or module directly under handlers or bot, else its top."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] in ("handlers", "bot") and len(parts) > 1 else parts[0]


def imports() -> dict[str, set[str]]:
    """For each of our modules, the modules of ours it imports (a name imported from a package counts as that
    package's module when there is one)."""
    found: dict[str, set[str]] = defaultdict(set)
    for top in TOP:
        for path in (ROOT / top).rglob("*.py"):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    named = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
                elif isinstance(node, ast.Import):
                    named = [alias.name for alias in node.names]
                else:
                    continue
                found[module].update(name for name in named if name.split(".")[0] in TOP)
    return found


def test_each_part_imports_only_the_parts_below_it() -> None:
    wrong = [
        (module, target)
        for module, targets in imports().items()
        for target in targets
        if (top := module.split(".")[0]) != (other := target.split(".")[0]) and other not in ALLOWED[top]
    ]
    assert wrong == []


def test_no_two_packages_import_each_other() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, targets in imports().items():
        graph[unit(module)].update(unit(target) for target in targets if unit(target) != unit(module))
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as cycle:
        raise AssertionError(f"an import loop: {' -> '.join(cycle.args[1])}") from None
