"""Change counters kept in the shared cache: caches keyed by one forget their entries when it
moves (the page cache's generation, the admin desk's counts)."""

import time

from django.core.cache import cache


def fresh_number() -> int:
    # A starting value that a key lost from the cache (evicted) never had in an earlier life:
    # numbers only ever grow by one per change, far slower than the clock.
    return time.time_ns()


def read(key: str) -> int:
    """The counter's value, started afresh if the cache has none."""
    value = cache.get(key)
    if value is None:
        cache.add(key, fresh_number(), timeout=None)
        value = cache.get(key)
    return value


def move(key: str) -> None:
    """One more; a counter the cache lost starts afresh, above any value it had."""
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, fresh_number(), timeout=None)
