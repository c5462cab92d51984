"""When the next scheduled article appears: cached pages must not outlive that moment."""

import time

from django.core.cache import cache
from django.db.models import Min
from django.utils import timezone

from core.pagecache import NEXT_PUBLICATION_KEY
from news.models import Article


def seconds_until_next_publication() -> float:
    when = cache.get(NEXT_PUBLICATION_KEY)
    if when is None:
        upcoming = Article.objects.filter(
            status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
        ).aggregate(first=Min("published_at"))["first"]
        when = upcoming.timestamp() if upcoming else float("inf")
        cache.set(NEXT_PUBLICATION_KEY, when, timeout=None)
    return when - time.time()
