"""Site-wide pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from giamngheo.accounts.models import User
from giamngheo.site.home import home_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Home page (trang chủ): greets the user, lists the sections they can open with the figures of
    their territory."""
    assert isinstance(request.user, User)  # login_required
    return render(request, "site/home.html", {"home": home_for(request.user)})
