"""The client's address: one rule for the lockout, the audit trail and the lookup limit.

A request's ``REMOTE_ADDR`` is whoever opened the connection. Behind nginx that is nginx for
every visitor, and nginx names the visitor in ``X-Forwarded-For``. That header is written by
whoever sends the request, so it is believed only when the connection comes from one of the
proxies in ``settings.TRUSTED_PROXIES`` (addresses or networks, e.g. ``127.0.0.1`` when nginx
runs on the same machine). The header is read from its right end, where each trusted proxy
appended the address it saw, and the first address that is not a trusted proxy is the client.
What a client writes into the header itself stays to the left of that and is never read.

With no trusted proxy (the default, for development) the header is ignored altogether.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

IPV6_NETWORK_PREFIX = 64

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _parse(text: str) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket is the IPv4 client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: IPAddress) -> bool:
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    return any(address in network for network in networks)


def _client_ip(request) -> IPAddress | None:
    address = _parse(request.META.get("REMOTE_ADDR") or "")
    if address is None or not _is_trusted(address):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",") if forwarded else []):
        hop_address = _parse(hop)
        if hop_address is None:
            # A trusted proxy would not write this: keep the last address we can vouch for.
            break
        address = hop_address
        if not _is_trusted(address):
            break
    return address


def client_address(request) -> str:
    """The client's IP address as text ("" when the connection has none, e.g. a socket)."""
    if request is None:
        return ""
    address = _client_ip(request)
    return str(address) if address is not None else ""


def client_network(request) -> str:
    """The client's address for counting: an IPv6 client is its /64 network.

    One household, office or server holds a whole IPv6 /64 and can use any address in it,
    so limits count the network. It is returned as its first address (a valid IP address,
    which django-axes stores as one).
    """
    address = _client_ip(request) if request is not None else None
    if address is None:
        return ""
    if isinstance(address, ipaddress.IPv6Address):
        network = ipaddress.ip_network(f"{address}/{IPV6_NETWORK_PREFIX}", strict=False)
        return str(network.network_address)
    return str(address)
