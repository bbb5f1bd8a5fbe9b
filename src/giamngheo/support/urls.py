"""URLs of the support context, mounted at ``/ho-tro/`` (namespace ``support``)."""

from __future__ import annotations

from django.urls import include, path

app_name = "support"

urlpatterns = [
    path("", include("giamngheo.support.records_urls")),
    path("", include("giamngheo.support.helpers_urls")),
    path("", include("giamngheo.support.jobs_urls")),
    path("", include("giamngheo.support.coverage_urls")),
]
