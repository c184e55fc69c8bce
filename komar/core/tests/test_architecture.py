"""The layers of docs/ARCHITECTURE.md, checked on the source: arrows point down.

Read with the ``ast`` module (no import runs), every ``import komar.x`` and
``from komar.x ... import`` outside tests and migrations counts, including imports made
only for type checking.
"""

import ast
from pathlib import Path

KOMAR = Path(__file__).resolve().parents[2]

# What each app may import besides itself. A P module or a new app adds its line here,
# reviewed like any change of architecture.
ALLOWED: dict[str, set[str]] = {
    "core": {"settings"},  # the system checks read the settings rules
    "settings": {"core"},
    "formats": set(),
    "accounts": {"core", "audit", "api"},
    "audit": {"core", "accounts", "api"},
    "access": {"core", "accounts", "audit"},
    "geo": {"core", "accounts", "audit", "api"},
    "children": {"core", "accounts", "audit", "access", "geo", "api"},
    "cases": {"core", "accounts", "audit", "access", "geo", "children", "api"},
    "home": {
        "core",
        "accounts",
        "audit",
        "access",
        "children",
        "cases",
    },  # composes the start page and navigation
    "demo": {"core", "accounts", "audit", "access", "geo", "children", "cases"},
    "api": {"core", "accounts", "audit", "access", "geo", "children", "cases"},
}


def _imports() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in KOMAR.rglob("*.py"):
        parts = path.relative_to(KOMAR).parts
        if len(parts) < 2 or "tests" in parts or "migrations" in parts:
            continue
        app = parts[0]
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                bits = name.split(".")
                if bits[0] == "komar" and len(bits) > 1 and bits[1] != app:
                    found.setdefault(app, set()).add(bits[1])
    return found


def test_every_app_imports_only_the_layers_below_it() -> None:
    wrong = {
        app: sorted(targets - ALLOWED.get(app, set()))
        for app, targets in _imports().items()
        if targets - ALLOWED.get(app, set())
    }
    assert wrong == {}


def test_children_and_cases_do_not_import_each_other_and_core_is_a_leaf() -> None:
    imports = _imports()
    assert "cases" not in imports.get("children", set())
    assert imports.get("core", set()) <= {"settings"}


def test_the_check_sees_imports() -> None:
    # The reader must find what it is meant to forbid, or the tests above prove nothing.
    assert "children" in _imports()["cases"]
    assert "accounts" in _imports()["access"]
