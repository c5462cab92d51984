"""The admin site's caching: its script translations are kept by the browser (no other page
is), and each user's list of apps and models is kept until what decides it changes."""

import pytest
from django.contrib.admin import AdminSite
from django.contrib.auth.models import Group, Permission
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.templatetags import admin_sidebar
from party_building.models import TransferPolicy
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CATALOG = "/admin/jsi18n/"


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="编辑"))
    client.force_login(user)
    return user


def test_the_script_translations_are_kept_by_the_browser_for_a_day(client, editor):
    first = client.get(CATALOG)
    second = client.get(CATALOG)

    assert first.status_code == 200
    # "Available %s" of the admin's selector, in Chinese (the catalog escapes it as JSON does)
    assert "可用".encode("unicode_escape") in first.content
    assert second.content == first.content
    cache_control = first["Cache-Control"]
    assert "private" in cache_control and "max-age=86400" in cache_control
    assert "no-store" not in cache_control


def test_every_other_admin_page_is_never_cached(client, editor):
    assert "no-store" in client.get("/admin/")["Cache-Control"]
    assert "no-store" in client.get("/admin/news/article/")["Cache-Control"]


def test_the_script_translations_still_need_a_signed_in_member_of_staff(client):
    response = client.get(CATALOG)

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert "max-age=86400" not in response.get("Cache-Control", "")


def test_a_superuser_without_the_second_factor_is_sent_to_type_it_uncached(client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(CATALOG)

    assert response.status_code == 302 and "/admin/login/" not in response["Location"]
    assert "no-store" in response["Cache-Control"]


# --- The list of apps and models --------------------------------------------------------------


@pytest.fixture
def builds(monkeypatch):
    """How many times the admin worked out a list of apps and models."""
    calls = []
    original = AdminSite._build_app_dict

    def counted(site, request, label=None):
        calls.append(request.user.pk)
        return original(site, request, label)

    monkeypatch.setattr(AdminSite, "_build_app_dict", counted)
    return calls


def listed_models(client):
    return {
        model["object_name"]
        for app in client.get("/admin/").context["app_list"]
        for model in app["models"]
    }


def test_the_list_is_worked_out_once_for_a_user_and_kept_across_pages(client, editor, builds):
    first = listed_models(client)
    client.get("/admin/news/article/")

    assert "Article" in first
    assert builds == [editor.pk]
    assert listed_models(client) == first and len(builds) == 1


def test_a_permission_granted_or_taken_away_shows_in_the_list_at_once(client, editor, builds):
    assert "LawFirm" not in listed_models(client)
    group = Group.objects.get(name="编辑")

    group.permissions.add(Permission.objects.get(codename="view_lawfirm"))
    assert "LawFirm" in listed_models(client)

    editor.groups.remove(group)
    assert "Article" not in listed_models(client)
    assert len(builds) == 3


def test_a_user_sees_their_own_list_not_anothers(client, editor):
    assert "Article" in listed_models(client)
    client.force_login(UserFactory(is_staff=True))

    assert listed_models(client) == set()


def test_adding_the_one_transfer_policy_takes_its_add_link_away(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    TransferPolicy.objects.all().delete()

    def add_url():
        for app in client.get("/admin/").context["app_list"]:
            for model in app["models"]:
                if model["object_name"] == "TransferPolicy":
                    return model["add_url"]
        raise AssertionError("the transfer policy is not listed")

    assert add_url()
    TransferPolicy.objects.create()
    assert add_url() is None


# --- The side menu ----------------------------------------------------------------------------

SIDEBAR = "admin/nav_sidebar.html"


def side_menu(response) -> str:
    html = response.content.decode()
    start = html.index('<nav class="sticky" id="nav-sidebar"')
    return html[start : html.index("</nav>", start)]


@pytest.fixture
def fresh_menus():
    admin_sidebar.forget_all()
    yield
    admin_sidebar.forget_all()


def test_the_side_menu_is_drawn_once_per_page_kind_and_then_kept(client, editor, fresh_menus):
    first = client.get("/admin/news/article/")
    again = client.get("/admin/news/article/?status=draft")

    assert SIDEBAR in [t.name for t in first.templates]
    assert SIDEBAR not in [t.name for t in again.templates]
    assert side_menu(again) == side_menu(first)
    assert 'href="/admin/news/article/" aria-current="page"' in side_menu(again)


def test_the_side_menu_marks_the_page_it_is_on(client, editor, fresh_menus):
    articles = side_menu(client.get("/admin/news/article/"))
    sources = side_menu(client.get("/admin/news/source/"))

    assert 'href="/admin/news/article/" aria-current="page"' in articles
    assert 'href="/admin/news/source/" aria-current="page"' not in articles
    assert 'href="/admin/news/source/" aria-current="page"' in sources
    assert 'href="/admin/news/article/" aria-current="page"' not in sources


def test_the_side_menu_kept_for_one_user_is_not_shown_to_another(client, editor, fresh_menus):
    client.get("/admin/news/article/")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    menu = side_menu(client.get("/admin/news/article/"))

    assert "/admin/members/lawfirm/" in menu
    client.force_login(editor)
    assert "/admin/members/lawfirm/" not in side_menu(client.get("/admin/news/article/"))


def test_a_permission_granted_shows_in_the_side_menu_at_once(client, editor, fresh_menus):
    assert "/admin/members/lawfirm/" not in side_menu(client.get("/admin/news/article/"))

    Group.objects.get(name="编辑").permissions.add(Permission.objects.get(codename="view_lawfirm"))

    assert "/admin/members/lawfirm/" in side_menu(client.get("/admin/news/article/"))


def test_the_security_libraries_are_named_in_chinese(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listed = {
        app["app_label"]: (app["name"], {model["name"] for model in app["models"]})
        for app in client.get("/admin/").context["app_list"]
    }

    assert listed["axes"] == ("登录防护", {"登录尝试", "登录失败记录", "登录记录"})
    assert listed["otp_static"] == ("恢复码", {"恢复码组"})
    assert listed["otp_totp"] == ("身份验证器", {"身份验证器应用"})
    page = client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert "身份验证器应用" in page and "TOTP device" not in page
    # django-axes's own fields and filters, in the project's catalog.
    attempts = client.get("/admin/axes/accessattempt/").content.decode()
    assert "尝试时间" in attempts and "已锁定" in attempts
    assert "Attempt Time" not in attempts and "Locked Out" not in attempts


def test_the_authenticator_and_recovery_code_pages_read_in_chinese(client):
    root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)
    TOTPDevice.objects.create(user=root, name="phone", confirmed=True)
    english = [
        "Identity", "Timestamps", "Configuration", "Throttling", "QR Code", "Search by",
        "The time step in seconds", "The human-readable name", "Is this device ready", ">qrcode<",
    ]  # fmt: skip
    for url, chinese in [
        ("/admin/otp_totp/totpdevice/add/", ["身份", "配置", "时间步长", "十六进制编码的密钥"]),
        ("/admin/otp_totp/totpdevice/", ["二维码</a>", "按用户的用户名或电子邮件地址搜索"]),
        ("/admin/otp_static/staticdevice/add/", ["身份", "此设备便于识别的名称。", "恢复码"]),
    ]:
        page = client.get(url).content.decode()
        assert all(word in page for word in chinese), url
        assert not [word for word in english if word in page], url
