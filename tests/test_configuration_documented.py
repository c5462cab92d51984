"""Every environment variable the code reads is in the README's configuration table."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = [
    "config", "core", "members", "news", "party_building", "demo", "bench", "deploy",
    "gunicorn.conf.py", "manage.py", "tests/conftest.py",
]  # fmt: skip
READERS = ("environ.get", "getenv", "env_bool", "env_list", "env_int", "environ.setdefault")


def variables_read(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith(READERS):
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and ast.unparse(node.value).endswith("environ")
            and isinstance(node.slice, ast.Constant)
        ):
            names.add(node.slice.value)
    return names


def code_files():
    for entry in CODE:
        path = ROOT / entry
        yield from (sorted(path.rglob("*.py")) if path.is_dir() else [path])


def test_the_scan_finds_reads_of_every_kind():
    source = (
        'import os\nos.environ.get("A")\nos.getenv("B")\nenv_bool("C", False)\n'
        'env_list("D", "")\nos.environ["E"]\nos.environ["F"] = "1"\n'
    )
    assert variables_read(source) == {"A", "B", "C", "D", "E"}


def test_every_variable_the_code_reads_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    read = {}
    for path in code_files():
        for name in variables_read(path.read_text(encoding="utf-8")):
            read.setdefault(name, path.relative_to(ROOT).as_posix())
    missing = {name: where for name, where in read.items() if f"`{name}`" not in readme}
    assert len(read) > 20  # the scan found the settings
    assert missing == {}
