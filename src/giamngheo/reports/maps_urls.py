"""URLs of the map page (``/bao-cao/ban-do/``, namespace ``reports``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from giamngheo.reports import map_views

urlpatterns: list[URLPattern] = [
    path("", map_views.map_page, name="map"),
]
