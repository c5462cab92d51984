"""The image upload endpoint of the rich-text editor: for those who may write rich text,
verified by their second factor where they need one, CSRF checked, images only.

Who may upload follows from the models: whoever may add or change a record with a rich-text
field (an article, an event, a branch activity's minutes). The checks are those of
``core.twofactor.verified_permission_required``, answered as JSON (CKEditor's upload adapter
shows the message to the editor) instead of redirects, which an upload in the background
cannot follow.
"""

from functools import cache

from django.apps import apps
from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.fields import RandomName, RichTextField, clean_image
from core.twofactor import must_verify

_editor_name = RandomName("editor")


@cache
def rich_text_permissions() -> frozenset[str]:
    """The add and change permissions of every model that has a rich-text field."""
    return frozenset(
        f"{model._meta.app_label}.{get_permission_codename(action, model._meta)}"
        for model in apps.get_models()
        if any(isinstance(field, RichTextField) for field in model._meta.get_fields())
        for action in ("add", "change")
    )


def may_upload(user) -> bool:
    return user.is_authenticated and any(user.has_perm(p) for p in rich_text_permissions())


def _error(message: str, status: int) -> JsonResponse:
    # The shape CKEditor 5's upload adapter shows to the editor.
    return JsonResponse({"error": {"message": message}}, status=status)


@require_POST
def editor_image_upload(request):
    if not may_upload(request.user):
        return _error(_("Only staff who write articles or records may upload images."), 403)
    if must_verify(request.user):
        return _error(_("Type the code of your second factor before uploading images."), 403)
    upload = request.FILES.get("upload")
    if upload is None:
        return _error("没有收到文件。", 400)
    try:
        image = clean_image(upload)
    except ValidationError as exc:
        return _error(exc.messages[0], 400)
    name = default_storage.save(
        _editor_name(None, f"image.{image.extension}"), ContentFile(image.data)
    )
    return JsonResponse({"url": default_storage.url(name)})
