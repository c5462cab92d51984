from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Site")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission

        from core import (
            adminsite,
            audit,  # noqa: F401  (connects the audit trail's signal receivers)
            pagecache,
            twofactor,  # noqa: F401  (notes the time of each password login)
        )

        pagecache.connect_signals()
        # Who may see which app and model in the admin: a user's flags, groups and permissions.
        user = get_user_model()
        adminsite.app_list_depends_on(
            user,
            Group,
            Permission,
            user.groups.through,
            user.user_permissions.through,
            Group.permissions.through,
        )


class SecureAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our admin site, which asks for the second factor."""

    default = False  # "core" in INSTALLED_APPS still means CoreConfig
    default_site = "core.adminsite.SecureAdminSite"
