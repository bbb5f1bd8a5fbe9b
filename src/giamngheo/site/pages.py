"""What every page of the site does before its own work: sign-in, a refusal said in words, and the
page that says it.

A context makes its refusal page by extending ``site/refused.html`` (its own link back in the ``back``
block) and its page guard with :func:`guarded`: the reason comes from the context's permission rules,
never from here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from giamngheo.accounts.models import User

View = Callable[..., HttpResponseBase]


class HtmxHttpRequest(HttpRequest):
    """A signed-in request as the views see it (``django_htmx`` attaches ``htmx``)."""

    htmx: HtmxDetails
    user: User


class Refuse(Protocol):
    def __call__(self, request: HttpRequest, reason: str, *, status: int = ...) -> HttpResponse: ...


def refusal_page(template: str) -> Refuse:
    """The function that answers with ``template`` (a page extending ``site/refused.html``) saying
    ``reason``, with status 403 unless told."""

    def refused(request: HttpRequest, reason: str, *, status: int = 403) -> HttpResponse:
        return render(request, template, {"reason": reason}, status=status)

    return refused


def guarded(refusal: Callable[[HttpRequest], str | None] | None, refuse: Refuse) -> Callable[[View], View]:
    """A decorator: sign-in required; ``refusal(request)`` (when given) says why the page is refused, or
    ``None``; a ``PermissionDenied`` raised by the view is refused the same way, with its message."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            reason = refusal(request) if refusal is not None else None
            if reason is not None:
                return refuse(request, reason)
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied as error:
                return refuse(request, str(error) or _("Bạn không có quyền thực hiện thao tác này."))

        return wrapper

    return decorator


__all__ = ["HtmxHttpRequest", "Refuse", "View", "guarded", "refusal_page"]
