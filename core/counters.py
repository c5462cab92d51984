"""Change counters kept in the shared cache: caches keyed by one forget their entries when it
moves (the page cache's generation, the admin desk's counts)."""

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


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


def access_models() -> list:
    """The models behind what a user may do: the user (its flags), groups, permissions and the
    tables between them. What is worked out from a user's rights moves with these."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    user = get_user_model()
    return [
        user,
        Group,
        Permission,
        user.groups.through,
        user.user_permissions.through,
        Group.permissions.through,
    ]


def move_on_changes(key: str, models) -> None:
    """Move the counter on every save, delete and many-to-many change of ``models``.

    Now, and again when the transaction commits: what was worked out in between from data
    not yet committed would otherwise be kept as current.
    """

    def changed(sender, action=None, **kwargs) -> None:
        if action is not None and action.startswith("pre_"):
            return
        move(key)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: move(key))

    for model in models:
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(changed, sender=model, weak=False)
