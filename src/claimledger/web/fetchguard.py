"""Which addresses the server may fetch from when a caller hands it a URL: public ones only (SSRF).

Owns `public_address` (the rule: not loopback, private, link-local, shared, reserved, multicast or
unspecified, also when an IPv4 address hides inside an IPv6 one), `public_url` (the scheme and every
address the host name resolves to; asked again on every redirect hop) and `public_only_transport`,
the httpx transport the server fetches through. That transport checks the address each TCP
connection is actually made to, at the moment it is made, and connects to that same address: a DNS
name that answers with a public address to `public_url` and a private one a moment later (DNS
rebinding) still cannot reach a private address.

With an explicit transport httpx ignores HTTP(S)_PROXY, so server-side fetches go direct; a proxy
would resolve names itself and make the connection check meaningless.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlparse

import httpcore
import httpx

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(ip: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo, NAT64), which is where it leads."""
    if ip.version != 6:
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
    return None


def public_address(address: str | Address) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0]) if isinstance(address, str) else address
    inner = _embedded_ipv4(ip)
    if inner is not None and not public_address(inner):
        return False
    # is_global is false for loopback, RFC 1918, link-local (169.254.169.254, the cloud metadata
    # address, included), 100.64/10, fc00::/7, fe80::/10, documentation and reserved ranges
    return ip.is_global and not ip.is_multicast and not ip.is_unspecified


def resolve(host: str, port: int | None = None) -> list[str]:
    """Every address a host name resolves to (an IP literal resolves to itself); [] when it does not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        return []
    return list(dict.fromkeys(info[4][0] for info in infos))


def public_url(url: str) -> bool:
    """http(s) to a host whose every address is public."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return False
    addresses = resolve(parsed.hostname)
    return bool(addresses) and all(public_address(a) for a in addresses)


class RefusedAddress(httpcore.ConnectError):
    """A connection to a non-public address was refused (httpx reports it as a ConnectError)."""


class _PublicOnlyBackend(httpcore.NetworkBackend):
    """Resolves the host once, refuses when any address is not public, and connects to the checked
    addresses themselves, never to the name again."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = resolve(host, port)
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}")
        refused = [a for a in addresses if not public_address(a)]
        if refused:
            raise RefusedAddress(f"refused to connect to {host} at {refused[0]}: not a public address")
        error: Exception | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as failed:  # the next address, as a resolver-driven connect would
                error = failed
        raise error  # type: ignore[misc]

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise RefusedAddress("refused to connect to a unix socket")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def public_only_transport() -> httpx.HTTPTransport:
    """An httpx transport that can only connect to public addresses (TLS still verifies the name)."""
    transport = httpx.HTTPTransport()
    # httpx (pinned 0.28) offers no public way to choose the network backend; the pool it built is
    # replaced by the same kind of pool on the checking backend. tests/web/test_security.py fails
    # if an upgrade breaks this.
    transport._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), network_backend=_PublicOnlyBackend())
    return transport
