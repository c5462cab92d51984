from django.urls import path

from core import health, twofactor, uploads

app_name = "core"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("editor/images/", uploads.editor_image_upload, name="editor-image-upload"),
    path("account/2fa/setup/", twofactor.setup, name="2fa-setup"),
    path("account/2fa/verify/", twofactor.verify, name="2fa-verify"),
]
