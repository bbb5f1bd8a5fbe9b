"""The list plumbing: a page of 50 with the query string kept, the table alone for the list's own htmx."""

from __future__ import annotations

from django.http import HttpRequest
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from giamngheo.site.lists import PAGE_SIZE, paginated, query_without, wants_table_only, xlsx_download


def _get(path: str, **headers: str) -> HttpRequest:
    request = RequestFactory().get(path, headers=headers)
    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
    return request


def test_a_page_keeps_the_filters_and_drops_the_page_number() -> None:
    request = RequestFactory().get("/ho/", {"q": "nguyen", "trang": "3", "commune": "7"})
    assert query_without(request, "trang") == "q=nguyen&commune=7"
    listing = paginated(request, list(range(2 * PAGE_SIZE + 1)))
    assert listing["count"] == 2 * PAGE_SIZE + 1
    assert listing["page"].number == 3
    assert list(listing["page"].object_list) == [2 * PAGE_SIZE]
    assert listing["query"] == "q=nguyen&commune=7"


def test_only_the_lists_own_htmx_requests_get_the_table_alone() -> None:
    assert not wants_table_only(_get("/ho/"))
    assert wants_table_only(_get("/ho/", HX_Request="true"))
    assert not wants_table_only(_get("/ho/", HX_Request="true", HX_Boosted="true"))
    assert not wants_table_only(_get("/ho/", HX_Request="true", HX_History_Restore_Request="true"))


def test_a_workbook_is_downloaded_under_its_name() -> None:
    response = xlsx_download(b"PK-bytes", "danh-sach-ho-20261127.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="danh-sach-ho-20261127.xlsx"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"PK-bytes"  # type: ignore[arg-type]
