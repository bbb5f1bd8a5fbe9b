"""Writes of the API context: creating and revoking API tokens (khóa truy cập API), each with an audit
row, and noting when a token was last used.

The secret of a token is ``gn_`` followed by :func:`secrets.token_urlsafe` of 32 bytes (256 random
bits); only its SHA-256 is stored (:func:`secret_hash`), so a copy of the database gives nobody a
working token. Neither the secret nor its hash ever goes into an audit row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.models import User
from giamngheo.accounts.permissions import can_manage_users
from giamngheo.accounts.services import audit_record
from giamngheo.api.models import ApiAuditAction, ApiToken

SECRET_PREFIX: Final = "gn_"
PREFIX_LENGTH: Final = 8
#: Tokens a user may hold at once (not revoked, not expired): enough for every program of a unit.
MAX_ACTIVE_TOKENS: Final = 20
#: ``last_used_at`` is written at most this often (one UPDATE a minute per token, not one per request).
LAST_USED_PRECISION: Final = dt.timedelta(minutes=1)


def secret_hash(secret: str) -> str:
    """The stored form of a secret: its SHA-256 in hex (64 characters)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _audit_values(token: ApiToken) -> dict[str, object]:
    return {
        "user": token.user_id,
        "name": token.name,
        "prefix": token.prefix,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
    }


@transaction.atomic(durable=True)
def api_token_create(*, user: User, name: str, expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """Create an API token for ``user`` (who creates it for themselves) and return it with its secret.

    The secret is returned once and never stored: show it to the user now. Refused (``PermissionDenied``)
    for an inactive account; ``ValidationError`` for an empty name, an expiry in the past, or more than
    :data:`MAX_ACTIVE_TOKENS` working tokens.
    """
    if not user.is_active:
        raise PermissionDenied(_("Tài khoản của bạn đã bị khóa."))
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ValidationError({"expires_at": _("Thời điểm hết hạn đã qua; hãy chọn ngày từ hôm nay trở đi.")})
    active = (
        ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .count()
    )
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _(
                "Bạn đã có {count} khóa đang dùng; hãy thu hồi khóa không còn dùng trước khi tạo khóa mới."
            ).format(count=active)
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=secret[:PREFIX_LENGTH],
        key_hash=secret_hash(secret),
        created_at=now,
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    audit_record(
        actor=user, action=ApiAuditAction.API_TOKEN_CREATED, target=token, after=_audit_values(token)
    )
    return token, secret


@transaction.atomic(durable=True)
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke a token (thu hồi khóa): it stops working at once. By its user or a system administrator;
    anyone else gets ``PermissionDenied``; a token already revoked, ``ValidationError``."""
    if actor.pk != token.user_id and not (actor.is_active and can_manage_users(actor)):
        raise PermissionDenied(_("Bạn chỉ được thu hồi khóa truy cập của chính mình."))
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("Khóa “{name}” đã bị thu hồi trước đó.").format(name=locked.name))
    before = _audit_values(locked)
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=ApiAuditAction.API_TOKEN_REVOKED,
        target=locked,
        before=before,
        after=_audit_values(locked),
    )
    token.revoked_at = locked.revoked_at
    return locked


def api_token_mark_used(*, token: ApiToken, now: dt.datetime | None = None) -> bool:
    """Note that ``token`` was used now, unless that was noted less than a minute ago (one conditional
    UPDATE; no audit row: it is bookkeeping, not a change). Returns whether it wrote."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return False
    written = (
        ApiToken.objects.filter(pk=token.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_PRECISION))
        .update(last_used_at=now)
    )
    if written:
        token.last_used_at = now
    return bool(written)
