"""The desk on the admin's front page: what waits for this user, gathered from every app.

Apps register panel functions (request -> Panel or None) when they load; core knows none of
them by name. A panel's `count` also appears in the menu at the top of every admin page.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone, translation

from core import counters, pagecache

_panels = []
# Panels whose menu count is kept between pages (registered with `count_changes_with`).
_kept_counts = set()
# One more on every change of a model some kept count depends on.
GENERATION_KEY = "desk:generation"
# Bulk writes send no signal: a kept count is at most this old.
COUNT_SECONDS = 300
_NO_COUNT = "-"  # kept for a panel that has no count for this user


@dataclass
class Row:
    title: str
    url: str
    meta: str = ""
    note: str = ""  # e.g. the reason a draft was returned
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)


@dataclass
class Panel:
    key: str
    title: str
    rows: list[Row]
    empty: str
    count: int | None = None  # shown in the menu when set
    more_url: str = ""


def register(panel_function, *, count_changes_with=()) -> None:
    """Add a panel to the desk.

    ``count_changes_with``: the models (and many-to-many tables) whose changes alone move the
    panel's count for a user on a given day. The menu's count is then kept per user and day
    until one of them changes or a scheduled article comes due (or for COUNT_SECONDS at most)
    instead of being worked out on every admin page. Without it, the count is worked out
    every time.
    """
    if panel_function not in _panels:
        _panels.append(panel_function)
    if count_changes_with:
        _kept_counts.add(panel_function)
        counters.move_on_changes(GENERATION_KEY, count_changes_with)


def panels(request) -> list[Panel]:
    found = (function(request) for function in _panels)
    return [panel for panel in found if panel is not None]


def counts(request) -> list[tuple[str, str, int]]:
    """(key, title, count) of every panel with a count, for the menu."""
    result = []
    generation = None
    for function in _panels:
        if function in _kept_counts:
            if generation is None:
                generation = counters.read(GENERATION_KEY)
            entry = _kept_menu_entry(function, request, generation)
        else:
            entry = _menu_entry(function(request, count_only=True))
        if entry is not None:
            result.append(entry)
    return result


def _menu_entry(panel):
    if panel is None or panel.count is None:
        return None
    return (panel.key, panel.title, panel.count)


def _kept_menu_entry(function, request, generation):
    key = ":".join(
        (
            "desk:count",
            f"{function.__module__}.{function.__qualname__}",
            str(request.user.pk),
            timezone.localdate().isoformat(),
            translation.get_language() or "",
            str(generation),
        )
    )
    kept = cache.get(key)
    if kept is None:
        entry = _menu_entry(function(request, count_only=True))
        kept = _NO_COUNT if entry is None else (entry[0], str(entry[1]), entry[2])
        # An editor's scheduled article leaves their count when it comes due, with no save.
        timeout = min(COUNT_SECONDS, pagecache.seconds_until_due())
        if timeout > 0:
            cache.set(key, kept, timeout)
    return None if kept == _NO_COUNT else tuple(kept)
