from django.urls import path

from core import uploads

app_name = "core"

urlpatterns = [
    path("editor/images/", uploads.editor_image_upload, name="editor-image-upload"),
]
