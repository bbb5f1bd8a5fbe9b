"""The public posting page (niêm yết công khai), under ``/cong-khai/``: no sign-in."""

from __future__ import annotations

from django.urls import path

from giamngheo.review import document_views, views

app_name = "review_public"

urlpatterns = [
    path("<int:pk>/", views.public_posting, name="posting"),
    path("<int:pk>/danh-sach.pdf", document_views.public_posting_pdf, name="posting_pdf"),
]
