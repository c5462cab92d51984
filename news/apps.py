from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from core import pagecache
        from news import schedule, signals

        signals.connect()
        pagecache.EXPIRY_HOOKS.append(schedule.seconds_until_next_publication)
