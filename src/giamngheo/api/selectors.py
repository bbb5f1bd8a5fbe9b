"""Reads of the API context: a user's tokens, and the token a request presents."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.api.models import ApiToken
from giamngheo.api.services import SECRET_PREFIX, secret_hash

#: Longer than any secret ``api_token_create`` makes (``gn_`` + 43 characters): not looked up.
MAX_SECRET_LENGTH = 200


def api_tokens_of(*, viewer: User) -> QuerySet[ApiToken]:
    """The viewer's own tokens, newest first (a system administrator sees others' in the admin)."""
    return ApiToken.objects.filter(user=viewer).order_by("-created_at", "-pk")


def api_token_of(*, viewer: User, pk: int) -> ApiToken | None:
    """One of the viewer's own tokens, else ``None`` (a 404)."""
    return api_tokens_of(viewer=viewer).filter(pk=pk).first()


def api_token_for_secret(secret: str) -> ApiToken | None:
    """The working token whose secret is ``secret``, with its user: not revoked, not expired, its user
    active. ``None`` for anything else (unknown, malformed, revoked, expired, inactive user)."""
    secret = secret.strip()
    if not secret.startswith(SECRET_PREFIX) or len(secret) > MAX_SECRET_LENGTH:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=secret_hash(secret)).first()
    if token is None or not token.is_usable(timezone.now()) or not token.user.is_active:
        return None
    return token
