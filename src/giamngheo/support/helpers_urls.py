"""URLs of the support context's helpers pages (included by ``support.urls``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
