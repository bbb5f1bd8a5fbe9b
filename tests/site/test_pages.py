"""The page guard: sign-in, a refusal said in words on the context's refusal page, ``PermissionDenied``."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.test import RequestFactory

from giamngheo.site.pages import guarded, refusal_page
from tests.accounts.factories import user_factory

pytestmark = pytest.mark.django_db

refused = refusal_page("registry/refused.html")


def _request(user: object) -> HttpRequest:
    request = RequestFactory().get("/trang/")
    request.user = user  # type: ignore[assignment]
    return request


def _html(response: HttpResponseBase) -> str:
    assert isinstance(response, HttpResponse)
    return response.content.decode()


def _closed(request: HttpRequest) -> str | None:
    return "Đợt rà soát đã khóa." if request.GET.get("khoa") else None


@guarded(_closed, refused)
def _page(request: HttpRequest) -> HttpResponse:
    if request.GET.get("cam"):
        raise PermissionDenied("Ngoài địa bàn của bạn.")
    return HttpResponse("nội dung")


def test_a_visitor_is_sent_to_sign_in() -> None:
    response = _page(_request(AnonymousUser()))
    assert response.status_code == 302
    assert "next=/trang/" in response["Location"]


def test_a_refusal_and_a_permission_denied_show_the_reason_with_a_403() -> None:
    user = user_factory()
    assert _html(_page(_request(user))) == "nội dung"
    for query, reason in (({"khoa": "1"}, "Đợt rà soát đã khóa."), ({"cam": "1"}, "Ngoài địa bàn của bạn.")):
        request = RequestFactory().get("/trang/", query)
        request.user = user
        response = _page(request)
        assert response.status_code == 403
        assert "Không thể mở trang này" in _html(response)
        assert reason in _html(response)


def test_the_refusal_page_takes_another_status() -> None:
    response = refused(_request(user_factory()), "Hộ đã chuyển đi.", status=409)
    assert response.status_code == 409
    assert "Hộ đã chuyển đi." in _html(response)
