"""URLs of the administrative map pages, mounted at ``/dia-ban/`` (namespace ``geo``)."""

from __future__ import annotations

from django.urls import path

from giamngheo.geo import views

app_name = "geo"

urlpatterns = [
    path("", views.index, name="index"),
    path("tinh/<str:code>/", views.province_detail, name="province"),
    path("xa/<str:code>/", views.commune_detail, name="commune"),
    path("xa/<str:code>/them-thon/", views.village_add, name="village_add"),
    path("thon/<int:pk>/doi-ten/", views.village_rename, name="village_rename"),
    path("thon/<int:pk>/dong/", views.village_close_view, name="village_close"),
]
