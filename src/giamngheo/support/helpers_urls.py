"""URLs of the support context's helpers pages (included by ``support.urls``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from giamngheo.support import helpers_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("giup-do/", views.helper_list, name="helpers"),
    path("giup-do/xuat.xlsx", views.helper_export, name="helpers_export"),
    path("giup-do/chua-co/", views.without_helper, name="without_helper"),
    path("giup-do/cua-toi/", views.my_households, name="my_households"),
    path("giup-do/ho/<int:household>/phan-cong/", views.helper_assign, name="helper_assign"),
    path("giup-do/<int:pk>/", views.helper_detail, name="helper_detail"),
    path("giup-do/<int:pk>/tham-ho/", views.helper_visit, name="helper_visit"),
    path("giup-do/<int:pk>/ket-thuc/", views.helper_end, name="helper_end"),
]
