"""URLs of the planning context's tasks pages (included by ``planning.urls``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
