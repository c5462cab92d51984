from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyBuildingConfig(AppConfig):
    name = "party_building"
    verbose_name = _("Party building")

    def ready(self):
        from core import counters, pagecache
        from core.twofactor import require_second_factor_for
        from news.models import Article
        from party_building import models

        # The public branch pages list the party's records under the group "party": a change
        # clears those pages only. Who manages a branch, the reminders sent, attendance and
        # dues show on no public page, so recording them clears nothing.
        pagecache.watch_app(
            self,
            ignore=[
                models.OrganizationManager,
                models.ReminderLog,
                models.OverdueNotice,
                models.Attendance,
                models.DuesBand,
                models.DuesBase,
                models.DuesPayment,
            ],
            affects=lambda row: ["party"],
        )
        # A branch's activities are public while a published article reports them.
        pagecache.watch(
            Article,
            affects=lambda article: (
                ["party"]
                if article.pk and models.BranchActivity.objects.filter(article=article.pk).exists()
                else []
            ),
        )
        for name in (
            "party_building:public-branch-list",
            "party_building:public-campaign-list",
            "party_building:public-campaign",
        ):
            pagecache.depend(name, ["party"])
        pagecache.depend("party_building:public-branch", public_branch_groups)
        # Every party record is personal data.
        require_second_factor_for("party_building.*")
        # Only one transfer policy may be added: whether the admin offers to add one follows
        # from its rows.
        from core.adminsite import app_list_depends_on

        app_list_depends_on(models.TransferPolicy)
        # A secretary's desk shows what their branches have let lapse.
        from core import desk as admin_desk
        from party_building.desk import overdue_items

        # Its count moves with the party records and with who manages which branch.
        admin_desk.register(
            overdue_items, count_changes_with=[*self.get_models(), *counters.access_models()]
        )
        # The campaigns' published commitments are public records: in the site's sitemap.
        from news.sitemaps import SITEMAPS as site_sitemaps
        from party_building.sitemaps import SITEMAPS

        site_sitemaps.update(SITEMAPS)


def public_branch_groups(request, pk, **kwargs):
    """A branch's page also links its organisation's page while a published report names it."""
    from news.pagetags import organization_page
    from party_building.models import PartyOrganization

    organization = (
        PartyOrganization.objects.filter(pk=pk).values_list("organization_id", flat=True).first()
    )
    return ["party", organization_page(organization)] if organization else ["party"]
