"""The public pages of the review (trang công khai), under ``/cong-khai/``: no sign-in
(``review.public_views``)."""

from __future__ import annotations

from django.urls import path

from giamngheo.review import public_views

app_name = "review_public"

urlpatterns = [
    path("", public_views.index, name="index"),
    path("tra-cuu/", public_views.tracking, name="tracking"),
    path("<int:pk>/", public_views.posting, name="posting"),
    path("<int:pk>/danh-sach.pdf", public_views.posting_pdf, name="posting_pdf"),
    path("<int:pk>/gui-phan-anh/", public_views.complaint_submit, name="complaint"),
]
