from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Site")

    def ready(self):
        from core import (
            adminsite,
            audit,  # noqa: F401  (connects the audit trail's signal receivers)
            counters,
            pagecache,
            twofactor,  # noqa: F401  (notes the time of each password login)
        )

        pagecache.connect_signals()
        # Who may see which app and model in the admin: a user's flags, groups and permissions.
        adminsite.app_list_depends_on(*counters.access_models())


class SecureAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our admin site, which asks for the second factor."""

    default = False  # "core" in INSTALLED_APPS still means CoreConfig
    default_site = "core.adminsite.SecureAdminSite"
