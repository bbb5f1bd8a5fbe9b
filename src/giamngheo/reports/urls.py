"""URLs of the reports context (``/bao-cao/``); each part of the context keeps its own URL module."""

from __future__ import annotations

from django.urls import include, path

app_name = "reports"

urlpatterns = [
    path("", include("giamngheo.reports.forms_urls")),
    path("ban-do/", include("giamngheo.reports.maps_urls")),
    path("so-sanh-chuan/", include("giamngheo.reports.compare_urls")),
    path("bang-dieu-khien/", include("giamngheo.reports.dashboard_urls")),
]
