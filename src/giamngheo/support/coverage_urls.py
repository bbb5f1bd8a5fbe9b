"""URLs of the coverage pages of the support context (included by ``support.urls``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from giamngheo.support import coverage_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("do-bao-phu/", views.coverage_page, name="coverage"),
    path("do-bao-phu/xuat.xlsx", views.coverage_export, name="coverage_export"),
    path("do-bao-phu/the/", views.coverage_card, name="coverage_card"),
    path("thieu-ho-tro/", views.gap_list, name="coverage_gaps"),
    path("thieu-ho-tro/xuat.xlsx", views.gap_export, name="coverage_gaps_export"),
    path("ngoai-dien/", views.ineligible_list, name="coverage_ineligible"),
    path("ngoai-dien/xuat.xlsx", views.ineligible_export, name="coverage_ineligible_export"),
]
