"""URLs of the support context's records and policy pages (included by ``support.urls``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from giamngheo.support import index_views
from giamngheo.support import records_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", index_views.support_index, name="index"),
    path("chinh-sach/", views.policy_list, name="policies"),
    path("chinh-sach/them/", views.policy_add, name="policy_add"),
    path("chinh-sach/<int:pk>/", views.policy_detail, name="policy_detail"),
    path("chinh-sach/<int:pk>/sua/", views.policy_edit, name="policy_edit"),
    path("da-ho-tro/", views.records, name="records"),
    path("da-ho-tro/xuat.xlsx", views.records_export, name="records_export"),
    path("da-ho-tro/ghi-nhan/", views.record_add, name="record_add"),
    path("da-ho-tro/kiem-tra/", views.record_check, name="record_check"),
    path("da-ho-tro/tai-len/", views.upload, name="upload"),
    path("da-ho-tro/mau.xlsx", views.upload_template_view, name="upload_template"),
    path("da-ho-tro/<int:pk>/", views.record_detail, name="record_detail"),
    path("da-ho-tro/<int:pk>/huy/", views.record_cancel, name="record_cancel"),
    path("da-ho-tro/ho/<int:pk>/", views.household_support, name="household_support"),
]
