from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Bar association web site administration")
admin.site.site_title = _("Bar association administration")
admin.site.index_title = _("Content management")
