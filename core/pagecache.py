"""Whole-page caching for anonymous readers, invalidated by any change to the content.

Every change to a model the public pages show bumps one shared number, the content
generation; cached pages are stored under the generation they were rendered in, so after a
change no page of the old generation is ever served again. A page is also kept no longer
than the next scheduled publication, so a scheduled article appears on time.

Staff and signed-in readers never get cached pages. The generation lives in the cache:
with several server processes that must be a shared cache (Redis, REDIS_URL).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.http import http_date

GENERATION_KEY = "pagecache:generation"
CHANGED_AT_KEY = "pagecache:changed-at"
NEXT_PUBLICATION_KEY = "pagecache:next-publication"
# Staff areas, personal lookups (throttled per client) and probes are never cached.
UNCACHED_PREFIXES = (
    "/admin/", "/account/", "/party/board", "/party/branches", "/party/activities",
    "/lawyers/", "/firms/", "/healthz", "/editor/", "/media/", "/static/", "/_bench/",
)  # fmt: skip


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        cache.add(CHANGED_AT_KEY, time.time(), timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def content_changed() -> None:
    """Call after anything public changes: every cached page is stale from now on."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, 1, timeout=None)
    cache.set(CHANGED_AT_KEY, time.time(), timeout=None)
    cache.delete(NEXT_PUBLICATION_KEY)


def page_key(request, generation_number: int) -> str:
    address = f"{request.get_host()}{request.get_full_path()}"
    return f"pagecache:{generation_number}:{hashlib.sha256(address.encode()).hexdigest()}"


# Apps whose content appears on public pages: any save or delete in them is a change.
CONTENT_APPS = {"news", "members", "party_building"}
# Rows that change without changing what a page shows.
IGNORED_MODELS = {"searchentry", "reminderlog", "organizationmanager"}

# Functions returning the seconds until content appears without a save (a scheduled
# article); apps register theirs when ready, as news does.
EXPIRY_HOOKS = []


def _model_changed(sender, **kwargs):
    meta = sender._meta
    if (
        meta.app_label in CONTENT_APPS
        and meta.model_name not in IGNORED_MODELS
        and not meta.model_name.startswith("historical")
    ):
        content_changed()


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_model_changed, dispatch_uid=f"pagecache-{id(signal)}")


def seconds_until_due() -> float:
    """Seconds until some content appears without a save (a scheduled article)."""
    return min((hook() for hook in EXPIRY_HOOKS), default=float("inf"))


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = getattr(settings, "PAGE_CACHE_SECONDS", 600)

    def seconds_until_next_publication(self) -> float:
        return seconds_until_due()

    def __call__(self, request):
        if not self.cacheable(request):
            response = self.get_response(request)
            if request.method in ("GET", "HEAD"):
                response.setdefault("Cache-Control", "private, no-cache")
            return response
        number = generation()
        key = page_key(request, number)
        stored = cache.get(key)
        if stored is not None:
            return self.rebuild(stored)
        response = self.get_response(request)
        if self.storable(request, response):
            response["Last-Modified"] = http_date(cache.get(CHANGED_AT_KEY) or time.time())
            response["Cache-Control"] = "public, max-age=0, must-revalidate"
            timeout = min(self.timeout, self.seconds_until_next_publication())
            if timeout > 0:
                cache.set(key, self.freeze(response), timeout)
        return response

    @staticmethod
    def cacheable(request) -> bool:
        if request.method not in ("GET", "HEAD") or request.path.startswith(UNCACHED_PREFIXES):
            return False
        # A session cookie means someone may be signed in: they get live pages.
        return settings.SESSION_COOKIE_NAME not in request.COOKIES

    @staticmethod
    def storable(request, response) -> bool:
        user = getattr(request, "user", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not (user is not None and user.is_authenticated)
            and "no-store" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def freeze(response):
        return (response.status_code, list(response.items()), response.content)

    @staticmethod
    def rebuild(stored):
        from django.http import HttpResponse

        status, headers, content = stored
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response
