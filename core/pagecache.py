"""Whole-page caching of public pages, forgetting only the pages a change affects.

Caching is opt-in: a view whose page is the same for every reader says so with
``@cache_public_page``; no other page is ever stored. Such a page is the same whether the
reader is signed in or not: it is always rendered as for an anonymous reader (a view that
reads the session while it renders is not stored), and served from the cache to everyone, so
a reader who signs in waits no longer than one who does not.

Each stored page carries its dependencies, named by *tags*, and the version each tag had
when the page was rendered. A change bumps the versions of the tags it affects; a page
whose tags have moved on is never served again. Three kinds of tag:

- a row, ``<app>.<model>:<pk>``: every row of a watched model instantiated while the page
  renders is recorded automatically (a page that loads more than ``ROW_TAG_LIMIT`` rows of
  one model depends on the model's tag instead, which any change of the model bumps);
- a group, such as the list of a column, declared by the app for each page's URL name
  (``depend``) and bumped by the app's ``affects`` functions (``watch``), given the row as
  it was before and as it is after the change;
- ``all``: every page. ``content_changed()`` and a change to a ``site_wide`` model (the
  menu's columns) bump it; a page whose URL name declares nothing also depends on ``any``,
  which every change bumps (but one its app's ``affects`` says touches no list, such as a
  draft saved), so a page nobody described is forgotten on any change.

A change costs one increment per tag, whatever the number of pages; a hit costs two reads
(the page, then its tags' versions in one round trip). Versions live in the cache: with
several server processes that must be a shared cache (Redis, REDIS_URL). A page is stored
only if no change at all happened while it was rendered (the change counter read before
and after is the same), so a page can never be stored with data older than its versions.
A page is also kept no longer than the next scheduled publication (``EXPIRY_HOOKS``), so a
scheduled article appears on time.

A response that sets a cookie or varies by cookie is never stored. A page served to a
request that carries a session cookie is marked private, so that no shared cache on the way
keeps it beside the cookies the session may set.
"""

import contextlib
import contextvars
import functools
import hashlib
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_init,
    post_save,
    pre_delete,
    pre_save,
)
from django.http import HttpResponse
from django.utils.cache import has_vary_header
from django.utils.http import http_date

from core import counters

# The change counter: one more on every change anywhere (also the count cache's generation).
GENERATION_KEY = "pagecache:generation"
CHANGED_AT_KEY = "pagecache:changed-at"
NEXT_PUBLICATION_KEY = "pagecache:next-publication"
TAG_PREFIX = "pagecache:tag:"
# The attribute that marks a view; its value is the object marked, so that a subclass or a
# further wrapper is not cached unless it is marked itself.
MARK = "cache_public_page"
# Tags every page depends on: `all` (whole-site changes), `any` (pages that declare nothing).
ALL = "all"
ANY = "any"
# A page that loads more rows of one model than this depends on the model as a whole.
ROW_TAG_LIMIT = 60


def cache_public_page(view):
    """Let every reader get this view's pages from the whole-page cache.

    For a view function, a class-based view or a feed class. Put it only on pages that are
    the same for every reader and show nothing but content the apps watch: a personal lookup
    (throttled per client), a staff page or a probe stays unmarked. The view always sees an
    anonymous user, also when the reader is signed in.
    """
    if isinstance(view, type):
        setattr(view, MARK, view)
        return view

    @functools.wraps(view)
    def cached_view(*args, **kwargs):
        return view(*args, **kwargs)

    setattr(cached_view, MARK, cached_view)
    return cached_view


def is_public_page(view) -> bool:
    """Whether the view resolved for a request was marked with ``cache_public_page``.

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


# --- Tags and their versions ----------------------------------------------------------------


def row_tag(model, pk) -> str:
    """The tag of one row: pages that loaded it depend on it."""
    return f"{model._meta.label_lower}:{pk}"


def model_tag(model) -> str:
    """The tag of a whole model: pages that loaded many of its rows depend on it."""
    return model._meta.label_lower


def tag_key(tag: str) -> str:
    if len(tag) > 150:
        tag = hashlib.sha256(tag.encode()).hexdigest()
    return TAG_PREFIX + tag


# The generation read when the page being rendered started, for the caches keyed by it (the
# counts, the forms) to use without asking the cache again; a change in between forgets it.
_generation_at_start: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "pagecache_generation_at_start", default=None
)


def generation() -> int:
    """The change counter: it moves on every change, wherever it is."""
    remembered = _generation_at_start.get()
    if remembered is not None:
        return remembered
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(CHANGED_AT_KEY, time.time(), timeout=None)
        value = counters.read(GENERATION_KEY)
    return value


def versions(tags: Iterable[str]) -> dict[str, int]:
    """The current version of each tag, by its cache key; a tag never seen is given one."""
    keys = {tag_key(tag) for tag in tags}
    found = cache.get_many(keys)
    missing = keys - found.keys()
    if missing:
        for key in missing:
            cache.add(key, counters.fresh_number(), timeout=None)
        found.update(cache.get_many(missing))
    return found


def _bump(tags: frozenset[str]) -> None:
    _generation_at_start.set(None)
    counters.move(GENERATION_KEY)
    for tag in tags:
        # Missing: no stored page recorded this tag, or it was evicted and theirs are stale.
        with contextlib.suppress(ValueError):
            cache.incr(tag_key(tag))
    cache.set(CHANGED_AT_KEY, time.time(), timeout=None)
    cache.delete(NEXT_PUBLICATION_KEY)


def changed(*tags: str) -> None:
    """Pages depending on any of these tags are stale from now on.

    Bumped at once and again when the transaction commits: a page rendered in between
    from the data not yet committed would otherwise be stored as current.
    """
    frozen = frozenset(tags)
    _bump(frozen)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(frozen))


def content_changed() -> None:
    """Call after a change that signals do not see (bulk writes): every cached page is stale."""
    changed(ALL)


def page_key(request) -> str:
    address = f"{request.get_host()}{request.get_full_path()}"
    return f"pagecache:page:{hashlib.sha256(address.encode()).hexdigest()}"


# --- What a change affects ------------------------------------------------------------------

# Models whose rows appear on public pages (and their many-to-many tables), filled by the
# apps in AppConfig.ready: a save or delete of one bumps the tags it affects.
WATCHED_MODELS: set[type] = set()
# Many-to-many tables: a row of one affects both ends.
THROUGH_MODELS: set[type] = set()
# Models shown on every page (the menu): a change makes every page stale.
SITE_WIDE_MODELS: set[type] = set()
# For each model, functions giving the groups a row affects, given the row as it is.
AFFECTS: dict[type, list[Callable[[object], Iterable[str]]]] = {}

# Functions returning the seconds until content appears without a save (a scheduled
# article); apps register theirs when ready.
EXPIRY_HOOKS: list[Callable[[], float]] = []


def watch(*models, affects: Callable[[object], Iterable[str]] | None = None) -> None:
    """A save or delete of a row of these models makes stale the pages that loaded the row,
    and those depending on the groups ``affects(row)`` names, for the row before and after."""
    for model in models:
        WATCHED_MODELS.add(model)
        if affects is not None and affects not in AFFECTS.setdefault(model, []):
            AFFECTS[model].append(affects)
        post_init.connect(_row_loaded, sender=model, dispatch_uid=f"pagecache-{model_tag(model)}")
        for field in model._meta.local_many_to_many:
            WATCHED_MODELS.add(field.remote_field.through)
            THROUGH_MODELS.add(field.remote_field.through)


def site_wide(*models) -> None:
    """These models show on every page (the menu): any change of one makes every page stale."""
    watch(*models)
    SITE_WIDE_MODELS.update(models)


def watch_app(app_config, *, ignore=(), affects=None) -> None:
    """Watch every model of an app but those in `ignore` (rows no page shows).

    The history copies of django-simple-history change only with the record they copy.
    """
    from simple_history.models import HistoricalChanges

    watch(
        *(
            model
            for model in app_config.get_models()
            if model not in ignore and not issubclass(model, HistoricalChanges)
        ),
        affects=affects,
    )


def tags_for(row, model=None, *, relation=False) -> set[str]:
    """The tags a change of `row`, in its present state, makes stale.

    For a change of one of its many-to-many relations only (`relation`), the row itself is
    unchanged: the pages showing it stay, unless no app said which pages list the relation
    (no `affects`), where the row stands for them.
    """
    model = model or type(row)
    if model in SITE_WIDE_MODELS:
        return {ALL}
    if model in THROUGH_MODELS:
        # A row of a many-to-many table: both ends changed.
        tags = {ANY}
        for field in model._meta.concrete_fields:
            if field.is_relation and (end := getattr(row, field.name, None)) is not None:
                tags |= tags_for(end)
        return tags
    tags = {model_tag(model)}
    if row.pk is not None and not (relation and AFFECTS.get(model)):
        tags.add(row_tag(model, row.pk))
    groups = {group for affects in AFFECTS.get(model, ()) for group in affects(row)}
    # The pages nobody described depend on `any`; an app that says which lists a row is in
    # and names none (a draft) has said that no public list changed.
    if groups or not AFFECTS.get(model):
        tags.add(ANY)
    return tags | groups


def _tags_kept() -> bool:
    """Whether changes bump the tags of what they affect (else only the change counter).

    Off only where no process sharing the cache stores pages (the test settings); the
    counter still moves, for the counts and menus cached by content generation.
    """
    return getattr(settings, "PAGE_CACHE_TAGS", True)


def _before_save(sender, instance, raw=False, **kwargs):
    if sender not in WATCHED_MODELS or raw or instance._state.adding or instance.pk is None:
        return
    if not _tags_kept():
        return
    before = sender._base_manager.filter(pk=instance.pk).first()
    instance._pagecache_before = tags_for(before, sender) if before is not None else set()


def _after_save(sender, instance, raw=False, **kwargs):
    if sender not in WATCHED_MODELS:
        return
    if raw:  # a fixture or a restore: nothing to compare with
        changed(ALL)
        return
    if not _tags_kept():
        changed()
        return
    before = instance.__dict__.pop("_pagecache_before", set())
    changed(*(before | tags_for(instance, sender)))


def _before_delete(sender, instance, **kwargs):
    if sender in WATCHED_MODELS and _tags_kept():  # its relations are still there to follow
        instance._pagecache_before = tags_for(instance, sender)


def _after_delete(sender, instance, **kwargs):
    if sender in WATCHED_MODELS:
        if not _tags_kept():
            changed()
            return
        before = instance.__dict__.pop("_pagecache_before", None)
        changed(*(before if before is not None else tags_for(instance, sender)))


def _m2m_changed(sender, instance, action, model, pk_set, **kwargs):
    if sender not in WATCHED_MODELS:
        return
    if not _tags_kept():
        if not action.startswith("pre_"):
            changed()
        return
    tags = tags_for(instance, relation=True)
    for row in model._base_manager.filter(pk__in=pk_set or ()):
        tags |= tags_for(row, model, relation=True)
    if action.startswith("pre_"):
        instance._pagecache_m2m_before = tags
    else:
        changed(*(tags | instance.__dict__.pop("_pagecache_m2m_before", set())))


def connect_signals() -> None:
    pre_save.connect(_before_save, dispatch_uid="pagecache-pre-save")
    post_save.connect(_after_save, dispatch_uid="pagecache-post-save")
    pre_delete.connect(_before_delete, dispatch_uid="pagecache-pre-delete")
    post_delete.connect(_after_delete, dispatch_uid="pagecache-post-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="pagecache-m2m")


def seconds_until_due() -> float:
    """Seconds until some content appears without a save (a scheduled article)."""
    return min((hook() for hook in EXPIRY_HOOKS), default=float("inf"))


# --- What a page depends on -----------------------------------------------------------------


class Dependencies:
    """The tags of the page being rendered: its groups, and the rows it loads."""

    def __init__(self, groups: Iterable[str], covers: Iterable[type] = ()):
        self.groups = {ALL, *groups}
        self.covers = frozenset(covers)
        self.rows: dict[type, set] = {}
        self.whole: set[type] = set()

    def saw(self, model, pk) -> None:
        if model in self.covers or model in self.whole or model in SITE_WIDE_MODELS:
            return
        rows = self.rows.setdefault(model, set())
        rows.add(pk)
        if len(rows) > ROW_TAG_LIMIT:
            del self.rows[model]
            self.whole.add(model)

    def tags(self) -> set[str]:
        tags = self.groups | {model_tag(model) for model in self.whole}
        for model, pks in self.rows.items():
            tags.update(row_tag(model, pk) for pk in pks)
        return tags


_rendering: contextvars.ContextVar[Dependencies | None] = contextvars.ContextVar(
    "pagecache_rendering", default=None
)


def _row_loaded(sender, instance, **kwargs):
    dependencies = _rendering.get()
    if dependencies is not None and instance.pk is not None:
        dependencies.saw(sender, instance.pk)


# The groups each cached page depends on, by URL name ("news:column"), filled by the apps.
PAGES: dict[str, tuple[Callable[..., Iterable[str]], frozenset[type]]] = {}


def depend(url_name: str, groups, *, covers: Iterable[type] = ()) -> None:
    """The page named `url_name` lists what the groups cover (a callable is given the request
    and the URL's arguments). Rows of the `covers` models need no tag of their own there:
    every change to one that the page could show bumps one of its groups."""
    function = groups if callable(groups) else (lambda request, **kwargs: groups)
    PAGES[url_name] = (function, frozenset(covers))


def depends_on(*groups: str) -> None:
    """Called while a page renders: it depends on these groups too."""
    dependencies = _rendering.get()
    if dependencies is not None:
        dependencies.groups.update(groups)


def dependencies_for(request, view_kwargs) -> Dependencies:
    match = getattr(request, "resolver_match", None)
    declared = PAGES.get(match.view_name) if match is not None else None
    if declared is None:
        return Dependencies([ANY])
    function, covers = declared
    return Dependencies(function(request, **view_kwargs), covers)


class PublicPageCacheMiddleware:
    """Serves and stores the pages of views marked ``cache_public_page``, for every reader.

    Listed after the session, CSRF and authentication middleware and before the messages
    middleware, it sees a cookie that the view or the messages set, and stores no such page.
    The CSRF cookie is set further out: a page whose form needs the token is not marked.
    While a marked view renders, ``request.user`` is an anonymous user and the session is
    watched: a view that reads the session made a page for one reader, which is not stored.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @property
    def timeout(self) -> float:
        return getattr(settings, "PAGE_CACHE_SECONDS", 600)

    @property
    def enabled(self) -> bool:
        return getattr(settings, "PAGE_CACHE", True)

    def seconds_until_next_publication(self) -> float:
        return seconds_until_due()

    def __call__(self, request):
        request.page_cache = None
        try:
            response = self.get_response(request)
        finally:
            _rendering.set(None)
            _generation_at_start.set(None)
            reader = request.__dict__.pop("page_cache_reader", None)
        pending = request.page_cache
        if reader is not None:
            user, session_was_accessed = reader
            session = getattr(request, "session", None)
            # The view read the session: its page may be this reader's alone.
            personal = session is not None and session.accessed
            if session is not None:
                session.accessed = session.accessed or session_was_accessed
            request.user = user
            if personal:
                pending = None
        # Pending only where pages are kept (process_view).
        if pending is not None and self.storable(request, response):
            key, started, dependencies = pending
            response["Last-Modified"] = http_date(cache.get(CHANGED_AT_KEY) or time.time())
            response["Cache-Control"] = "public, max-age=0, must-revalidate"
            timeout = min(self.timeout, self.seconds_until_next_publication())
            if timeout > 0:
                recorded = versions(dependencies.tags())
                # Stored only if nothing changed while it was rendered.
                if generation() == started:
                    cache.set(key, (recorded, self.freeze(response)), timeout)
        if request.method in ("GET", "HEAD"):
            public = "public" in response.get("Cache-Control", "")
            if public and self.has_session_cookie(request):
                # The session middleware may add a cookie: no shared cache may keep it.
                response["Cache-Control"] = "private, no-cache"
            response.setdefault("Cache-Control", "private, no-cache")
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not (is_public_page(view_func) and request.method in ("GET", "HEAD")):
            return None
        if self.enabled and self.timeout > 0:
            key = page_key(request)
            stored = cache.get(key)
            if stored is not None:
                recorded, frozen = stored
                if cache.get_many(list(recorded)) == recorded:
                    return self.rebuild(frozen)
            dependencies = dependencies_for(request, view_kwargs)
            # Rendered afresh: stored on the way out, with the rows it loads.
            started = generation()
            request.page_cache = (key, started, dependencies)
            _generation_at_start.set(started)
            _rendering.set(dependencies)
        else:
            _generation_at_start.set(generation())
        # The page is the same for every reader: rendered as for an anonymous one.
        session = getattr(request, "session", None)
        request.page_cache_reader = (
            getattr(request, "user", None),
            session is not None and session.accessed,
        )
        if session is not None:
            session.accessed = False
        request.user = AnonymousUser()
        return None

    @staticmethod
    def has_session_cookie(request) -> bool:
        return settings.SESSION_COOKIE_NAME in request.COOKIES

    @staticmethod
    def storable(request, response) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not has_vary_header(response, "Cookie")
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
