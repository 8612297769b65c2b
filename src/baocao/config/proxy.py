"""The client's address behind a reverse proxy, trusted only from the proxies named in
``BAOCAO_TRUSTED_PROXIES`` (addresses or networks). Without that setting ``X-Forwarded-*`` headers are
ignored: anyone can send them, and trusting them would let a guesser pick the address the sign-in lockout
counts.

The middleware rewrites ``REMOTE_ADDR`` once, early, so that django-axes (through ``client_ip``), the logs and
every view see the same address; from an untrusted peer it removes the forwarded headers, so that
``SECURE_PROXY_SSL_HEADER`` cannot be spoofed either.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

__all__ = ["TrustedProxyMiddleware", "client_ip", "forwarded_client"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def forwarded_client(peer: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    """The rightmost address in ``X-Forwarded-For`` that is not a trusted proxy (proxies append the address
    they received from; anything left of an untrusted hop may be invented by the client)."""
    if not _trusted(peer, networks):
        return peer
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer
    return peer


def client_ip(request: HttpRequest) -> str:
    """The address django-axes counts failed sign-ins by (settings.AXES_CLIENT_IP_CALLABLE)."""
    networks = _networks(tuple(settings.BAOCAO_TRUSTED_PROXIES))
    peer = request.META.get("BAOCAO_PEER_ADDR", request.META.get("REMOTE_ADDR", ""))
    return forwarded_client(peer, request.META.get("HTTP_X_FORWARDED_FOR", ""), networks)


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        networks = _networks(tuple(settings.BAOCAO_TRUSTED_PROXIES))
        peer = request.META.get("REMOTE_ADDR", "")
        if _trusted(peer, networks):
            request.META["BAOCAO_PEER_ADDR"] = peer
            request.META["REMOTE_ADDR"] = client_ip(request)
        else:
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
