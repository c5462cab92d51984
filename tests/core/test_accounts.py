import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.sessions import LOGIN_AT, SEEN_AT
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def test_five_failures_lock_the_account_from_that_address(client, editor):
    for _ in range(4):
        assert attempt(client, "editor", "wrong password!").status_code == 200
    response = attempt(client, "editor", "wrong password!")
    assert response.status_code == 429
    assert "账号已被锁定" in response.content.decode()
    # Locked: even the right password is refused now.
    assert attempt(client, "editor", PASSWORD).status_code == 429


def test_a_lockout_of_one_user_leaves_another_alone(client, editor, reviewer):
    for _ in range(5):
        attempt(client, "editor", "wrong password!")
    assert attempt(client, "reviewer", PASSWORD).status_code == 302


def test_an_administrator_unlocks_an_account(client, editor):
    for _ in range(5):
        attempt(client, "editor", "wrong password!")
    call_command("axes_reset_username", "editor")
    assert attempt(client, "editor", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Sh0rt-pass!", "太短|too short"),
        ("password1234", "太常见"),
        ("zhang.sanfeng@example.org", "相似"),
    ],
)
def test_weak_passwords_are_refused(editor, password, reason):
    editor.email = "zhang.sanfeng@example.org"
    with translation.override("zh-hans"), pytest.raises(ValidationError, match=reason):
        validate_password(password, user=editor)


def test_a_strong_password_is_accepted(editor):
    validate_password("井冈山-座谈会-2010-七月", user=editor)


def test_login_gives_a_new_session_id(client, editor):
    client.get(LOGIN)
    before = client.cookies.get("sessionid")
    attempt(client, "editor", PASSWORD)
    assert client.cookies["sessionid"].value != (before.value if before else None)


def test_logout_ends_the_session_on_the_server(client, editor):
    attempt(client, "editor", PASSWORD)
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("admin:logout"))
    assert not Session.objects.filter(session_key=key).exists()


def age_session(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_staff_are_logged_out_after_30_idle_minutes(client, editor):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    age_session(client, **{SEEN_AT: 31 * 60})
    assert client.get("/admin/").status_code == 302


def test_staff_are_logged_out_12_hours_after_login_however_busy(client, editor):
    client.force_login(editor)
    client.get("/admin/")
    age_session(client, **{LOGIN_AT: 12 * 3600 + 60, SEEN_AT: 10})
    assert client.get("/admin/").status_code == 302


def test_an_active_session_lasts(client, editor):
    client.force_login(editor)
    age_session(client, **{SEEN_AT: 29 * 60})
    assert client.get("/admin/").status_code == 200


def current_code(device):
    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


@pytest.fixture
def second_factor(settings):
    settings.TWO_FACTOR_REQUIRED = True


def test_a_publisher_must_enrol_a_second_factor(client, reviewer, second_factor):
    client.force_login(reviewer)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:2fa-setup"))
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page  # the QR code, drawn by the server


def test_enrolment_confirms_the_device_and_shows_recovery_codes(client, reviewer, second_factor):
    client.force_login(reviewer)
    client.get(reverse("core:2fa-setup"))
    device = TOTPDevice.objects.get(user=reviewer)
    response = client.post(
        reverse("core:2fa-setup"), {"token": current_code(device), "next": "/admin/"}
    )
    assert len(response.context["codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_does_not_enrol(client, reviewer, second_factor):
    client.force_login(reviewer)
    client.get(reverse("core:2fa-setup"))
    response = client.post(reverse("core:2fa-setup"), {"token": "000000"})
    assert "验证码错误" in response.content.decode()
    assert not TOTPDevice.objects.get(user=reviewer).confirmed


def test_a_new_session_asks_for_the_code_and_a_recovery_code_works_once(
    client, reviewer, second_factor
):
    client.force_login(reviewer)
    client.get(reverse("core:2fa-setup"))
    device = TOTPDevice.objects.get(user=reviewer)
    codes = client.post(reverse("core:2fa-setup"), {"token": current_code(device)}).context["codes"]
    client.logout()
    client.force_login(reviewer)
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("core:2fa-verify"))
    assert (
        client.post(reverse("core:2fa-verify"), {"token": codes[0], "next": "/admin/"}).status_code
        == 302
    )
    assert client.get("/admin/").status_code == 200
    client.logout()
    client.force_login(reviewer)
    response = client.post(reverse("core:2fa-verify"), {"token": codes[0]})
    assert response.status_code == 200  # used already
    assert client.get("/admin/").status_code == 302


def test_an_editor_who_cannot_publish_needs_no_second_factor(client, editor, second_factor):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_the_verify_page_does_not_redirect_off_site(client, reviewer, second_factor):
    client.force_login(reviewer)
    client.get(reverse("core:2fa-setup"))
    device = TOTPDevice.objects.get(user=reviewer)
    response = client.post(
        reverse("core:2fa-setup"), {"token": current_code(device), "next": "https://evil.example/"}
    )
    assert "evil.example" not in response.context["next"]


def test_superusers_always_need_the_second_factor(client, second_factor):
    admin = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 302


def session_writes(client, url="/admin/") -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum('UPDATE "django_session"' in query["sql"] for query in captured)


def test_a_busy_session_is_written_once_a_minute_not_on_every_page(client, editor):
    client.force_login(editor)
    client.get("/admin/")
    assert session_writes(client) == 0  # seen a moment ago: nothing new to keep
    age_session(client, **{SEEN_AT: 61})
    assert session_writes(client) == 1
    assert time.time() - client.session[SEEN_AT] < 5  # the idle time starts again from now
