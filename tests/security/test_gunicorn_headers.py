"""gunicorn, as production runs it (gunicorn.conf.py), never turns a request header into a
WSGI variable: a `SCRIPT_NAME: /x` header once made `/x/admin/…` the admin for Django.
"""

import http.client
import json
import os
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


@pytest.fixture(scope="module")
def gunicorn_url():
    """gunicorn with the production settings file, on a loopback port, serving an echo app."""
    port = free_port()
    env = {**os.environ, "GUNICORN_WORKERS": "1"}
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
            "tests.security.echo_wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start")
                time.sleep(0.2)
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
