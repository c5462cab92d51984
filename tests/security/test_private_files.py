"""Party records' photos and attachments are private: stored outside MEDIA_ROOT, sent only to
who may read the activity (the branch's secretary, the committee), never cached.

The attack this answers: branch photos and minutes attachments under /media/party/… were
downloaded without logging in, and nginx served all of /media/ to anyone.
"""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.views.static import serve
from PIL import Image

from party_building.models import ActivityAttachment, ActivityPhoto
from tests.party_building.factories import (
    ActivityFactory,
    BranchFactory,
    administrator,
    secretary_of,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NGINX = Path(settings.BASE_DIR) / "deploy" / "nginx" / "lvxie.conf"


def png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(output, format="PNG")
    return output.getvalue()


@pytest.fixture
def branch():
    return BranchFactory()


@pytest.fixture
def photo(branch):
    activity = ActivityFactory(branch=branch)
    return ActivityPhoto.objects.create(
        activity=activity, image=ContentFile(png(), name="合影.png"), caption="合影"
    )


@pytest.fixture
def attachment(branch):
    activity = ActivityFactory(branch=branch)
    return ActivityAttachment.objects.create(
        activity=activity, title="会议纪要", file=ContentFile(PDF, name="纪要.pdf")
    )


@pytest.fixture
def own_secretary(branch):
    return secretary_of(branch, username="own-secretary")


@pytest.fixture
def other_secretary():
    return secretary_of(BranchFactory(), username="other-secretary", email="o@example.org")


def url_of(record) -> str:
    return record.image.url if isinstance(record, ActivityPhoto) else record.file.url


def name_of(record) -> str:
    return record.image.name if isinstance(record, ActivityPhoto) else record.file.name


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# Who may download ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["photo", "attachment"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, request, kind):
    record = request.getfixturevalue(kind)
    response = client.get(url_of(record))
    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL) or "login" in response["Location"]


@pytest.mark.parametrize("kind", ["photo", "attachment"])
def test_a_secretary_of_another_branch_gets_404_where_the_branchs_own_secretary_gets_the_file(
    client, request, kind, own_secretary, other_secretary
):
    record = request.getfixturevalue(kind)
    client.force_login(other_secretary)
    assert client.get(url_of(record)).status_code == 404
    client.force_login(own_secretary)
    assert client.get(url_of(record)).status_code == 200


def test_the_branchs_secretary_downloads_the_attachment_as_it_was_uploaded(
    client, attachment, own_secretary
):
    client.force_login(own_secretary)
    response = client.get(url_of(attachment))
    assert response.status_code == 200
    assert body(response) == PDF


def test_the_committee_sees_every_branchs_photo(client, photo):
    client.force_login(administrator())
    response = client.get(url_of(photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert body(response).startswith(b"\x89PNG")


def test_a_name_that_is_no_activitys_file_is_a_404_even_for_the_committee(client, photo):
    client.force_login(administrator())
    storages["private"].save("imports/waiting.xlsx", ContentFile(b"PK\x03\x04"))
    response = client.get(reverse("party_building:activity-file", args=["imports/waiting.xlsx"]))
    assert response.status_code == 404


def test_a_secretary_who_must_use_a_second_factor_types_it_before_the_file(
    client, settings, attachment, own_secretary
):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(own_secretary)
    response = client.get(url_of(attachment))
    assert response.status_code == 302
    assert "/2fa/" in response["Location"]


# Where the files are ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["photo", "attachment"])
def test_the_file_is_in_the_private_storage_and_not_under_media_root(request, kind):
    name = name_of(request.getfixturevalue(kind))
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / name).is_file()
    assert not (Path(settings.MEDIA_ROOT) / name).exists()
    assert not default_storage.exists(name)
    with pytest.raises(Http404):
        serve(RequestFactory().get("/"), name, document_root=str(settings.MEDIA_ROOT))


@pytest.mark.parametrize("kind", ["photo", "attachment"])
def test_the_files_link_leads_to_the_checking_view_not_to_media_url(request, kind):
    url = url_of(request.getfixturevalue(kind))
    assert not url.startswith(settings.MEDIA_URL)
    assert url.startswith(reverse("party_building:activity-file", args=["x"]).removesuffix("x"))


def test_the_private_root_is_outside_media_root_in_the_settings():
    from config import settings as production

    private = Path(production.PRIVATE_MEDIA_ROOT).resolve()
    media = Path(production.MEDIA_ROOT).resolve()
    assert not private.is_relative_to(media)
    assert production.STORAGES["private"]["OPTIONS"]["location"] == production.PRIVATE_MEDIA_ROOT


# Headers ---------------------------------------------------------------------------------


def test_an_attachment_is_sent_as_a_download_never_cached_never_sniffed(
    client, attachment, own_secretary
):
    client.force_login(own_secretary)
    response = client.get(url_of(attachment))
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "%E4%BC%9A%E8%AE%AE%E7%BA%AA%E8%A6%81.pdf" in disposition  # 会议纪要.pdf


def test_a_photo_is_shown_inline_and_never_cached(client, photo, own_secretary):
    client.force_login(own_secretary)
    response = client.get(url_of(photo))
    assert response["Content-Disposition"].startswith("inline;")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_with_the_nginx_prefix_set_the_view_hands_the_file_to_nginx(
    client, settings, attachment, own_secretary
):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/private-media/"
    client.force_login(own_secretary)
    response = client.get(url_of(attachment))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/private-media/" + attachment.file.name
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]


def test_without_permission_nginx_is_never_told_where_the_file_is(
    client, settings, attachment, other_secretary
):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/private-media/"
    client.force_login(other_secretary)
    response = client.get(url_of(attachment))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_in_development_a_public_attachment_is_also_sent_as_a_download(settings):
    from core.media import serve_public_media

    (Path(settings.MEDIA_ROOT) / "attachments").mkdir(parents=True)
    (Path(settings.MEDIA_ROOT) / "attachments" / "a.pdf").write_bytes(PDF)
    (Path(settings.MEDIA_ROOT) / "covers").mkdir()
    (Path(settings.MEDIA_ROOT) / "covers" / "c.png").write_bytes(png())
    request = RequestFactory().get("/")
    document = serve_public_media(request, "attachments/a.pdf", settings.MEDIA_ROOT)
    cover = serve_public_media(request, "covers/c.png", settings.MEDIA_ROOT)
    assert document["Content-Disposition"] == "attachment"
    assert document["X-Content-Type-Options"] == cover["X-Content-Type-Options"] == "nosniff"
    assert cover["Content-Disposition"].startswith("inline")


# The nginx configuration in deploy/ ------------------------------------------------------


def location(config: str, prefix: str) -> str:
    """The text of the ``location prefix { … }`` block (nested blocks included)."""
    start = config.index(f"location {prefix} {{")
    depth = 0
    for end in range(config.index("{", start), len(config)):
        depth += {"{": 1, "}": -1}.get(config[end], 0)
        if depth == 0:
            return config[start : end + 1]
    raise AssertionError(f"location {prefix} is not closed")


def test_nginx_serves_the_private_root_only_internally():
    config = NGINX.read_text()
    private = location(config, "/private-media/")
    assert re.search(r"^\s*internal;", private, re.MULTILINE)
    assert "alias /srv/lvxie/private/;" in private
    assert "no-store" in private and "nosniff" in private
    assert "/srv/lvxie/private" not in location(config, "/media/")


def test_nginx_sends_public_attachments_as_downloads_never_sniffed():
    attachments = location(NGINX.read_text(), "/media/attachments/")
    assert re.search(r"add_header Content-Disposition attachment", attachments)
    assert "X-Content-Type-Options nosniff" in attachments


def test_nginx_no_longer_serves_the_old_party_folder_of_media():
    assert "return 404;" in location(NGINX.read_text(), "/media/party/")


# Moving the files of an existing installation --------------------------------------------


def test_the_migration_moves_existing_party_files_out_of_media_root(photo):
    from django.apps import apps

    from party_building.migrations import __name__ as package

    migration = __import__(f"{package}.0004_party_files_in_private_storage", fromlist=["x"])
    name = photo.image.name
    # As before the migration: the file in MEDIA_ROOT, nothing in the private storage.
    with storages["private"].open(name) as content:
        default_storage.save(name, content)
    storages["private"].delete(name)

    migration.to_private(apps, None)

    assert storages["private"].exists(name)
    assert not default_storage.exists(name)
