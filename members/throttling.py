"""A limit on the public lookup per client, so that the register cannot be copied by
trying licence numbers or names one after another.

Each client may make `LOOKUP_RATE_LIMIT` lookups (default 30) per window of
`LOOKUP_RATE_WINDOW` seconds (default 600), counted in Django's cache: Redis in production,
so that all gunicorn workers share the count. The window is fixed (it starts every
`LOOKUP_RATE_WINDOW` seconds), which is enough to make enumeration slow.

The client is REMOTE_ADDR; an IPv6 client is its /64 network, which one household or
server holds as a whole. X-Forwarded-For is written by whoever sends the request, so it is
trusted only from the proxies listed in `LOOKUP_TRUSTED_PROXIES` (default: none), and then
only its last address, the one that proxy added. Behind nginx, which talks HTTP to
gunicorn, REMOTE_ADDR is nginx's own address for every visitor: set
`LOOKUP_TRUSTED_PROXIES = ["127.0.0.1"]` with nginx's
`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`, or all visitors share one
count.
"""

import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

DEFAULT_LIMIT = 30
DEFAULT_WINDOW = 600  # seconds


def client_address(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    if address in getattr(settings, "LOOKUP_TRUSTED_PROXIES", ()):
        forwarded = request.headers.get("x-forwarded-for", "").split(",")[-1].strip()
        address = forwarded or address
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def count_lookup(request) -> int | None:
    """Count one lookup; return the seconds to wait if the client is over its limit."""
    limit = getattr(settings, "LOOKUP_RATE_LIMIT", DEFAULT_LIMIT)
    window = getattr(settings, "LOOKUP_RATE_WINDOW", DEFAULT_WINDOW)
    now = time.time()
    window_start = int(now // window) * window
    key = f"members:lookup:{client_address(request)}:{window_start}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        return max(1, math.ceil(window_start + window - now))
    return None


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
