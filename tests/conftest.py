import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # The hashed-name storage needs collectstatic first; tests serve files as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="编辑"))
    return user


@pytest.fixture
def reviewer(db):
    user = UserFactory(username="reviewer", is_staff=True)
    user.groups.add(Group.objects.get(name="审核"))
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)
