from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from core.adminlists import WrittenCheckboxMixin
from core.widgets import SafeAutocompleteMixin

admin.site.site_header = _("Bar association web site administration")
admin.site.site_title = _("Bar association administration")
admin.site.index_title = _("Content management")


class HistoryAdmin(WrittenCheckboxMixin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    """The history pages, where restoring an old version needs the right to change the record.

    django-simple-history lets anyone who may *view* an old version post its form, and saves
    it: a reader could change a record, and an editor a published article (the permission is
    asked of the old version, a draft). Saving is a change of the record as it is now.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None:
                raise Http404
            if not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class SuperuserDeletesMixin:
    """Only a superuser deletes a row outright, in a model admin or an inline.

    Records keep their rows and their history: an article is withdrawn, a firm dissolved, a
    licence cancelled, a membership or an officer's term ended.
    """

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class StampedAdminMixin:
    """Records who created and who last changed a row (core.models.Stamped) on each save."""

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


# --- django-otp's device admins, in Chinese -----------------------------------------------------
#
# django-otp titles its fieldsets, its QR code column and its search help in plain English; the
# fields' own words go through the catalog (core.apps.NamedModelsMixin.translate_fields).
OTP_FIELDSETS = {
    "Identity": _("Identity"),
    "Timestamps": _("Timestamps"),
    "Configuration": _("Configuration"),
    "State": _("State"),
    "Throttling": _("Throttling"),
}


class ChineseDeviceAdminMixin:
    search_help_text = _("Search by the user's username or email address")

    def get_fieldsets(self, request, obj=None):
        return [
            (OTP_FIELDSETS.get(name, name), options)
            for name, options in super().get_fieldsets(request, obj)
        ]


class ChineseTOTPDeviceAdmin(ChineseDeviceAdminMixin, TOTPDeviceAdmin):
    @admin.display(description=_("QR code"))
    def qrcode_link(self, device):
        # As django-otp's, with the link's own word in Chinese too.
        if device.pk is None:
            return ""
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, _("QR code"))


class ChineseStaticDeviceAdmin(ChineseDeviceAdminMixin, StaticDeviceAdmin):
    pass


for model, model_admin in (
    (TOTPDevice, ChineseTOTPDeviceAdmin),
    (StaticDevice, ChineseStaticDeviceAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
