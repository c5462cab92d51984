"""A limit on the public lookup per client, so that the register cannot be copied by
trying licence numbers or names one after another.

Each client may make `LOOKUP_RATE_LIMIT` lookups (30) per `LOOKUP_RATE_WINDOW` seconds (600),
both lookups and the firm pages together. django-ratelimit counts them in Django's cache
(Redis in production, so that every gunicorn worker and app server shares the count); its
windows are fixed, which is enough to make enumeration slow.

The client is the one address of `core.clientaddr` (behind nginx: the address nginx saw),
an IPv6 client its /64 network, which one household or server holds as a whole.
"""

import math

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

from core.clientaddr import client_network

GROUP = "members:lookup"


def client_key(group, request) -> str:
    """django-ratelimit's key: who is counted."""
    return client_network(request) or "unknown"


def lookup_rate(group, request) -> str:
    return f"{settings.LOOKUP_RATE_LIMIT}/{settings.LOOKUP_RATE_WINDOW}s"


def count_lookup(request) -> int | None:
    """Count one lookup; return the seconds to wait if the client is over its limit."""
    usage = get_usage(request, group=GROUP, key=client_key, rate=lookup_rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, usage["time_left"])


def too_many_lookups(request, retry_after: int):
    response = render(
        request,
        "members/throttled.html",
        {"minutes": math.ceil(retry_after / 60)},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


class ThrottledLookupMixin:
    """Counts each request that looks something up, and answers 429 over the limit."""

    def is_lookup(self, request) -> bool:
        return True

    def dispatch(self, request, *args, **kwargs):
        if self.is_lookup(request):
            retry_after = count_lookup(request)
            if retry_after is not None:
                return too_many_lookups(request, retry_after)
        return super().dispatch(request, *args, **kwargs)
