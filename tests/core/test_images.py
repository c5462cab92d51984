import io

import pytest
from PIL import Image

from core.images import ImageRejected, reencode_image

LIMITS = {"max_bytes": 10 * 1024 * 1024, "max_side": 8000}


def image_bytes(fmt="PNG", size=(40, 30), mode="RGB"):
    output = io.BytesIO()
    Image.new(mode, size, "red").save(output, format=fmt)
    return output.getvalue()


@pytest.mark.parametrize(
    ("fmt", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("GIF", "gif"), ("WEBP", "webp")]
)
def test_each_allowed_format_is_accepted_and_reencoded(fmt, extension):
    image = reencode_image(image_bytes(fmt), **LIMITS)
    assert image.extension == extension
    assert Image.open(io.BytesIO(image.data)).format == fmt


def test_text_is_not_an_image():
    with pytest.raises(ImageRejected, match="不是有效的图片"):
        reencode_image(b"<html><script>alert(1)</script></html>", **LIMITS)


def test_other_image_formats_are_refused():
    with pytest.raises(ImageRejected, match="JPEG、PNG、GIF 或 WebP"):
        reencode_image(image_bytes("BMP"), **LIMITS)


def test_appended_payload_does_not_survive_reencoding():
    polyglot = image_bytes("JPEG") + b"<html><script>alert(1)</script></html>"
    image = reencode_image(polyglot, **LIMITS)
    assert b"<script>" not in image.data


def test_too_many_pixels_per_side_is_refused():
    with pytest.raises(ImageRejected, match="尺寸过大"):
        reencode_image(image_bytes(size=(100, 20)), max_bytes=LIMITS["max_bytes"], max_side=50)


def test_too_many_bytes_is_refused():
    with pytest.raises(ImageRejected, match="图片过大"):
        reencode_image(image_bytes(), max_bytes=10, max_side=8000)


def test_decompression_bomb_is_refused():
    # A small PNG that claims 10000 x 10000 pixels: Pillow's pixel limit refuses it.
    bomb = image_bytes(fmt="PNG", size=(10000, 10000), mode="1")
    with pytest.raises(ImageRejected):
        reencode_image(bomb, max_bytes=LIMITS["max_bytes"], max_side=100_000)
