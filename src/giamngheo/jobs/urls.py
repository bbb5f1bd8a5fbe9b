"""URLs of the background jobs pages, mounted at ``/cong-viec/`` (namespace ``jobs``)."""

from __future__ import annotations

from django.urls import path

from giamngheo.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("bat-dau/", views.job_start, name="start"),
    path("xuat-danh-sach-ho/", views.household_export_start, name="household_export"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/tai-ve/", views.job_download, name="download"),
]
