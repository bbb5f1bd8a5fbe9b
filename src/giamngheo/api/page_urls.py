"""URLs of the API pages for people, mounted at ``/api/`` (namespace ``api_pages``): the tokens page.
The API itself is at ``/api/v1/`` (``urls.py``, namespace ``api``)."""

from __future__ import annotations

from django.urls import path

from giamngheo.api import views

app_name = "api_pages"

urlpatterns = [
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
