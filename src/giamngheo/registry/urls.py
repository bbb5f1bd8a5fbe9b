"""URLs of the household registry pages, mounted at ``/ho/`` (namespace ``registry``)."""

from __future__ import annotations

from django.urls import path

from giamngheo.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.household_list, name="list"),
    path("xuat.xlsx", views.household_export, name="export"),
    path("thon/", views.village_options, name="villages"),
    path("moi/", views.household_create, name="create"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/lich-su/", views.household_history, name="history"),
    path("<int:pk>/sua/", views.household_edit, name="edit"),
    path("<int:pk>/them-nhan-khau/", views.member_add, name="member_add"),
    path("<int:pk>/chu-ho/", views.household_set_head, name="set_head"),
    path("<int:pk>/tach-ho/", views.household_split, name="split"),
    path("<int:pk>/nhap-ho/", views.household_merge, name="merge"),
    path("<int:pk>/chuyen-di/", views.household_moved_out, name="moved_out"),
    path("nhan-khau/<int:pk>/sua/", views.member_edit, name="member_edit"),
    path("nhan-khau/<int:pk>/chuyen-ho/", views.member_move, name="member_move"),
    path("nhan-khau/<int:pk>/qua-doi/", views.member_death, name="member_death"),
    path("nhan-khau/<int:pk>/di-cu/", views.member_migration, name="member_migration"),
]
