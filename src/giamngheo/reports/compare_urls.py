"""``/bao-cao/so-sanh-chuan/``: compare two poverty standards on a review round's facts."""

from __future__ import annotations

from django.urls import URLPattern, path

from giamngheo.reports import compare_views

urlpatterns: list[URLPattern] = [
    path("", compare_views.compare_page, name="compare"),
]
