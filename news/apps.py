from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from core import backups, pagecache
        from core.twofactor import require_second_factor_for
        from news import backups as news_backups
        from news import schedule, signals
        from news.models import SearchEntry

        signals.connect()
        # Every public page may show news; the search table changes with its articles.
        pagecache.watch_app(self, ignore=[SearchEntry])
        pagecache.EXPIRY_HOOKS.append(schedule.seconds_until_next_publication)
        # A restore proves that every article body and the search index came back.
        backups.register(news_backups.ARTICLE_BODIES)
        backups.register(news_backups.SEARCH_INDEX)
        # Publishing (and pinning) put text on the site in the association's name.
        require_second_factor_for("news.publish_article", "news.pin_article")
