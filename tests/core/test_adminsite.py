"""The admin site's caching: its script translations are kept by the browser, nothing else."""

import pytest
from django.contrib.auth.models import Group

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
