"""Request middleware for the site."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Vietnamese first: the language is the one the user picked (cookie), else ``LANGUAGE_CODE``.

    Django's own middleware would also follow the browser's ``Accept-Language``, so an officer whose
    browser happens to be set to English would get an English interface they never asked for. We only
    switch when the user presses the language switcher (``i18n/setlang/``).
    """

    def process_request(self, request: HttpRequest) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = translation.get_supported_language_variant(language)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
