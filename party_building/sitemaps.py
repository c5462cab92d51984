"""The campaigns whose commitments the committee published: public records, so in the
sitemap (registered with the site's sections in ``apps.PartyBuildingConfig.ready``)."""

from django.contrib.sitemaps import Sitemap

from party_building.models import Campaign


class CampaignSitemap(Sitemap):
    limit = 5000

    def items(self):
        return Campaign.objects.public().only("pk").order_by("pk")


SITEMAPS = {"party-campaigns": CampaignSitemap}
