"""Whole-page caching for anonymous readers, invalidated by any change to the content.

Caching is opt-in: a view whose page is the same for every anonymous reader says so with
``@cache_for_anonymous``; no other page is ever stored. Every change to a model the public
pages show bumps one shared number, the content generation; the apps name those models in
their ``AppConfig.ready`` (``watch_app``). Cached pages are stored under the generation they
were rendered in, so after a change no page of the old generation is ever served again. A
page is also kept no longer than the next scheduled publication (``EXPIRY_HOOKS``), so a
scheduled article appears on time.

Signed-in readers never get cached pages, and a response that sets a cookie or varies by
cookie is never stored. The generation lives in the cache: with several server processes
that must be a shared cache (Redis, REDIS_URL).
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import has_vary_header
from django.utils.http import http_date

GENERATION_KEY = "pagecache:generation"
CHANGED_AT_KEY = "pagecache:changed-at"
NEXT_PUBLICATION_KEY = "pagecache:next-publication"
# The attribute that marks a view; its value is the object marked, so that a subclass or a
# further wrapper is not cached unless it is marked itself.
MARK = "cache_for_anonymous"


def cache_for_anonymous(view):
    """Let anonymous readers get this view's pages from the whole-page cache.

    For a view function, a class-based view or a feed class. Put it only on pages that are
    the same for every anonymous reader and show nothing but content the apps watch: a
    personal lookup (throttled per client), a staff page or a probe stays unmarked.
    """
    if isinstance(view, type):
        setattr(view, MARK, view)
        return view

    @functools.wraps(view)
    def cached_view(*args, **kwargs):
        return view(*args, **kwargs)

    setattr(cached_view, MARK, cached_view)
    return cached_view


def is_cached_for_anonymous(view) -> bool:
    """Whether the view resolved for a request was marked with ``cache_for_anonymous``.

    The mark may be on the function, on the class of an ``as_view()`` function or of a
    callable feed, or on a view that a decorator such as ``require_safe`` wraps.
    """
    while view is not None:
        candidates = (view, getattr(view, "view_class", None), type(view))
        if any(
            candidate is not None and getattr(candidate, MARK, None) is candidate
            for candidate in candidates
        ):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


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


# Models whose rows appear on public pages (and their many-to-many tables), filled by the
# apps in AppConfig.ready: any save or delete of one is a change.
WATCHED_MODELS: set[type] = set()

# Functions returning the seconds until content appears without a save (a scheduled
# article); apps register theirs when ready.
EXPIRY_HOOKS = []


def watch(*models) -> None:
    """Any save or delete of these models makes every cached page stale."""
    for model in models:
        WATCHED_MODELS.add(model)
        for field in model._meta.local_many_to_many:
            WATCHED_MODELS.add(field.remote_field.through)


def watch_app(app_config, *, ignore=()) -> None:
    """Watch every model of an app but those in `ignore` (rows no page shows).

    The history copies of django-simple-history change only with the record they copy.
    """
    from simple_history.models import HistoricalChanges

    watch(
        *(
            model
            for model in app_config.get_models()
            if model not in ignore and not issubclass(model, HistoricalChanges)
        )
    )


def _model_changed(sender, **kwargs):
    if sender in WATCHED_MODELS:
        content_changed()


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_model_changed, dispatch_uid=f"pagecache-{id(signal)}")


def seconds_until_due() -> float:
    """Seconds until some content appears without a save (a scheduled article)."""
    return min((hook() for hook in EXPIRY_HOOKS), default=float("inf"))


class AnonymousPageCacheMiddleware:
    """Serves and stores the pages of views marked ``cache_for_anonymous``.

    Listed after the session, CSRF and authentication middleware and before the messages
    middleware, it sees a cookie that the view or the messages set, and stores no such page.
    The CSRF cookie is set further out: a page whose form needs the token is not marked.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = getattr(settings, "PAGE_CACHE_SECONDS", 600)

    def seconds_until_next_publication(self) -> float:
        return seconds_until_due()

    def __call__(self, request):
        request.page_cache_key = None
        response = self.get_response(request)
        key = request.page_cache_key
        if key is not None and self.storable(request, response):
            response["Last-Modified"] = http_date(cache.get(CHANGED_AT_KEY) or time.time())
            response["Cache-Control"] = "public, max-age=0, must-revalidate"
            timeout = min(self.timeout, self.seconds_until_next_publication())
            if timeout > 0:
                cache.set(key, self.freeze(response), timeout)
        if request.method in ("GET", "HEAD"):
            response.setdefault("Cache-Control", "private, no-cache")
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not (is_cached_for_anonymous(view_func) and self.cacheable(request)):
            return None
        key = page_key(request, generation())
        stored = cache.get(key)
        if stored is not None:
            return self.rebuild(stored)
        request.page_cache_key = key  # rendered afresh: store it on the way out
        return None

    @staticmethod
    def cacheable(request) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        # A session cookie means someone may be signed in: they get live pages.
        return settings.SESSION_COOKIE_NAME not in request.COOKIES

    @staticmethod
    def storable(request, response) -> bool:
        user = getattr(request, "user", None)
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not has_vary_header(response, "Cookie")
            and not (user is not None and user.is_authenticated)
            and "no-store" not in cache_control
            and "private" not in cache_control
        )

    @staticmethod
    def freeze(response):
        return (response.status_code, list(response.items()), response.content)

    @staticmethod
    def rebuild(stored):
        status, headers, content = stored
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response
