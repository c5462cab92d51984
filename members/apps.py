from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from core import pagecache
        from core.twofactor import require_second_factor_for
        from members.models import Organization, PendingImport

        # People and organisations appear on the news pages: a page depends on the rows it
        # shows. An organisation's parent lists it among its children.
        pagecache.watch_app(self, ignore=[PendingImport])
        pagecache.watch(
            Organization,
            affects=lambda organization: (
                [pagecache.row_tag(Organization, organization.parent_id)]
                if organization.parent_id
                else []
            ),
        )
        # The register's private fields (phones, addresses) and its import.
        require_second_factor_for(
            "members.view_lawyer",
            "members.change_lawyer",
            "members.view_lawfirm",
            "members.change_lawfirm",
            "members.import_register",
        )
