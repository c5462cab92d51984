"""One client address behind nginx, for the lockout, the audit trail and the lookup limit.

Behind the nginx of deploy/, every connection comes from 127.0.0.1 and nginx names the
visitor in X-Forwarded-For. Before, axes and the audit trail saw 127.0.0.1 for everybody
(five wrong passwords from anywhere locked any account, for ever) and each part read the
address its own way. Now all three take it from core.clientaddr.
"""

import datetime
import json
import logging
import runpy
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from config import settings as settings_module
from core.logformat import JsonLinesFormatter
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
LAWYERS = "/lawyers/lookup/"
NGINX = "127.0.0.1"
VISITOR = "198.51.100.7"
OTHER_VISITOR = "198.51.100.8"


@pytest.fixture
def audit_lines():
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(JsonLinesFormatter().format(record)))

    handler = Collect()
    logger = logging.getLogger("lvxie.audit")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = [NGINX]


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def through_nginx(visitor):
    """What a request that nginx passed on looks like to the application."""
    return {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": visitor}


def log_in(client, password, **meta):
    return client.post(LOGIN, {"username": "root", "password": password}, **meta)


def fail_five_times(client, **meta):
    for _ in range(5):
        log_in(client, "wrong password!", **meta)


def test_axes_audit_and_throttle_see_the_visitor_behind_a_trusted_proxy(
    client, settings, behind_nginx, root, audit_lines
):
    settings.LOOKUP_RATE_LIMIT = 1
    log_in(client, "wrong password!", **through_nginx(VISITOR))
    (failed,) = [line for line in audit_lines if line["event"] == "login_failed"]
    assert failed["ip"] == VISITOR
    assert AccessAttempt.objects.get().ip_address == VISITOR
    assert client.get(LAWYERS, {"name": "张三"}, **through_nginx(VISITOR)).status_code == 200
    assert client.get(LAWYERS, {"name": "张三"}, **through_nginx(VISITOR)).status_code == 429
    # The next visitor through the same nginx has a count of its own.
    assert client.get(LAWYERS, {"name": "张三"}, **through_nginx(OTHER_VISITOR)).status_code == 200


def test_axes_audit_and_throttle_ignore_a_header_an_untrusted_client_wrote(
    client, settings, behind_nginx, root, audit_lines
):
    settings.LOOKUP_RATE_LIMIT = 1
    forged = {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": VISITOR}
    log_in(client, "wrong password!", **forged)
    (failed,) = [line for line in audit_lines if line["event"] == "login_failed"]
    assert failed["ip"] == "203.0.113.5"
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    assert client.get(LAWYERS, {"name": "张三"}, **forged).status_code == 200
    forged_again = {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": OTHER_VISITOR}
    assert client.get(LAWYERS, {"name": "张三"}, **forged_again).status_code == 429


def test_the_audit_trail_records_the_visitor_of_a_login_behind_nginx(
    client, behind_nginx, root, audit_lines
):
    assert log_in(client, PASSWORD, **through_nginx(VISITOR)).status_code == 302
    (login,) = [line for line in audit_lines if line["event"] == "login"]
    assert login["ip"] == VISITOR


def test_locking_a_superuser_from_one_address_leaves_the_other_addresses_open(
    client, behind_nginx, root
):
    fail_five_times(client, **through_nginx("203.0.113.66"))
    assert log_in(client, PASSWORD, **through_nginx("203.0.113.66")).status_code == 429
    assert log_in(client, PASSWORD, **through_nginx(VISITOR)).status_code == 302


def test_wrong_passwords_from_many_visitors_behind_nginx_lock_nobody(client, behind_nginx, root):
    for number in range(10):
        log_in(client, "wrong password!", **through_nginx(f"203.0.113.{number}"))
    assert log_in(client, PASSWORD, **through_nginx(VISITOR)).status_code == 302


def test_an_ipv6_attacker_cannot_get_more_tries_by_moving_inside_its_64(client, root):
    for host in range(1, 6):
        log_in(client, "wrong password!", REMOTE_ADDR=f"2001:db8:1:2::{host}")
    assert log_in(client, PASSWORD, REMOTE_ADDR="2001:db8:1:2::99").status_code == 429
    assert log_in(client, PASSWORD, REMOTE_ADDR="2001:db8:1:3::1").status_code == 302


def age_attempts(minutes):
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=minutes))


def test_a_lockout_lasts_the_cool_off_time(client, root):
    fail_five_times(client, REMOTE_ADDR="203.0.113.66")
    age_attempts(29)
    assert log_in(client, PASSWORD, REMOTE_ADDR="203.0.113.66").status_code == 429


def test_a_lockout_ends_after_the_cool_off_time(client, root):
    fail_five_times(client, REMOTE_ADDR="203.0.113.66")
    assert log_in(client, PASSWORD, REMOTE_ADDR="203.0.113.66").status_code == 429
    age_attempts(31)
    assert log_in(client, PASSWORD, REMOTE_ADDR="203.0.113.66").status_code == 302


def read_settings():
    return runpy.run_path(str(Path(settings_module.__file__)))


def test_the_cool_off_time_is_thirty_minutes_by_default(monkeypatch):
    monkeypatch.delenv("LOCKOUT_MINUTES", raising=False)
    assert read_settings()["AXES_COOLOFF_TIME"] == datetime.timedelta(minutes=30)


def test_the_cool_off_time_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("LOCKOUT_MINUTES", "5")
    assert read_settings()["AXES_COOLOFF_TIME"] == datetime.timedelta(minutes=5)
