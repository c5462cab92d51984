"""The image upload endpoint of the rich-text editor: staff only, CSRF checked, images only."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from core.fields import RandomName, clean_image

_editor_name = RandomName("editor")


def _error(message: str, status: int) -> JsonResponse:
    # The shape CKEditor 5's upload adapter shows to the editor.
    return JsonResponse({"error": {"message": message}}, status=status)


@require_POST
def editor_image_upload(request):
    if not (request.user.is_authenticated and request.user.is_active and request.user.is_staff):
        return _error("只有工作人员可以上传图片。", 403)
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
