"""The site's error pages: Vietnamese, with the refusal's reason, never a traceback."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.views import defaults


@pytest.fixture
def request_factory() -> RequestFactory:
    return RequestFactory()


def test_403_shows_the_reason(request_factory: RequestFactory) -> None:
    request = request_factory.get("/ho/1/")
    request.user = AnonymousUser()
    response = defaults.permission_denied(request, PermissionDenied("Hộ này thuộc thôn khác."))
    body = response.content.decode()
    assert response.status_code == 403
    assert "Không có quyền truy cập" in body
    assert "Hộ này thuộc thôn khác." in body


def test_404_does_not_echo_the_exception(request_factory: RequestFactory) -> None:
    request = request_factory.get("/ho/999999/")
    request.user = AnonymousUser()
    response = defaults.page_not_found(request, Http404("No Household matches the given query."))
    body = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in body
    assert "No Household matches" not in body


def test_500_is_plain_and_bilingual(request_factory: RequestFactory) -> None:
    response = defaults.server_error(request_factory.get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Đã xảy ra lỗi hệ thống" in body
    assert "A server error occurred" in body
