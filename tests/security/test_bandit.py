"""bandit finds no high-severity issue in the site's code (medium ones are fixed or marked)."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["config", "core", "members", "news", "party_building"]

# It reads the source, whatever the database: CI runs it once, in the SQLite pass.
pytestmark = pytest.mark.source_scan


def test_bandit_reports_no_high_severity_issue():
    if importlib.util.find_spec("bandit") is None:
        if os.environ.get("CI"):
            pytest.fail("bandit is required in CI: pip install -r requirements-dev.txt")
        pytest.skip("bandit is not installed (pip install -r requirements-dev.txt)")
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-m", "bandit", "-r", *PACKAGES, "-x", "*/migrations/*",
         "-lll", "-f", "json", "-q"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert report["errors"] == []
    found = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
             for r in report["results"]]  # fmt: skip
    assert found == []
