"""URLs of the planning context's plans pages (included by ``planning.urls``): plans, the plan-document
import and the agencies of a unit."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from giamngheo.planning import agencies_views, plans_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", plans_views.plans, name="plans"),
    path("moi/", plans_views.plan_create, name="plan_create"),
    path("nhap/", plans_views.plan_import, name="plan_import"),
    path("nhap/<str:token>/", plans_views.plan_import_draft, name="plan_import_draft"),
    path("nhap/<str:token>/ket-qua/", plans_views.plan_import_result, name="plan_import_result"),
    path("<int:pk>/", plans_views.plan_detail, name="plan_detail"),
    path("<int:pk>/sua/", plans_views.plan_edit, name="plan_edit"),
    path("co-quan/", agencies_views.agencies, name="agencies"),
    path("co-quan/them/", agencies_views.agency_add, name="agency_add"),
    path("co-quan/mau/", agencies_views.agencies_seed, name="agencies_seed"),
    path("co-quan/<int:pk>/sua/", agencies_views.agency_edit, name="agency_edit"),
    path("co-quan/<int:pk>/can-bo/", agencies_views.agency_members, name="agency_members"),
]
