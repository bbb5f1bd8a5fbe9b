"""The plumbing of list pages (danh sách): a page of rows with the query string kept for the pager, the
whole page or only its table for an htmx request, and the filtered list as an Excel download.

Each view keeps what is its own (the filter form, the selector, the templates, the columns); the page
parameter (``trang``), the page size and the rule for answering with the table only are the same on
every list. The pager is ``site/_pager.html``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, Final

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

PAGE_SIZE: Final = 50
PAGE_PARAM: Final = "trang"
XLSX_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def query_without(request: HttpRequest, *names: str) -> str:
    """The request's query string without ``names`` (the pager links add their own page number)."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def paginated(request: HttpRequest, items: QuerySet[Any] | Sequence[Any]) -> dict[str, Any]:
    """The context of a table's page: ``page`` (``?trang=``, :data:`PAGE_SIZE` rows), ``count`` (all
    rows) and ``query`` (the query string without the page number)."""
    paginator = Paginator(items, PAGE_SIZE)
    page = paginator.get_page(request.GET.get(PAGE_PARAM))
    return {"page": page, "count": paginator.count, "query": query_without(request, PAGE_PARAM)}


def wants_table_only(request: HttpRequest) -> bool:
    """An htmx request made by the list itself (a filter, a pager link): answer with the table. A boosted
    link or a history restore gets the whole page."""
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def list_response(request: HttpRequest, context: dict[str, Any], *, page: str, table: str) -> HttpResponse:
    """The whole list page (template ``page``), or only its table (``table``) for :func:`wants_table_only`."""
    return render(request, table if wants_table_only(request) else page, context)


def xlsx_download(content: bytes, filename: str) -> FileResponse:
    """An Excel workbook (``.xlsx`` bytes) as a download named ``filename``."""
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX_TYPE)


__all__ = [
    "PAGE_PARAM",
    "PAGE_SIZE",
    "XLSX_TYPE",
    "list_response",
    "paginated",
    "query_without",
    "wants_table_only",
    "xlsx_download",
]
