"""URLs of the dashboards, under ``/bao-cao/bang-dieu-khien/`` (namespace ``reports``)."""

from __future__ import annotations

from django.urls import path

from giamngheo.reports import dashboard_views as views

urlpatterns = [
    path("", views.dashboard_home, name="dashboard"),
    path("tinh/<str:code>/", views.province_dashboard, name="dashboard_province"),
    path("xa/<int:pk>/", views.commune_dashboard, name="dashboard_commune"),
    path("thon/<int:pk>/", views.village_dashboard, name="dashboard_village"),
]
