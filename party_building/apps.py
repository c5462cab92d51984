from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyBuildingConfig(AppConfig):
    name = "party_building"
    verbose_name = _("Party building")

    def ready(self):
        from core import pagecache
        from core.twofactor import require_second_factor_for
        from party_building.models import OrganizationManager, ReminderLog

        # The public branch pages; who manages a branch and the reminders sent show nowhere.
        pagecache.watch_app(self, ignore=[OrganizationManager, ReminderLog])
        # Every party record is personal data.
        require_second_factor_for("party_building.*")
        # A secretary's desk shows what their branches have let lapse.
        from core import desk as admin_desk
        from party_building.desk import overdue_items

        admin_desk.register(overdue_items)
        # The campaigns' published commitments are public records: in the site's sitemap.
        from news.sitemaps import SITEMAPS as site_sitemaps
        from party_building.sitemaps import SITEMAPS

        site_sitemaps.update(SITEMAPS)
