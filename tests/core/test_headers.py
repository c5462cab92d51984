"""The headers a page gets under the production settings (DEBUG=0, HTTPS=1)."""

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def production_env(**values):
    """The environment of a production process (without the test run's own switches)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **env,
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "lvxie.example.org",
        **values,
    }


# Runs in a fresh process, so that settings are read from the production environment.
PROBE = """
import json
from django.conf import settings
from django.test import Client, override_settings
# Static files are not collected for this probe; everything else is production.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
client = Client()
response = client.get("/robots.txt", secure=True, HTTP_HOST="lvxie.example.org")
insecure = client.get("/robots.txt", HTTP_HOST="lvxie.example.org")
admin = client.get("/admin/login/", secure=True, HTTP_HOST="lvxie.example.org")
print(json.dumps({
    "headers": dict(response.headers),
    "admin_csp": admin.headers.get("Content-Security-Policy"),
    "insecure_status": insecure.status_code,
    "insecure_location": insecure.headers.get("Location"),
    "cookies": {name: dict(morsel) for name, morsel in admin.cookies.items()},
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory, migrated_sqlite):
    database = tmp_path_factory.mktemp("prod") / "db.sqlite3"
    shutil.copyfile(migrated_sqlite, database)  # as `manage.py migrate` leaves it
    env = production_env(DATABASE_URL=f"sqlite:///{database}")
    manage = [sys.executable, str(ROOT / "manage.py")]
    output = subprocess.run(  # noqa: S603
        [*manage, "shell", "-c", PROBE],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def directives(policy):
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_the_content_security_policy_is_strict_on_public_pages(production):
    policy = directives(production["headers"]["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)


def test_the_admin_allows_the_editors_inline_styles_and_nothing_more(production):
    policy = directives(production["admin_csp"])
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["script-src"] == ["'self'"]


def test_hsts_nosniff_referrer_permissions_and_framing_headers(production):
    headers = production["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_plain_http_is_redirected_to_https(production):
    assert production["insecure_status"] == 301
    assert production["insecure_location"].startswith("https://")


def test_cookies_are_secure_host_prefixed_and_same_site(production):
    csrf = production["cookies"]["__Host-csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    assert csrf["path"] == "/"
    assert not csrf["domain"]


def test_the_deployment_checklist_passes_with_no_warnings(tmp_path):
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
