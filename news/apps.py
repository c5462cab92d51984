from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from core import backups, pagecache
        from core.twofactor import require_second_factor_for
        from news import backups as news_backups
        from news import pagetags, schedule, signals
        from news.models import ExtractionProposal, SearchEntry

        signals.connect()
        # The public pages show news; the search table changes with its articles, and the
        # names recognised for the editors show nowhere. What each change touches: pagetags.
        pagecache.watch_app(self, ignore=[SearchEntry, ExtractionProposal])
        pagetags.register()
        pagecache.EXPIRY_HOOKS.append(schedule.seconds_until_next_publication)
        # A restore proves that every article body and the search index came back.
        backups.register(news_backups.ARTICLE_BODIES)
        backups.register(news_backups.SEARCH_INDEX)
        # Publishing (and pinning) put text on the site in the association's name.
        require_second_factor_for("news.publish_article", "news.pin_article")
