"""Hostile uploads through every door that takes a file: refused, or made harmless.

The doors: the rich-text editor's image endpoint, the article admin's cover image and
attachments, and the party activity admin's photos and attachments. The files: HTML, SVG
with a script, a script named .jpg, a JPEG with a script appended, images too large in
bytes or pixels, a decompression bomb, and names carrying paths. What is refused says why
in Chinese and leaves nothing behind; what is accepted is re-encoded (images) or checked
(documents), stored under a random name inside MEDIA_ROOT, and served as an image or a PDF.

The multipart bodies are written by hand: Django's test client sends only the last part of
a file's name, and an attacker's client sends whatever it likes.
"""

import io
import mimetypes
import random
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.views.static import serve
from PIL import Image

from news.models import Article, Attachment, Column, Source
from party_building.models import ActivityAttachment, ActivityPhoto, BranchActivity
from tests.party_building.factories import BranchFactory

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
STORED_NAME = re.compile(r"[0-9a-f]{32}\.(jpg|png|gif|webp|pdf|docx|xlsx)")
SERVED_TYPES = {
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# --- Files ----------------------------------------------------------------------------------


def image(fmt="PNG", size=(40, 30), mode="RGB", noise=False) -> bytes:
    picture = Image.new(mode, size, "red")
    if noise:  # incompressible, so that the file is as large as its pixels
        noise_bytes = random.Random(0).randbytes(size[0] * size[1] * 3)
        picture = Image.frombytes("RGB", size, noise_bytes)
    output = io.BytesIO()
    picture.save(output, format=fmt)
    return output.getvalue()


def bomb() -> bytes:
    """A PNG of a few dozen bytes whose header claims 100,000 × 100,000 pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 301))
        + chunk(b"IEND", b"")
    )


HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(2)</script></svg>"
)
SCRIPT = b"<script>alert(document.cookie)</script>"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
POLYGLOT = image("JPEG") + HTML

# (name sent, content, what it is): refused by every image door.
BAD_IMAGES = [
    ("page.html", HTML, "HTML"),
    ("image.svg", SVG, "SVG with a script"),
    ("photo.jpg", SCRIPT, "a script named .jpg"),
    ("photo.bmp", image("BMP"), "a format we do not take"),
    ("large.png", image(size=(120, 120), noise=True), "too many bytes"),
    ("wide.png", image(size=(300, 10)), "too many pixels per side"),
    ("bomb.png", bomb(), "a decompression bomb"),
]
# Accepted by every image door, and made harmless: re-encoded, renamed.
NEUTRALISED_IMAGES = [
    ("polyglot.jpg", POLYGLOT, "a JPEG with a script appended"),
    ("../../etc/passwd.png", image(), "a path in the name"),
    ("..\\..\\windows\\x.png", image("GIF"), "a Windows path in the name"),
]
# A real image under a dangerous name: the editor stores it by its content (.png, .webp); the
# admin's image fields refuse the name.
RENAMED_IMAGES = [
    ("photo.html", image(), "an image named .html"),
    ("photo.svg", image("WEBP"), "an image named .svg"),
]
EDITOR_IMAGES = NEUTRALISED_IMAGES + RENAMED_IMAGES
ADMIN_BAD_IMAGES = BAD_IMAGES + RENAMED_IMAGES
BAD_DOCUMENTS = [
    ("notice.pdf", HTML, "HTML named .pdf"),
    ("page.html", HTML, "HTML"),
    ("image.svg", SVG, "SVG"),
    ("photo.jpg", image("JPEG"), "an image"),
    ("report.docx", b"PK\x03\x04 not really a zip", "a broken Word file"),
    ("large.pdf", PDF + b"0" * 5000, "too many bytes"),
]
NEUTRALISED_DOCUMENTS = [
    ("..\\..\\x.pdf", PDF, "a Windows path in the name"),
    ("../../../etc/cron.d/x.pdf", PDF, "a path in the name"),
]


@pytest.fixture(autouse=True)
def _small_limits(settings):
    # The same checks as with the real limits, on files a test can make in a millisecond.
    settings.MAX_IMAGE_BYTES = 20_000
    settings.MAX_IMAGE_PIXELS_PER_SIDE = 200
    settings.MAX_ATTACHMENT_BYTES = 2_000


# --- Sending and checking --------------------------------------------------------------------

BOUNDARY = "lvxie-attack-boundary"


def multipart(fields: dict, files: dict) -> bytes:
    """A multipart body with file names exactly as given (paths and all)."""
    parts = []
    for name, value in fields.items():
        parts.append(f'Content-Disposition: form-data; name="{name}"\r\n\r\n{value}'.encode())
    for name, (filename, data) in files.items():
        head = (
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"  # what the attacker claims, never believed
        )
        parts.append(head.encode() + data)
    body = b"".join(f"--{BOUNDARY}\r\n".encode() + part + b"\r\n" for part in parts)
    return body + f"--{BOUNDARY}--\r\n".encode()


def post_files(client, url, fields, files):
    return client.post(
        url, multipart(fields, files), content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def assert_stored_safely(name: str, root=None) -> bytes:
    """The stored file ``name``: random, inside ``root`` (MEDIA_ROOT), served as an image or
    document."""
    root = Path(root or settings.MEDIA_ROOT).resolve()
    path = (root / name).resolve()
    assert path.is_relative_to(root), name
    assert path.is_file(), name
    assert STORED_NAME.fullmatch(path.name), name
    content_type, _ = mimetypes.guess_type(path.name)
    assert content_type in SERVED_TYPES, name
    response = serve(RequestFactory().get("/"), name, document_root=str(root))
    assert response["Content-Type"] == content_type
    data = path.read_bytes()
    assert b"<script" not in data.lower() and b"<svg" not in data.lower()
    return data


def assert_nothing_outside_media(tmp_path):
    media = Path(settings.MEDIA_ROOT).resolve()
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            inside = path.resolve().is_relative_to(media) or path.resolve().is_relative_to(private)
            assert inside, path
    for path in media_files():
        assert path.suffix.lower() not in {".html", ".htm", ".svg", ".xml", ".js"}, path


def form_errors(response) -> list[str]:
    """Every error message of the admin form and its inlines."""
    context = response.context
    messages = [
        str(error) for errors in context["adminform"].form.errors.values() for error in errors
    ]
    for inline in context["inline_admin_formsets"]:
        for form_errors in inline.formset.errors:
            messages += [str(error) for errors in form_errors.values() for error in errors]
        messages += [str(error) for error in inline.formset.non_form_errors()]
    return messages


# --- The editor's image endpoint --------------------------------------------------------------

EDITOR_UPLOAD = "core:editor-image-upload"


@pytest.mark.parametrize(("name", "data", "what"), BAD_IMAGES, ids=[i[2] for i in BAD_IMAGES])
def test_the_editor_endpoint_refuses_a_hostile_image_in_chinese(
    client, editor, tmp_path, name, data, what
):
    client.force_login(editor)
    response = post_files(client, reverse(EDITOR_UPLOAD), {}, {"upload": (name, data)})
    assert response.status_code == 400, what
    assert CJK.search(response.json()["error"]["message"]), what
    assert media_files() == []
    assert_nothing_outside_media(tmp_path)


@pytest.mark.parametrize(("name", "data", "what"), EDITOR_IMAGES, ids=[i[2] for i in EDITOR_IMAGES])
def test_the_editor_endpoint_stores_a_reencoded_image_under_a_random_name(
    client, editor, tmp_path, name, data, what
):
    client.force_login(editor)
    response = post_files(client, reverse(EDITOR_UPLOAD), {}, {"upload": (name, data)})
    assert response.status_code == 200, what
    url = response.json()["url"]
    assert url.startswith(settings.MEDIA_URL + "editor/")
    stored = assert_stored_safely(url.removeprefix(settings.MEDIA_URL))
    Image.open(io.BytesIO(stored)).verify()  # what we keep is an image Pillow wrote
    assert_nothing_outside_media(tmp_path)


def test_the_editor_endpoint_refuses_anonymous_and_non_staff_uploads(client):
    from tests.factories import UserFactory

    url = reverse(EDITOR_UPLOAD)
    assert post_files(client, url, {}, {"upload": ("a.png", image())}).status_code == 403
    client.force_login(UserFactory(username="reader", is_staff=False))
    assert post_files(client, url, {}, {"upload": ("a.png", image())}).status_code == 403
    assert client.get(url).status_code == 405
    assert media_files() == []


# --- The article admin: cover image and attachments ------------------------------------------


def article_fields(**fields):
    data = {
        "title": "上传测试",
        "subtitle": "",
        "column": Column.objects.get(slug="notices").pk,
        "source": Source.objects.get(name="本站原创").pk,
        "author": "",
        "published_at_0": "2024-03-01",
        "published_at_1": "09:00:00",
        "body": "<p>正文</p>",
        "summary": "",
        "status": "draft",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


def with_attachment(**fields):
    return article_fields(
        **{
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-title": "附件",
            "attachments-0-order": "0",
        },
        **fields,
    )


ARTICLE_ADD = "admin:news_article_add"


@pytest.mark.parametrize(
    ("name", "data", "what"), ADMIN_BAD_IMAGES, ids=[i[2] for i in ADMIN_BAD_IMAGES]
)
def test_the_article_cover_refuses_a_hostile_image_in_chinese(
    client, reviewer, tmp_path, name, data, what
):
    client.force_login(reviewer)
    response = post_files(
        client, reverse(ARTICLE_ADD), article_fields(), {"cover_image": (name, data)}
    )
    assert response.status_code == 200, what
    errors = form_errors(response)
    assert errors and all(CJK.search(error) for error in errors), (what, errors)
    assert not Article.objects.exists()
    assert media_files() == []
    assert_nothing_outside_media(tmp_path)


@pytest.mark.parametrize(
    ("name", "data", "what"), NEUTRALISED_IMAGES, ids=[i[2] for i in NEUTRALISED_IMAGES]
)
def test_the_article_cover_is_stored_reencoded_under_a_random_name(
    client, reviewer, tmp_path, name, data, what
):
    client.force_login(reviewer)
    response = post_files(
        client, reverse(ARTICLE_ADD), article_fields(), {"cover_image": (name, data)}
    )
    assert response.status_code == 302, (what, response.content.decode()[:500])
    cover = Article.objects.get().cover_image
    assert cover.name.startswith("covers/")
    assert_stored_safely(cover.name)
    assert_nothing_outside_media(tmp_path)


@pytest.mark.parametrize(
    ("name", "data", "what"),
    BAD_DOCUMENTS + BAD_IMAGES[:3],
    ids=[i[2] for i in BAD_DOCUMENTS + BAD_IMAGES[:3]],
)
def test_an_article_attachment_refuses_a_hostile_file_in_chinese(
    client, reviewer, tmp_path, name, data, what
):
    client.force_login(reviewer)
    response = post_files(
        client, reverse(ARTICLE_ADD), with_attachment(), {"attachments-0-file": (name, data)}
    )
    assert response.status_code == 200, what
    errors = form_errors(response)
    assert errors and all(CJK.search(error) for error in errors), (what, errors)
    assert not Attachment.objects.exists()
    assert media_files() == []
    assert_nothing_outside_media(tmp_path)


@pytest.mark.parametrize(
    ("name", "data", "what"), NEUTRALISED_DOCUMENTS, ids=[i[2] for i in NEUTRALISED_DOCUMENTS]
)
def test_an_article_attachment_is_stored_under_a_random_name_inside_media(
    client, reviewer, tmp_path, name, data, what
):
    client.force_login(reviewer)
    response = post_files(
        client, reverse(ARTICLE_ADD), with_attachment(), {"attachments-0-file": (name, data)}
    )
    assert response.status_code == 302, (what, response.content.decode()[:500])
    attachment = Attachment.objects.get()
    assert attachment.file.name.startswith("attachments/")
    assert assert_stored_safely(attachment.file.name) == data
    assert_nothing_outside_media(tmp_path)


# --- The party activity admin: photos and attachments -----------------------------------------


def activity_fields(branch, **fields):
    data = {
        "branch": branch.pk,
        "kind": "themed_day",
        "date": "2024-03-05",
        "place": "会议室",
        "topic": "主题党日",
        "minutes": "<p>纪要</p>",
        "attendance-TOTAL_FORMS": "0",
        "attendance-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


ACTIVITY_ADD = "admin:party_building_branchactivity_add"
PHOTO = {"photos-TOTAL_FORMS": "1", "photos-0-caption": "合影"}
ATTACHMENT = {"attachments-TOTAL_FORMS": "1", "attachments-0-title": "签到表"}


@pytest.mark.parametrize(
    ("name", "data", "what"), ADMIN_BAD_IMAGES, ids=[i[2] for i in ADMIN_BAD_IMAGES]
)
def test_an_activity_photo_refuses_a_hostile_image_in_chinese(
    client, superuser, tmp_path, name, data, what
):
    client.force_login(superuser)
    response = post_files(
        client,
        reverse(ACTIVITY_ADD),
        activity_fields(BranchFactory(), **PHOTO),
        {"photos-0-image": (name, data)},
    )
    assert response.status_code == 200, what
    errors = form_errors(response)
    assert errors and all(CJK.search(error) for error in errors), (what, errors)
    assert not BranchActivity.objects.exists()
    assert media_files() == []
    assert_nothing_outside_media(tmp_path)


@pytest.mark.parametrize(
    ("name", "data", "what"), NEUTRALISED_IMAGES, ids=[i[2] for i in NEUTRALISED_IMAGES]
)
def test_an_activity_photo_is_stored_reencoded_under_a_random_name(
    client, superuser, tmp_path, name, data, what
):
    client.force_login(superuser)
    response = post_files(
        client,
        reverse(ACTIVITY_ADD),
        activity_fields(BranchFactory(), **PHOTO),
        {"photos-0-image": (name, data)},
    )
    assert response.status_code == 302, (what, response.content.decode()[:500])
    photo = ActivityPhoto.objects.get()
    assert photo.image.name.startswith("party/photos/")
    assert_stored_safely(photo.image.name, settings.PRIVATE_MEDIA_ROOT)
    assert_nothing_outside_media(tmp_path)


@pytest.mark.parametrize(("name", "data", "what"), BAD_DOCUMENTS, ids=[i[2] for i in BAD_DOCUMENTS])
def test_an_activity_attachment_refuses_a_hostile_file_in_chinese(
    client, superuser, tmp_path, name, data, what
):
    client.force_login(superuser)
    response = post_files(
        client,
        reverse(ACTIVITY_ADD),
        activity_fields(BranchFactory(), **ATTACHMENT),
        {"attachments-0-file": (name, data)},
    )
    assert response.status_code == 200, what
    errors = form_errors(response)
    assert errors and all(CJK.search(error) for error in errors), (what, errors)
    assert not ActivityAttachment.objects.exists()
    assert media_files() == []


@pytest.mark.parametrize(
    ("name", "data", "what"), NEUTRALISED_DOCUMENTS, ids=[i[2] for i in NEUTRALISED_DOCUMENTS]
)
def test_an_activity_attachment_is_stored_under_a_random_name_in_the_private_storage(
    client, superuser, tmp_path, name, data, what
):
    client.force_login(superuser)
    response = post_files(
        client,
        reverse(ACTIVITY_ADD),
        activity_fields(BranchFactory(), **ATTACHMENT),
        {"attachments-0-file": (name, data)},
    )
    assert response.status_code == 302, (what, response.content.decode()[:500])
    attachment = ActivityAttachment.objects.get()
    assert attachment.file.name.startswith("party/attachments/")
    assert assert_stored_safely(attachment.file.name, settings.PRIVATE_MEDIA_ROOT) == data
    assert_nothing_outside_media(tmp_path)


def test_the_real_limits_are_the_documented_ones():
    # The tests above lower them; these are what production runs with.
    from config import settings as production

    assert production.MAX_IMAGE_BYTES == 10 * 1024 * 1024
    assert production.MAX_IMAGE_PIXELS_PER_SIDE == 8000
    assert production.MAX_ATTACHMENT_BYTES == 20 * 1024 * 1024
