"""Authentication of the REST API: the Django session (people in a browser) or an API token (programs).

:class:`TokenAuth` reads ``Authorization: Bearer gn_…``. A working token (not revoked, not expired, its
user active) makes the request the token's user's (``request.user``), so every territory rule of the
selectors applies unchanged: a token never reads more than its user would in the browser.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest
from ninja.security import HttpBearer

from giamngheo.api.models import ApiToken
from giamngheo.api.selectors import api_token_for_secret
from giamngheo.api.services import api_token_mark_used

log = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <secret>`` with a secret of :func:`giamngheo.api.services.api_token_create`."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = api_token_for_secret(token)
        if found is None:
            log.info("api token refused", extra={"path": request.path})
            return None
        request.user = found.user
        api_token_mark_used(token=found)
        return found
