"""Site-wide pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Home page (trang chủ): greets the user and lists the sections they can open."""
    return render(request, "site/home.html")
