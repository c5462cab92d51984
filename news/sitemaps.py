from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.urls import reverse

from core.pagecache import cache_public_page
from news.models import Article, Column, Event, Speech, public_organizations, public_people


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Article.objects.published().only("pk", "published_at", "updated_at").order_by("pk")

    def lastmod(self, article):
        return article.updated_at


class ColumnSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Column.objects.annotate(latest=Max("articles__updated_at")).order_by("order", "pk")

    def lastmod(self, column):
        return column.latest


class EventSitemap(Sitemap):
    limit = 5000

    def items(self):
        return Event.objects.public().only("pk").order_by("pk")


class SpeechSitemap(Sitemap):
    limit = 5000

    def items(self):
        return Speech.objects.public().only("pk").order_by("pk")


class PersonSitemap(Sitemap):
    limit = 5000

    def items(self):
        return public_people().only("pk").order_by("pk")

    def location(self, person):
        return reverse("news:person", args=[person.pk])


class OrganizationSitemap(Sitemap):
    limit = 5000

    def items(self):
        return public_organizations().only("pk").order_by("pk")

    def location(self, organization):
        return reverse("news:organization", args=[organization.pk])


class PageSitemap(Sitemap):
    """The lists that are not a column."""

    changefreq = "daily"

    def items(self):
        return [
            "news:home",
            "news:article-list",
            "news:archive",
            "news:event-list",
            "news:speech-list",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "columns": ColumnSitemap,
    "articles": ArticleSitemap,
    "events": EventSitemap,
    "speeches": SpeechSitemap,
    "people": PersonSitemap,
    "organizations": OrganizationSitemap,
}


@cache_public_page
def sitemap_index(request):
    """The index of the non-empty sections: an empty <urlset> is not a valid sitemap."""
    sections = {name: sitemap for name, sitemap in SITEMAPS.items() if sitemap().paginator.count}
    return sitemap_views.index(request, sections, sitemap_url_name="sitemap-section")
