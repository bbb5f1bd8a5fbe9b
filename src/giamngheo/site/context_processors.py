"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest

from giamngheo.registry.permissions import registry_refusal


def navigation(request: HttpRequest) -> dict[str, bool]:
    """Which sections the main navigation offers: only those the user's role may open (a leader, who
    reads aggregates only, is not offered the household registry)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_registry": False}
    return {"nav_registry": registry_refusal(user) is None}
