"""URLs of the standard report forms (``/bao-cao/``, namespace ``reports``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from giamngheo.reports import form_views

urlpatterns: list[URLPattern] = [
    path("", form_views.index, name="index"),
    path("bieu/<slug:code>/<slug:unit>/<int:year>/", form_views.form_preview, name="form"),
    path(
        "bieu/<slug:code>/<slug:unit>/<int:year>/tai-ve.<slug:fmt>",
        form_views.form_download,
        name="form_download",
    ),
]
