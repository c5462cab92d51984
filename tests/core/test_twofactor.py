"""Who must use a second factor, the one check for staff views, and the enrolment rules."""

import json
import logging
import re
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.views import View
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import twofactor
from core.logformat import JsonLinesFormatter
from core.twofactor import (
    SIGNED_IN_AT,
    VerifiedPermissionRequiredMixin,
    needs_two_factor,
    verified_permission_required,
)
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CORE = Path(__file__).resolve().parents[2] / "core"


@pytest.fixture(autouse=True)
def second_factor(settings):
    settings.TWO_FACTOR_REQUIRED = True


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


def current_code(device):
    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


def user_with(*permissions, **fields):
    user = UserFactory(is_staff=True, **fields)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return type(user).objects.get(pk=user.pk)  # no cached permissions


# --- Who must use it: decided by the permissions the apps declare --------------------------


def test_the_apps_declare_their_sensitive_permissions():
    declared = twofactor.sensitive_permissions()
    assert "news.publish_article" in declared
    assert "members.view_lawyer" in declared
    assert "party_building.*" in declared


def test_a_declared_permission_makes_its_holder_need_a_second_factor():
    assert needs_two_factor(user_with("news.publish_article"))


def test_a_whole_app_declared_covers_each_of_its_permissions():
    assert needs_two_factor(user_with("party_building.view_campaign"))


def test_other_permissions_need_no_second_factor():
    assert not needs_two_factor(user_with("news.change_article", "news.add_article"))


def test_every_superuser_needs_a_second_factor():
    assert needs_two_factor(UserFactory(is_superuser=True, is_staff=True))


def test_a_permission_a_new_app_declares_is_asked_for_at_once(monkeypatch):
    monkeypatch.setattr(twofactor, "_sensitive_permissions", set())
    editor = user_with("news.change_article")
    assert not needs_two_factor(editor)
    twofactor.require_second_factor_for("news.change_article")
    assert needs_two_factor(editor)


def test_a_declaration_that_is_not_a_permission_is_refused():
    with pytest.raises(ValueError, match=r"app_label\.codename"):
        twofactor.require_second_factor_for("publish_article")


def test_core_names_no_app_in_its_security_modules():
    for name in ["twofactor.py", "adminsite.py", "clientaddr.py", "uploads.py", "audit.py"]:
        text = (CORE / name).read_text()
        assert not re.search(r"\b(news|members|party_building)\b", text), name


# --- The one check for views outside the admin --------------------------------------------


@verified_permission_required("news.publish_article")
def publishing_view(request):
    return HttpResponse("published")


class PublishingView(VerifiedPermissionRequiredMixin, View):
    permission_required = "news.publish_article"

    def get(self, request):
        return HttpResponse("published")


def call(view, rf, user, verified=False):
    request = rf.get("/somewhere/")
    request.user = user
    if not isinstance(user, AnonymousUser):
        user.is_verified = lambda: verified
    return view(request)


VIEWS = {"decorator": publishing_view, "mixin": PublishingView.as_view()}


@pytest.mark.parametrize("kind", VIEWS)
def test_an_anonymous_visitor_is_sent_to_the_login_page(rf, kind):
    response = call(VIEWS[kind], rf, AnonymousUser())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("kind", VIEWS)
def test_a_user_without_the_permission_is_refused(rf, kind):
    with pytest.raises(PermissionDenied):
        call(VIEWS[kind], rf, user_with("news.change_article"))


@pytest.mark.parametrize("kind", VIEWS)
def test_a_user_who_has_not_typed_the_second_factor_is_sent_to_type_it(rf, kind):
    reviewer = user_with("news.publish_article")
    TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)
    response = call(VIEWS[kind], rf, reviewer)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:2fa-verify"))
    assert "next=%2Fsomewhere%2F" in response["Location"]


@pytest.mark.parametrize("kind", VIEWS)
def test_a_user_with_no_device_yet_is_sent_to_enrol(rf, kind):
    response = call(VIEWS[kind], rf, user_with("news.publish_article"))
    assert response["Location"].startswith(reverse("core:2fa-setup"))


@pytest.mark.parametrize("kind", VIEWS)
def test_a_verified_user_with_the_permission_gets_the_view(rf, kind):
    response = call(VIEWS[kind], rf, user_with("news.publish_article"), verified=True)
    assert response.content == b"published"


@pytest.mark.parametrize("kind", VIEWS)
def test_without_the_requirement_the_permission_is_enough(rf, settings, kind):
    settings.TWO_FACTOR_REQUIRED = False
    response = call(VIEWS[kind], rf, user_with("news.publish_article"))
    assert response.content == b"published"


# --- The admin site --------------------------------------------------------------------------


def test_the_admin_login_page_sends_an_unverified_superuser_on_to_the_second_factor(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:login"), {"next": "/admin/members/"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('core:2fa-setup')}?next=%2Fadmin%2Fmembers%2F"


def test_an_unverified_superuser_may_still_sign_out(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:logout"))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# --- Verification and enrolment ---------------------------------------------------------------


def enrol(client, user):
    client.get(reverse("core:2fa-setup"))
    device = TOTPDevice.objects.get(user=user)
    return device, client.post(reverse("core:2fa-setup"), {"token": current_code(device)})


def test_typing_the_second_factor_gives_the_session_a_new_key(client):
    root = UserFactory(is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=root, name="phone", confirmed=True)
    client.force_login(root)
    before = client.session.session_key
    response = client.post(reverse("core:2fa-verify"), {"token": current_code(device)})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_enrolling_gives_the_session_a_new_key(client):
    root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)
    before = client.session.session_key
    _device, response = enrol(client, root)
    assert len(response.context["codes"]) == 10
    assert client.session.session_key != before


def test_the_old_session_key_is_worth_nothing_after_verification(client):
    root = UserFactory(is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=root, name="phone", confirmed=True)
    client.force_login(root)
    old_key = client.session.session_key
    client.post(reverse("core:2fa-verify"), {"token": current_code(device)})
    client.cookies["sessionid"] = old_key
    assert client.get(reverse("admin:index")).status_code == 302


def age_the_login(client, seconds):
    session = client.session
    session[SIGNED_IN_AT] = time.time() - seconds
    session.save()


def test_enrolment_is_refused_ten_minutes_after_the_password_login(client, audit_lines):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    age_the_login(client, 11 * 60)
    response = client.get(reverse("core:2fa-setup"), {"next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "_auth_user_id" not in client.session  # signed out: sign in again
    assert not TOTPDevice.objects.filter(user=root).exists()
    (refusal,) = [line for line in audit_lines if line["event"] == "two_factor_enrolment_refused"]
    assert refusal["user"] == "root"


def test_a_stolen_session_cannot_confirm_a_device_it_prepared_earlier(client):
    root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)
    client.get(reverse("core:2fa-setup"))
    device = TOTPDevice.objects.get(user=root)
    age_the_login(client, 11 * 60)
    client.post(reverse("core:2fa-setup"), {"token": current_code(device)})
    device.refresh_from_db()
    assert not device.confirmed


def test_enrolment_right_after_the_password_login_is_recorded(client, audit_lines):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    age_the_login(client, 9 * 60)
    enrol(client, root)
    assert "two_factor_enrolled" in [line["event"] for line in audit_lines]
    assert TOTPDevice.objects.get(user=root).confirmed


def test_the_login_form_starts_the_enrolment_window(client):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD})
    assert time.time() - client.session[SIGNED_IN_AT] < 60
    assert client.get(reverse("core:2fa-setup")).status_code == 200
