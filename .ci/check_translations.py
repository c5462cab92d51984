#!/usr/bin/env python3
"""Fail with the list of strings a reader would see untranslated.

1. Every entry of locale/zh_Hans/LC_MESSAGES/django.po has a non-empty translation and is not
   marked fuzzy.
2. makemessages, run over a temporary copy of the project (never over the real po file, which
   others edit), finds no msgid that the po file lacks.

Needs GNU gettext (xgettext), as makemessages does: apt-get install gettext.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PO = Path("locale/zh_Hans/LC_MESSAGES/django.po")
# What makemessages reads: the Python code and the templates (as `make messages` runs it).
SKIP = {".git", ".venv", "tests", "media", "staticfiles", "node_modules", ".mypy_cache"}
MAKEMESSAGES = [
    "makemessages", "-l", "zh_Hans", "--no-obsolete", "--add-location", "file",
    "--ignore=.venv", "--ignore=tests",
]  # fmt: skip


def _unquote(line: str) -> str:
    text = line[line.index('"') + 1 : line.rindex('"')]
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")


def read_po(path: Path) -> list[dict]:
    """The entries of a po file: msgctxt, msgid, msgid_plural, msgstr (a list), fuzzy.

    An entry ends where a comment, msgctxt or msgid follows its msgstr, so an entry appended
    without a blank line before it is still read as its own.
    """
    entries: list[dict] = []
    entry: dict = {}
    field = ""

    def close():
        nonlocal entry, field
        if "msgid" in entry:
            entries.append(entry)
        entry, field = {}, ""

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):  # blank, or an obsolete entry
            continue
        if line.startswith("#"):
            if field == "msgstr":
                close()
            if line.startswith("#,") and "fuzzy" in line:
                entry["fuzzy"] = True
            continue
        if line.startswith('"'):
            if field == "msgstr":
                entry["msgstr"][-1] += _unquote(line)
            elif field:
                entry[field] += _unquote(line)
            continue
        keyword = line.split(" ", 1)[0]
        if keyword in ("msgctxt", "msgid") and field == "msgstr":
            close()
        if keyword.startswith("msgstr"):
            entry.setdefault("msgstr", []).append(_unquote(line))
            field = "msgstr"
        else:
            entry[keyword] = _unquote(line)
            field = keyword
    close()
    return entries


def key(entry: dict) -> tuple[str, str]:
    return entry.get("msgctxt", ""), entry["msgid"]


def untranslated(entries: list[dict]) -> list[str]:
    problems = []
    for entry in entries:
        if entry["msgid"] == "":  # the header
            continue
        if entry.get("fuzzy"):
            problems.append(f"fuzzy: {entry['msgid']!r}")
        elif not all(text.strip() for text in entry.get("msgstr", [""])):
            problems.append(f"no translation: {entry['msgid']!r}")
    return problems


def missing_from_po(entries: list[dict]) -> list[str]:
    if shutil.which("xgettext") is None:
        sys.exit("check_translations: xgettext is missing (apt-get install gettext)")
    known = {key(entry) for entry in entries}
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "project"
        shutil.copytree(ROOT, copy, ignore=lambda _dir, names: [n for n in names if n in SKIP])
        subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
            [sys.executable, "manage.py", *MAKEMESSAGES, "-v", "0"],
            cwd=copy,
            check=True,
            env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin:/bin"},
        )
        found = read_po(copy / PO)
    missing = [entry for entry in found if entry["msgid"] and key(entry) not in known]
    return [
        f"not in {PO}: {entry['msgid']!r}" for entry in missing if not translated_by_django(entry)
    ]


def translated_by_django(entry: dict) -> bool:
    """Whether another catalog (Django's admin, a package's) already shows it in Chinese."""
    import django
    from django.utils import translation

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    with translation.override("zh-hans"):
        if "msgctxt" in entry:
            shown = translation.pgettext(entry["msgctxt"], entry["msgid"])
        else:
            shown = translation.gettext(entry["msgid"])
    return shown != entry["msgid"]


def main() -> int:
    entries = read_po(ROOT / PO)
    problems = untranslated(entries) + missing_from_po(entries)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} strings a reader would see in English ({PO})")
        return 1
    print(f"translations: all {len(entries) - 1} strings translated, none missing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
