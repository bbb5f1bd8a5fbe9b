"""URLs of the REST API, mounted at ``/api/v1/`` (namespace ``api``)."""

from __future__ import annotations

from django.urls import path

from giamngheo.api.api import api

urlpatterns = [path("", api.urls)]
