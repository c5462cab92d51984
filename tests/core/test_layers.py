"""The layers and the one-way rule (docs/ARCHITECTURE.md), read from the source.

core ← members ← news ← party_building, with demo and bench on top: a package imports only
the layers below it, and core does not even name an app. Upper layers register with lower ones
in AppConfig.ready instead.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Each app and the apps it may import.
LAYERS = {
    "core": set(),
    "members": {"core"},
    "news": {"core", "members"},
    "party_building": {"core", "members", "news"},
}
ON_TOP = {"demo", "bench", "config"}
# A string that names an app: its label, a permission, a table, a URL name or a path in it.
NAMES_AN_APP = re.compile(r"(?<![\w-])(news|members|party_building)(?:$|[._:/])")


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """The top-level packages a file imports, wherever in the file (lazy imports too)."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_an_app_imports_only_the_layers_below_it(package):
    forbidden = (set(LAYERS) | ON_TOP) - LAYERS[package] - {package}
    offending = {
        path.relative_to(ROOT).as_posix(): sorted(imported(path) & forbidden)
        for path in python_files(package)
        if imported(path) & forbidden
    }
    assert offending == {}


def test_core_names_no_app_even_in_a_string():
    offending = {
        path.relative_to(ROOT).as_posix(): found
        for path in python_files("core")
        if "migrations" not in path.parts
        and (found := [text for text in strings(path) if NAMES_AN_APP.search(text)])
    }
    assert offending == {}


@pytest.mark.parametrize(
    "source, found",
    [
        ("from news.models import Article", {"news"}),
        ("def f():\n    import party_building.access", {"party_building"}),
        ("from . import views\nimport django.db", {"django"}),
    ],
)
def test_imports_are_found_wherever_they_are(tmp_path, source, found):
    path = tmp_path / "module.py"
    path.write_text(source, "utf-8")
    assert imported(path) == found


@pytest.mark.parametrize(
    "text, names",
    [
        ("news.publish_article", True),
        ("members_lawyer", True),
        ("members/importers.py", True),
        ("party_building", True),
        ("news:article", True),
        ("the staff members who publish", False),
        ("pagecache:generation", False),
    ],
)
def test_a_string_that_names_an_app_is_recognised(text, names):
    assert bool(NAMES_AN_APP.search(text)) is names
