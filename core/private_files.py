"""Files only some users may read: their storage, and the response that sends one.

Which user may read which file is the app's decision, made in its own view; this module only
stores the files and builds the response once the view has decided. The response is never
cached (``Cache-Control: no-store``) and is never sniffed into another type. In production
``PRIVATE_MEDIA_ACCEL_PREFIX`` names an nginx ``internal`` location over the private root:
the view answers with ``X-Accel-Redirect`` and nginx sends the bytes. Otherwise (development,
or object storage) Django streams the file itself.
"""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, Http404, HttpResponse
from django.utils.functional import LazyObject, empty
from django.utils.http import content_disposition_header

PRIVATE = "private"


class PrivateStorage(LazyObject):
    """settings.STORAGES["private"], looked up when first used (like default_storage)."""

    def _setup(self):
        self._wrapped = storages[PRIVATE]


_private_storage = PrivateStorage()


@receiver(setting_changed)
def _forget_the_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private_storage._wrapped = empty


def private_storage():
    """The private storage; a callable, so file fields and migrations do not fix its backend."""
    return _private_storage


def private_file_response(name: str, *, filename: str, as_attachment: bool) -> HttpResponse:
    """Send the private file ``name`` (already allowed by the caller) as ``filename``."""
    if not name or not private_storage().exists(name):
        raise Http404
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if settings.PRIVATE_MEDIA_ACCEL_PREFIX:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PRIVATE_MEDIA_ACCEL_PREFIX + quote(name)
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    else:
        response = FileResponse(
            private_storage().open(name),
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def move_file(name: str, source, target) -> str:
    """Move ``name`` from storage ``source`` to ``target``; returns its name there.

    A file already moved (or missing from ``source``) is left as it is, so a move that was
    interrupted can simply be run again.
    """
    if not source.exists(name):
        return name
    if not target.exists(name):
        with source.open(name) as content:
            moved = target.save(name, content)
        if moved != name:
            return moved
    source.delete(name)
    return name
