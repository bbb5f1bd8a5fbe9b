"""URLs of the review pages, under ``/ra-soat/`` (namespace ``review``)."""

from __future__ import annotations

from django.urls import path

from giamngheo.review import views

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
]
