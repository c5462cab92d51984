"""Model fields shared by every app: rich text, images and documents, each checked on save."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django_ckeditor_5.fields import CKEditor5Field

from core.documents import DocumentRejected, check_document
from core.images import ImageRejected, reencode_image
from core.sanitize import clean_html


class RichTextField(CKEditor5Field):
    """HTML edited in CKEditor 5 and sanitised on every save, whoever saves it.

    Sanitising in `pre_save` covers the admin, forms, scripts and bulk_create alike, so the
    stored value is always clean and templates may render it with `|safe`.
    """

    def pre_save(self, model_instance, add):
        value = clean_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


@deconstructible
class RandomName:
    """Store uploads as `<folder>/<year>/<month>/<random>.<ext>`: names never come from users."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        return f"{self.folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder


def _read_all(file) -> bytes:
    file.seek(0)
    data = file.read()
    file.seek(0)
    return data


def clean_image(file):
    """Re-encode an uploaded image, raising ValidationError with the reason when refused."""
    try:
        return reencode_image(
            _read_all(file),
            max_bytes=settings.MAX_IMAGE_BYTES,
            max_side=settings.MAX_IMAGE_PIXELS_PER_SIDE,
        )
    except ImageRejected as exc:
        raise ValidationError(str(exc), code="invalid_image") from exc


def validate_document(file):
    try:
        check_document(file.name, _read_all(file), max_bytes=settings.MAX_ATTACHMENT_BYTES)
    except DocumentRejected as exc:
        raise ValidationError(str(exc), code="invalid_document") from exc


class SafeImageField(models.ImageField):
    """An image that is verified on validation and stored re-encoded by Pillow."""

    default_validators = [clean_image]

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            image = clean_image(file)
            file.file = ContentFile(image.data)
            file.name = f"upload.{image.extension}"
        return super().pre_save(model_instance, add)


class DocumentField(models.FileField):
    """A PDF, DOCX or XLSX attachment whose content matches its extension."""

    default_validators = [validate_document]
