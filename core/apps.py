from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_static import apps as otp_static_apps
from django_otp.plugins.otp_totp import apps as otp_totp_apps


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


# --- The security libraries, named in Chinese ---------------------------------------------------
#
# The admin lists their apps and models too (to a superuser). django-axes and django-otp have no
# Chinese translation, and django-otp names its models in plain strings that no translation
# reaches. These configs (in INSTALLED_APPS in their place) give the names the admin shows;
# the models' options that their migrations record are left as the libraries wrote them.


class NamedModelsMixin:
    """Names the app's ``model_names`` ({model: (singular, plural)}) once the app is ready.

    With ``translate_fields``, each field's name and help, written by the library as plain
    English, is read through the project's catalog. A migration records the help as the
    library wrote it, and with translation off (as makemigrations runs) the lazy
    text is that same English, so no migration sees a change.
    """

    model_names: dict = {}
    translate_fields = False
    # Field names whose plain English means something else elsewhere in the catalog.
    field_names: dict = {}

    def ready(self):
        super().ready()
        for model_name, (singular, plural) in self.model_names.items():
            options = self.get_model(model_name)._meta
            options.verbose_name, options.verbose_name_plural = singular, plural
        if self.translate_fields:
            for model in self.get_models():
                for model_field in model._meta.fields:
                    if model_field.name in self.field_names:
                        model_field.verbose_name = self.field_names[model_field.name]
                    elif isinstance(model_field.verbose_name, str):
                        model_field.verbose_name = _(model_field.verbose_name)
                    if isinstance(model_field.help_text, str) and model_field.help_text:
                        model_field.help_text = _(model_field.help_text)


# django-axes's own words on its admin pages (its fields, filters and actions), which its
# translation does not cover in Chinese: listed here so that `make messages` keeps them in the
# project's catalog, which axes's gettext then reads.
AXES_WORDS = (
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
)


class LoginProtectionConfig(NamedModelsMixin, axes_apps.AppConfig):
    """django-axes: failed logins counted and locked out."""

    default = False
    verbose_name = _("Login protection")
    model_names = {
        "AccessAttempt": (_("login attempt"), _("login attempts")),
        "AccessAttemptExpiration": (_("login attempt expiry"), _("login attempt expiries")),
        "AccessFailureLog": (_("failed login"), _("failed logins")),
        "AccessLog": (_("login record"), _("login records")),
    }


class RecoveryCodesConfig(NamedModelsMixin, otp_static_apps.DefaultConfig):
    """django-otp's static tokens: each member of staff's recovery codes."""

    default = False
    verbose_name = _("Recovery codes")
    model_names = {"StaticDevice": (_("recovery code set"), _("recovery code sets"))}
    translate_fields = True


class AuthenticatorAppsConfig(NamedModelsMixin, otp_totp_apps.DefaultConfig):
    """django-otp's TOTP devices: each member of staff's authenticator app."""

    default = False
    verbose_name = _("Authenticator apps")
    model_names = {"TOTPDevice": (_("authenticator app"), _("authenticator apps"))}
    translate_fields = True
    field_names = {"step": _("time step")}  # "step" is a development step in the catalog
