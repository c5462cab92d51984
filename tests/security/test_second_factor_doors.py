"""The second factor cannot be stepped around by the address of a request.

An attacker who has a password only (a session of an account that must use a second factor,
which has not typed it) tries every staff door: the admin's pages, the party pages and their
exports, the editor's image upload, each under tricks that once moved `request.path` out of
the protected prefixes (a SCRIPT_NAME, a SCRIPT_NAME that looks like the 2FA pages or the
admin login, a PATH_INFO given directly). The second factor is decided by what the user may
do, so every door asks for it, and the private record never shows.
"""

import io

import pytest
from django.contrib import admin
from django.core.files.storage import default_storage
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from tests.factories import UserFactory
from tests.members.factories import LawyerFactory
from tests.news.factories import ArticleFactory
from tests.party_building.factories import ActivityFactory, BranchFactory, secretary_of

pytestmark = pytest.mark.django_db

PRIVATE_PHONE = "13912345678"

# Ways to make request.path say something other than the page that is served.
TRICKS = {
    "plain": {},
    "script name": {"SCRIPT_NAME": "/x"},
    "script name like the 2FA pages": {"SCRIPT_NAME": "/account/2fa"},
    "script name like the admin login": {"SCRIPT_NAME": "/admin/login"},
}


@pytest.fixture(autouse=True)
def second_factor(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture
def world(db):
    branch = BranchFactory(name="甲所党支部")
    return {
        "lawyer": LawyerFactory(phone=PRIVATE_PHONE),
        "article": ArticleFactory(),
        "branch": branch,
        "activity": ActivityFactory(branch=branch),
    }


def admin_doors(world):
    """The admin's pages: every model's list and add page, and change pages and extra views."""
    doors = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        doors.append(reverse("admin:{}_{}_changelist".format(*info)))
        doors.append(reverse("admin:{}_{}_add".format(*info)))
    lawyer, article = world["lawyer"], world["article"]
    doors += [
        reverse("admin:members_lawyer_change", args=[lawyer.pk]),
        reverse("admin:members_lawyer_history", args=[lawyer.pk]),
        reverse("admin:members_lawfirm_change", args=[lawyer.firm.pk]),
        reverse("admin:members_lawyer_import"),
        reverse("admin:news_article_change", args=[article.pk]),
        reverse("admin:news_article_extract", args=[article.pk]),
        reverse("admin:party_building_branchactivity_change", args=[world["activity"].pk]),
    ]
    return doors


def party_doors(world):
    return [
        reverse("party_building:board"),
        reverse("party_building:board-xlsx"),
        reverse("party_building:board-csv"),
        reverse("party_building:activity-list"),
        reverse("party_building:activities-xlsx"),
        reverse("party_building:activities-csv"),
        world["branch"].get_absolute_url(),
        world["activity"].get_absolute_url(),
    ]


def assert_sent_to_the_second_factor(response, door, trick):
    assert response.status_code == 302, (door, trick, response.status_code)
    assert "/account/2fa/" in response["Location"], (door, trick, response["Location"])
    assert PRIVATE_PHONE.encode() not in response.content


def verified(client, user):
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.mark.parametrize("trick", TRICKS)
def test_a_password_only_superuser_gets_no_admin_page_by_any_path(client, world, trick):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    doors = admin_doors(world)
    assert len(doors) > 40
    for door in doors:
        response = client.get(door, **TRICKS[trick])
        assert_sent_to_the_second_factor(response, door, trick)


@pytest.mark.parametrize("trick", TRICKS)
def test_a_password_only_superuser_cannot_post_a_change_by_any_path(client, world, trick):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    lawyer = world["lawyer"]
    door = reverse("admin:members_lawyer_change", args=[lawyer.pk])
    response = client.post(door, {"phone": "000"}, **TRICKS[trick])
    assert_sent_to_the_second_factor(response, door, trick)
    lawyer.refresh_from_db()
    assert lawyer.phone == PRIVATE_PHONE


@pytest.mark.parametrize("trick", TRICKS)
def test_a_password_only_secretary_gets_no_party_page_or_export_by_any_path(client, world, trick):
    client.force_login(secretary_of(world["branch"]))
    for door in party_doors(world):
        response = client.get(door, **TRICKS[trick])
        assert_sent_to_the_second_factor(response, door, trick)


@pytest.mark.parametrize("trick", TRICKS)
def test_a_path_info_given_directly_changes_nothing(client, world, trick):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    door = reverse("admin:members_lawyer_change", args=[world["lawyer"].pk])
    response = client.get("/", PATH_INFO=door, **TRICKS[trick])
    assert_sent_to_the_second_factor(response, door, trick)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("trick", TRICKS)
def test_a_password_only_superuser_uploads_nothing_through_the_editor(client, trick):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    upload = io.BytesIO(png())
    upload.name = "a.png"
    response = client.post(reverse("core:editor-image-upload"), {"upload": upload}, **TRICKS[trick])
    assert response.status_code == 403
    assert "双重验证" in response.json()["error"]["message"]
    assert not default_storage.exists("editor")


# --- The same doors open once the second factor is typed (so the tests above can fail) ---------


def test_a_verified_superuser_reads_the_private_record(client, world):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    verified(client, root)
    response = client.get(reverse("admin:members_lawyer_change", args=[world["lawyer"].pk]))
    assert response.status_code == 200
    assert PRIVATE_PHONE.encode() in response.content


def test_a_verified_secretary_opens_the_party_pages_and_exports(client, world):
    secretary = secretary_of(world["branch"])
    client.force_login(secretary)
    verified(client, secretary)
    for door in party_doors(world):
        assert client.get(door).status_code == 200, door


def test_a_verified_superuser_uploads_through_the_editor(client):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    verified(client, root)
    upload = io.BytesIO(png())
    upload.name = "a.png"
    response = client.post(reverse("core:editor-image-upload"), {"upload": upload})
    assert response.status_code == 200


# --- Nor does the path decide the admin's relaxed style policy ----------------------------------


def test_a_public_page_under_an_admin_script_name_keeps_the_strict_style_policy(client):
    response = client.get("/robots.txt", SCRIPT_NAME="/admin")
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_the_admin_under_another_script_name_keeps_the_editors_style_policy(client):
    response = client.get(reverse("admin:login"), SCRIPT_NAME="/x")
    assert response.status_code == 200
    assert "'unsafe-inline'" in response["Content-Security-Policy"]
