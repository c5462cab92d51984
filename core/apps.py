from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Site")

    def ready(self):
        from core import (
            audit,  # noqa: F401  (connects the audit trail's signal receivers)
            pagecache,
        )

        pagecache.connect_signals()
