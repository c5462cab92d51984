"""gunicorn, as production runs it (gunicorn.conf.py), never turns a request header into a
WSGI variable: a `SCRIPT_NAME: /x` header once made `/x/admin/…` the admin for Django.
"""

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from gunicorn.app.base import Application

ROOT = Path(__file__).resolve().parents[2]


class ConfigOnly(Application):
    """gunicorn's own reading of gunicorn.conf.py, without starting anything."""

    def init(self, parser, opts, args):
        return None

    def load_config(self):
        self.load_config_from_file(str(ROOT / "gunicorn.conf.py"))

    def load(self):
        return None


@pytest.fixture
def config(monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    return ConfigOnly().cfg


def test_no_header_becomes_script_name_or_path_info(config):
    assert config.forwarder_headers == []


def test_headers_with_an_underscore_are_dropped(config):
    assert config.header_map == "drop"


def test_only_the_local_proxy_may_say_https_and_in_one_header(config):
    assert config.forwarded_allow_ips == ["127.0.0.1"]
    assert config.secure_scheme_headers == {"X-FORWARDED-PROTO": "https"}


def test_the_trusted_proxies_setting_names_the_front_end(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.11")
    assert ConfigOnly().cfg.forwarded_allow_ips == ["10.0.0.11"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(application, env):
    """gunicorn with the production settings file on a free loopback port: (process, port)."""
    port = free_port()
    env = {**env, "GUNICORN_WORKERS": "1"}
    env.pop("TRUSTED_PROXIES", None)
    server = subprocess.Popen(  # noqa: S603 (our own interpreter and gunicorn, no shell)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            application,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 90
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("gunicorn did not start")
            time.sleep(0.2)


@pytest.fixture(scope="module")
def gunicorn_url():
    """gunicorn serving an echo app, which shows the WSGI variables it was given."""
    server, port = start_gunicorn("tests.security.echo_wsgi:application", dict(os.environ))
    try:
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def environ_for(port, path, headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    assert response.status == 200
    return json.loads(response.read())


def test_a_script_name_header_from_loopback_changes_nothing(gunicorn_url):
    seen = environ_for(gunicorn_url, "/x/admin/members/lawyer/1/change/", {"SCRIPT_NAME": "/x"})
    assert seen["SCRIPT_NAME"] == ""
    assert seen["PATH_INFO"] == "/x/admin/members/lawyer/1/change/"


def test_path_info_and_remote_user_headers_are_ignored(gunicorn_url):
    seen = environ_for(gunicorn_url, "/party/board/", {"PATH_INFO": "/", "REMOTE_USER": "root"})
    assert seen["PATH_INFO"] == "/party/board/"
    assert seen["REMOTE_USER"] is None


def test_an_underscored_header_cannot_pose_as_x_forwarded_for(gunicorn_url):
    seen = environ_for(gunicorn_url, "/", {"X_Forwarded_For": "203.0.113.66"})
    assert seen["HTTP_X_FORWARDED_FOR"] is None


def test_x_forwarded_ssl_from_the_client_is_not_believed(gunicorn_url):
    seen = environ_for(gunicorn_url, "/", {"X-Forwarded-Ssl": "on"})
    assert seen["wsgi.url_scheme"] == "http"


# --- The site itself behind gunicorn, with a session that has a password only -----------------

# Run by manage.py shell in the site's process: a superuser with no second factor typed, a
# lawyer with a private phone, and two session keys for the superuser (password only, and
# verified by a device).
SESSIONS = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.members.factories import LawyerFactory

root = User.objects.create_superuser("root", "root@example.org", "井冈山-座谈会-2010-七月")
lawyer = LawyerFactory(phone="13912345678")
device = TOTPDevice.objects.create(user=root, name="phone", confirmed=True)

def session(**extra):
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(root.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = root.get_session_auth_hash()
    store.update(extra)
    store.save()
    return store.session_key

print(json.dumps({
    "change": f"/admin/members/lawyer/{lawyer.pk}/change/",
    "password_only": session(),
    "verified": session(**{DEVICE_ID_SESSION_KEY: device.persistent_id}),
}))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory, migrated_sqlite):
    """The site under gunicorn (DEBUG off, second factor required), on its own database."""
    database = tmp_path_factory.mktemp("gunicorn") / "db.sqlite3"
    shutil.copyfile(migrated_sqlite, database)  # as `manage.py migrate` leaves it
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "HTTPS": "0",
        "TWO_FACTOR_REQUIRED": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    made = subprocess.run(  # noqa: S603
        [*manage, "shell", "-c", SESSIONS],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    facts = json.loads(made.stdout.strip().splitlines()[-1])
    server, port = start_gunicorn("tests.security.site_wsgi:application", env)
    try:
        yield {"port": port, **facts}
    finally:
        server.terminate()
        server.wait(timeout=30)


def get(port, path, headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    return response.status, response.getheader("Location") or "", response.read()


def test_a_password_only_session_with_a_script_name_header_gets_no_private_record(site):
    cookie = {"Cookie": f"sessionid={site['password_only']}"}
    status, _location, body = get(
        site["port"], f"/x{site['change']}", {**cookie, "SCRIPT_NAME": "/x"}
    )
    assert status == 404
    assert b"13912345678" not in body
    status, location, body = get(site["port"], site["change"], {**cookie, "SCRIPT_NAME": "/x"})
    assert status == 302
    assert location.startswith("/account/2fa/")
    assert b"13912345678" not in body


def test_the_same_record_opens_to_a_verified_session(site):
    status, _location, body = get(
        site["port"], site["change"], {"Cookie": f"sessionid={site['verified']}"}
    )
    assert status == 200
    assert b"13912345678" in body
