"""URLs of the review pages, under ``/ra-soat/`` (namespace ``review``)."""

from __future__ import annotations

from django.urls import path

from giamngheo.review import document_views, views

app_name = "review"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("tao/", views.round_create, name="create"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/ho/", views.round_households, name="households"),
    path("<int:pk>/de-nghi/", views.application, name="application"),
    path("<int:pk>/ho/<int:entry_pk>/phieu-a/", views.phieu_a, name="phieu_a"),
    path("<int:pk>/ho/<int:entry_pk>/phieu-b/", views.survey, name="survey"),
    path("<int:pk>/ho/<int:entry_pk>/ket-qua/", views.result, name="result"),
    path("<int:pk>/khieu-nai/", views.complaints, name="complaints"),
    path("<int:pk>/bien-dong/", views.transitions, name="transitions"),
    path("<int:pk>/lich-su/", views.round_history, name="history"),
    path("<int:pk>/ho/<int:entry_pk>/lich-su/", views.entry_history, name="entry_history"),
    # documents (document_views): village_pk 0 = the listed households without a village
    path(
        "<int:pk>/thon/<int:village_pk>/phieu-b.xlsx",
        document_views.survey_template_download,
        name="survey_template",
    ),
    path("<int:pk>/thon/<int:village_pk>/tai-len/", document_views.survey_upload, name="survey_upload"),
    path("<int:pk>/giay-chung-nhan.pdf", document_views.certificates, name="certificates"),
    path("<int:pk>/danh-sach-niem-yet.pdf", document_views.posting_pdf, name="posting_pdf"),
    path("<int:pk>/ho/<int:entry_pk>/giay-chung-nhan.pdf", document_views.certificate, name="certificate"),
    path("<int:pk>/ket-qua.xlsx", document_views.results_export, name="results_export"),
    path("<int:pk>/bien-dong.xlsx", document_views.transitions_export, name="transitions_export"),
]
