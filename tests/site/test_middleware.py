import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import translation

from giamngheo.site.middleware import LocaleMiddleware


def _language(request: HttpRequest) -> str:
    LocaleMiddleware(lambda request: HttpResponse()).process_request(request)
    return request.LANGUAGE_CODE


@pytest.mark.parametrize(
    ("cookie", "accept_language", "expected"),
    [
        (None, None, "vi"),
        (None, "en-US,en;q=0.9", "vi"),
        ("en", None, "en"),
        ("en", "vi", "en"),
        ("vi", "en", "vi"),
        ("fr", "en", "vi"),
        ("en-gb", None, "en"),
    ],
)
def test_language_comes_from_the_cookie_only(
    rf: RequestFactory, cookie: str | None, accept_language: str | None, expected: str
) -> None:
    request = rf.get("/", headers={"accept-language": accept_language} if accept_language else {})
    if cookie:
        request.COOKIES["django_language"] = cookie
    with translation.override(None):
        assert _language(request) == expected
