"""The API tokens page (khóa truy cập API), ``/api/tokens/`` (namespace ``api_pages``): a signed-in user
lists their tokens, creates one (its secret is shown on the answer to the POST, once, never again) and
revokes one after confirming. Views parse, call one service, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from giamngheo.accounts.models import User
from giamngheo.api.api import DOCS_URL
from giamngheo.api.forms import TokenCreateForm, add_service_error
from giamngheo.api.models import ApiToken
from giamngheo.api.selectors import api_token_of, api_tokens_of
from giamngheo.api.services import api_token_create, api_token_revoke


class AuthenticatedRequest(HttpRequest):
    user: User


def _state(token: ApiToken, now: dt.datetime) -> str:
    if token.revoked_at is not None:
        return _("Đã thu hồi")
    if token.is_expired(now):
        return _("Đã hết hạn")
    return _("Đang dùng")


def _page(
    request: AuthenticatedRequest,
    form: TokenCreateForm,
    *,
    created: ApiToken | None = None,
    secret: str = "",
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    tokens = [
        {"token": t, "state": _state(t, now), "usable": t.is_usable(now)}
        for t in api_tokens_of(viewer=request.user)
    ]
    context = {
        "form": form,
        "tokens": tokens,
        "created": created,
        "secret": secret,
        "summary_url": request.build_absolute_uri(reverse("api:report_summary")),
        "docs_url": reverse("api:openapi-view") if DOCS_URL is not None else "",
    }
    return render(request, "api/tokens.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request: AuthenticatedRequest) -> HttpResponse:
    """Khóa truy cập API: the user's tokens and the form to create one. The answer to a successful POST
    shows the new secret once; it is not stored and no page shows it again."""
    if request.method != "POST":
        return _page(request, TokenCreateForm())
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            token, secret = api_token_create(
                user=request.user, name=form.cleaned_data["name"], expires_at=form.expiry()
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _page(request, TokenCreateForm(), created=token, secret=secret)
    return _page(request, form, status=400)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Thu hồi khóa: a confirmation page (GET), then the revocation (POST). Someone else's token is a 404."""
    token = api_token_of(viewer=request.user, pk=pk)
    if token is None:
        raise Http404(_("Không có khóa truy cập này."))
    if request.method == "POST":
        try:
            api_token_revoke(token=token, actor=request.user)
        except (PermissionDenied, ValidationError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, text)
        else:
            messages.success(
                request, _("Đã thu hồi khóa “{name}”: khóa không dùng được nữa.").format(name=token.name)
            )
        return redirect("api_pages:tokens")
    return render(request, "api/token_revoke.html", {"token": token})
