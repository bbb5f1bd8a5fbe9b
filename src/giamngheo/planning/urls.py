"""URLs of the planning context, mounted at ``/ke-hoach/`` (namespace ``planning``)."""

from __future__ import annotations

from django.urls import include, path

app_name = "planning"

urlpatterns = [
    path("", include("giamngheo.planning.plans_urls")),
    path("", include("giamngheo.planning.targets_urls")),
    path("", include("giamngheo.planning.tasks_urls")),
    path("", include("giamngheo.planning.budget_urls")),
]
