"""Which URLs we request: https, a host on the family's allowlist, never a private or loopback address."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Collection
from urllib.parse import urlsplit

from mixedflows.acquire.errors import UnsafeUrlError


def check_url(url: str, allowed_hosts: Collection[str], *, allow_private: bool = False) -> str:
    """The URL itself when we may request it; `UnsafeUrlError` saying why not otherwise.

    Plain http is refused except to a private or loopback address that `allow_private` allows
    (a test server or a local mirror): the publishers serve https, and a downgrade is a red flag.

    Parameters
    ----------
    url
        An absolute URL.
    allowed_hosts
        Host names allowed exactly (no sub-domains): a redirect to another host is refused.
    allow_private
        Allow private, loopback and link-local addresses (tests, local mirrors).
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        raise UnsafeUrlError(f"{url}: not an absolute http(s) URL")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrlError(f"{url}: URLs with credentials are refused")
    if host not in {h.lower() for h in allowed_hosts}:
        raise UnsafeUrlError(f"{url}: host {host} is not on the allowlist ({', '.join(sorted(allowed_hosts))})")
    private = _is_private_host(host, resolve=not allow_private)
    if private and not allow_private:
        raise UnsafeUrlError(f"{url}: {host} is a private or loopback address (refused unless explicitly allowed)")
    if parts.scheme == "http" and not (allow_private and private):
        raise UnsafeUrlError(f"{url}: plain http is refused; the publishers serve https")
    return url


def _is_private_host(host: str, *, resolve: bool) -> bool:
    """True for a private/loopback/link-local/reserved address, `localhost`, or a name resolving to one."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return _is_private_address(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        pass
    if not resolve:
        return False
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        # Unresolvable: the request itself will fail with a clearer "connection failed".
        return False
    return any(_is_private_address(ipaddress.ip_address(info[4][0].split("%")[0])) for info in infos)


def _is_private_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )
