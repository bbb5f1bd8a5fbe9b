"""URLs of the planning context's targets pages (included by ``planning.urls``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from giamngheo.planning import targets_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:plan_pk>/chi-tieu/", targets_views.targets, name="targets"),
    path("<int:plan_pk>/chi-tieu/them/", targets_views.target_add, name="target_add"),
    path("<int:plan_pk>/chi-tieu/<int:pk>/sua/", targets_views.target_edit, name="target_edit"),
    path("<int:plan_pk>/chi-tieu/<int:pk>/xoa/", targets_views.target_delete, name="target_delete"),
    path("<int:plan_pk>/chi-tieu/<int:pk>/phan-bo/", targets_views.targets_cascade, name="targets_cascade"),
]
