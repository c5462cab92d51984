"""Checking and re-encoding uploaded images, in plain Python over Pillow.

An upload is decoded in full and written out again by Pillow, so that what we store is an
image Pillow made: metadata, trailing bytes and any polyglot payload do not survive.
"""

import io
import warnings
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image as PillowImage

# Pillow format name -> the extension we store it under.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


class ImageRejected(ValueError):
    """The upload is not an image we accept; the message is for the person who sent it."""


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    extension: str
    content_type: str
    width: int
    height: int


def reencode_image(data: bytes, *, max_bytes: int, max_side: int) -> CleanImage:
    """Verify that `data` is a JPEG, PNG, GIF or WebP within the limits; return it re-encoded."""
    if len(data) > max_bytes:
        raise ImageRejected(f"图片过大：不能超过 {max_bytes // (1024 * 1024)} MB。")
    Image = _pillow()
    image = _open(data)
    if image.format not in ALLOWED_FORMATS:
        raise ImageRejected("只能上传 JPEG、PNG、GIF 或 WebP 格式的图片。")
    width, height = image.size
    if width > max_side or height > max_side:
        raise ImageRejected(f"图片尺寸过大：宽和高都不能超过 {max_side} 像素。")
    fmt = image.format
    try:
        image.load()
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageRejected("图片文件已损坏，无法读取。") from exc
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    output = io.BytesIO()
    image.save(output, format=fmt, **_save_options(fmt))
    return CleanImage(
        data=output.getvalue(),
        extension=ALLOWED_FORMATS[fmt],
        content_type=Image.MIME[fmt],
        width=width,
        height=height,
    )


def _pillow() -> ModuleType:
    """Pillow's Image module, imported at the first upload: 4 MB that no page needs."""
    from PIL import Image

    return Image


def _open(data: bytes) -> "PillowImage":
    Image = _pillow()
    # Pillow only warns below twice its pixel limit; a warning is a refusal here.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data))
            probe.verify()
            return Image.open(io.BytesIO(data))
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise ImageRejected("图片像素过多，已拒绝。") from exc
        except Exception as exc:  # Pillow raises many types for bad input
            raise ImageRejected("文件不是有效的图片。") from exc


def _save_options(fmt: str) -> dict:
    if fmt == "JPEG":
        return {"quality": 88, "optimize": True}
    if fmt == "WEBP":
        return {"quality": 88}
    return {}
