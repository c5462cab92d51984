from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from core.pagecache import cache_public_page
from core.text import html_to_text, summarize
from news.models import Article, Column

FEED_SIZE = 30


@cache_public_page
class LatestArticlesFeed(Feed):
    """The newest published articles of the whole site, as RSS 2.0."""

    description = _("The newest articles of the bar association")

    def title(self, obj=None):
        return settings.SITE_NAME

    def link(self, obj=None):
        return reverse("news:home")

    def articles(self, obj=None):
        return Article.objects.published().for_listing()

    def items(self, obj=None):
        return self.articles(obj)[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # RSS descriptions and Atom summaries (type="html") are read as HTML: the plain-text
        # summary goes out escaped, so that "<b>" in it reads as written, never as markup.
        return escape(item.summary or summarize(html_to_text(item.body), 300))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author or None

    def item_categories(self, item):
        return [item.column.name]


@cache_public_page
class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


@cache_public_page
class ColumnFeed(LatestArticlesFeed):
    """The newest articles of one column."""

    def get_object(self, request, slug):
        return get_object_or_404(Column, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME} - {obj.name}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return obj.description or obj.name

    def articles(self, obj=None):
        return super().articles().filter(column=obj)


@cache_public_page
class ColumnAtomFeed(ColumnFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj=None):
        return self.description(obj)
