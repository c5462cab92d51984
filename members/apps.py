from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from core import pagecache
        from core.twofactor import require_second_factor_for
        from members.models import PendingImport

        # People and organisations appear on the news pages: a page depends on the rows it
        # shows (news.pagetags says which lists they are in).
        pagecache.watch_app(self, ignore=[PendingImport])
        # The register's private fields (phones, addresses) and its import.
        require_second_factor_for(
            "members.view_lawyer",
            "members.change_lawyer",
            "members.view_lawfirm",
            "members.change_lawfirm",
            "members.import_register",
        )
