"""URLs of the planning context's budget pages (included by ``planning.urls``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
