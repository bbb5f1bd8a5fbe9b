"""Views of the standards pages: parse the request, call one function, render.

The list and detail pages present :mod:`giamngheo.standards` through :mod:`.presentation`; the try page
runs :mod:`.trial`, rendering the whole page or, for an htmx post, only the result partial.
"""

from __future__ import annotations

from typing import Final

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django_htmx.middleware import HtmxDetails

from giamngheo.site.standards.forms import TryForm, UploadLimitHandler, initial_choice, upload_limit
from giamngheo.site.standards.presentation import detail_context, standard_cards
from giamngheo.site.standards.sample import sample_workbook
from giamngheo.site.standards.trial import TryOutcome, exported_file, try_context, try_outcome
from giamngheo.standards import StandardError, get_standard

XLSX_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@login_required
def standard_list(request: HttpRequest) -> HttpResponse:
    """Danh sách chuẩn nghèo: every shipped standard, the one in force today first in the eye."""
    today = timezone.localdate()
    return render(request, "site/standards/list.html", {"cards": standard_cards(today), "today": today})


@login_required
def standard_detail(request: HttpRequest, standard_id: str) -> HttpResponse:
    """Một chuẩn nghèo: legal basis, validity, the rule in words, lines, indicators and their sources."""
    try:
        standard = get_standard(standard_id)
    except StandardError:
        raise Http404(standard_id) from None
    return render(request, "site/standards/detail.html", detail_context(standard, timezone.localdate()))


@login_required
@csrf_exempt  # the CSRF check runs in _try_classification, after the upload limit is installed
def try_classification(request: HtmxHttpRequest) -> HttpResponse:
    """Phân loại thử: classify uploaded facts under a chosen standard, nothing stored.

    The same view renders the whole page or, for an htmx post, only the result partial.
    """
    handler = UploadLimitHandler(request, upload_limit())
    request.upload_handlers = [handler, *request.upload_handlers]
    return _try_classification(request, handler)


@csrf_protect
def _try_classification(request: HtmxHttpRequest, handler: UploadLimitHandler) -> HttpResponse:
    outcome: TryOutcome | None = None
    if request.method == "POST":
        form = TryForm(request.POST, request.FILES)
        outcome = try_outcome(request, form, handler)
    else:
        form = TryForm(initial=initial_choice(request.GET.get("chuan", ""), timezone.localdate()))
    context = try_context(form, outcome)
    if request.htmx:
        return render(request, "site/standards/_try_result.html", context)
    return render(request, "site/standards/try.html", context)


@login_required
def try_download(request: HttpRequest, token: str) -> FileResponse:
    """Serve a results workbook, only to the session that created it."""
    found = exported_file(request.session, token)
    if found is None:
        raise Http404(token)
    path, filename = found
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename, content_type=XLSX_TYPE)


@login_required
def try_sample(request: HttpRequest) -> HttpResponse:
    """mau.xlsx: the sample facts to download, fill in and upload."""
    response = HttpResponse(sample_workbook(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau.xlsx"'
    return response
