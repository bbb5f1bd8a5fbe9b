"""URLs of the support context's jobs pages (included by ``support.urls``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from giamngheo.support import jobs_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("viec-lam/", views.opening_list, name="openings"),
    path("viec-lam/them/", views.opening_add, name="opening_add"),
    path("viec-lam/<int:pk>/", views.opening_detail, name="opening_detail"),
    path("viec-lam/<int:pk>/sua/", views.opening_edit, name="opening_edit"),
    path("viec-lam/nguoi-tim-viec/", views.seeker_list, name="seekers"),
    path("viec-lam/nguoi-tim-viec/them/", views.seeker_add, name="seeker_add"),
    path("viec-lam/nguoi-tim-viec/<int:pk>/", views.seeker_detail, name="seeker_detail"),
    path("viec-lam/nguoi-tim-viec/<int:pk>/sua/", views.seeker_edit, name="seeker_edit"),
    path("viec-lam/nhan-viec/", views.placement_add, name="placement_add"),
    path("viec-lam/ty-le/", views.placement_rate, name="placement_rate"),
]
