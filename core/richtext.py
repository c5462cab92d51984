"""Images pasted into rich text (from Word, mostly) as data: or file: addresses.

The sanitiser keeps only http(s) images, so a pasted image would vanish on save. Instead, a
data: image goes through the same checks and re-encoding as an uploaded one and is stored;
one that cannot be (a file: address names a file on the editor's own computer, a broken or
refused image) is removed, and the editor is told exactly which.
"""

import base64
import binascii
import re
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from core.fields import RandomName, clean_image

_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SOURCE = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_DATA_URL = re.compile(r"data:image/[\w.+-]+;base64,(.*)", re.IGNORECASE | re.DOTALL)
_LOCAL_SCHEMES = ("data:", "file:", "blob:")
_pasted_name = RandomName("editor")


def store_pasted_images(html: str | None) -> tuple[str, list[str]]:
    """Return `html` with pasted images stored (or removed), and a sentence per removed one."""
    if not html:
        return html or "", []
    dropped = []
    counter = 0

    def replace(match):
        nonlocal counter
        tag = match.group(0)
        found = _SOURCE.search(tag)
        if found is None:
            return tag
        source = next(group for group in found.groups() if group is not None).strip()
        if not source.lower().startswith(_LOCAL_SCHEMES):
            return tag
        counter += 1
        url, reason = _store(source)
        if url is None:
            dropped.append(
                _("Image %(number)d (%(source)s) was removed: %(reason)s")
                % {"number": counter, "source": _describe(source), "reason": reason}
            )
            return ""
        return tag[: found.start()] + f'src="{url}"' + tag[found.end() :]

    return _IMAGE.sub(replace, html), dropped


def _store(source: str) -> tuple[str | None, str]:
    data_url = _DATA_URL.fullmatch(source)
    if data_url is None:
        return None, _(
            "it points to a file on your own computer; save the image and upload it "
            "with the image button."
        )
    try:
        data = base64.b64decode(data_url.group(1), validate=False)
    except (binascii.Error, ValueError):
        return None, _("the pasted image data is damaged.")
    try:
        image = clean_image(ContentFile(data))
    except ValidationError as exc:
        return None, exc.messages[0]
    name = default_storage.save(
        _pasted_name(None, f"image.{image.extension}"), ContentFile(image.data)
    )
    return default_storage.url(name), ""


def _describe(source: str) -> str:
    if source.lower().startswith("data:"):
        return source.split(",", 1)[0][:40]
    name = unquote(source).replace("\\", "/").rsplit("/", 1)[-1]
    return name[:60] or source[:60]
