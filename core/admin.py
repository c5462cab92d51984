from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
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
