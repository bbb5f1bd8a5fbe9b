"""URLs of the planning context's budget pages (included by ``planning.urls``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from giamngheo.planning import budget_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:plan_pk>/nguon-von/", views.budget, name="budget"),
    path("<int:plan_pk>/nguon-von/them/", views.funding_add, name="funding_add"),
    path("<int:plan_pk>/nguon-von/<int:pk>/sua/", views.funding_edit, name="funding_edit"),
]
