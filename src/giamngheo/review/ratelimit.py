"""Rate limits of the public pages (giới hạn số lần gửi), per client IP, in Django's cache.

A fixed window per scope and client: the first attempt opens a counter that lives ``window`` seconds;
once ``limit`` attempts are counted, further ones are refused (HTTP 429) until the window closes.

The client is ``REMOTE_ADDR``. The settings hold no trusted-proxy option, so ``X-Forwarded-For`` is
never read (a client could set it to anything); behind a reverse proxy, the proxy must pass the real
address as ``REMOTE_ADDR`` (e.g. gunicorn's ``--forwarded-allow-ips`` with a WSGI middleware), or every
citizen shares the proxy's counter.

The counters live in the ``default`` cache. With the default local-memory cache each server process
counts on its own; a deployment with several processes should configure a shared cache (Redis,
Memcached or the database cache) so that the limits hold across them.

Settings (read with ``getattr``, with defaults): ``GIAMNGHEO_PUBLIC_RATE_LIMITS``, a dict of scope →
``(limit, window_seconds)``; the defaults are in :data:`DEFAULT_RATES`.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Final

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

log = logging.getLogger("giamngheo.review")

PREFIX: Final = "giamngheo:ratelimit:"


@dataclass(frozen=True)
class Rate:
    """At most ``limit`` attempts per ``window`` seconds."""

    limit: int
    window: int


DEFAULT_RATES: Final[dict[str, Rate]] = {
    "complaint_submit": Rate(5, 10 * 60),  # complaint or feedback submissions
    "complaint_track": Rate(30, 10 * 60),  # tracking-code lookups
}


def rate_for(scope: str) -> Rate:
    """The rate of ``scope``: ``GIAMNGHEO_PUBLIC_RATE_LIMITS[scope]`` if set, else the default."""
    configured = getattr(settings, "GIAMNGHEO_PUBLIC_RATE_LIMITS", {}) or {}
    if scope in configured:
        limit, window = configured[scope]
        return Rate(int(limit), int(window))
    return DEFAULT_RATES[scope]


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR`` only (see the module docstring)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _key(scope: str, ip: str) -> str:
    # hashed: any address fits the cache's key rules (memcached: no spaces, 250 characters)
    return PREFIX + scope + ":" + hashlib.sha256(ip.encode()).hexdigest()[:32]


def hit(request: HttpRequest, scope: str) -> bool:
    """Count one attempt of ``scope`` by this client; False when it is over the limit (refuse it)."""
    rate = rate_for(scope)
    key = _key(scope, client_ip(request))
    if cache.add(key, 1, timeout=rate.window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # the window closed between add() and incr()
            cache.add(key, 1, timeout=rate.window)
            count = 1
    if count > rate.limit:
        log.warning("public rate limit reached", extra={"scope": scope, "count": count})
        return False
    return True
