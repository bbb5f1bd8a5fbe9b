"""API tokens (khóa truy cập API): how a program — a province's data warehouse, a dashboard — reads the
REST API as one user, without a browser session.

Only the SHA-256 hash of a token's secret is stored; the secret is shown once, when the token is
created (``api.services.api_token_create``). A token never grants more than its user: a request
authenticated by it reads as that user, with every territory rule unchanged. Models stay thin: every
write goes through ``api.services``.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiAuditAction(models.TextChoices):
    """Audit actions of the ``api`` context (stored in ``accounts.AuditEvent.action``)."""

    API_TOKEN_CREATED = "api_token.created", _("Tạo khóa truy cập API")
    API_TOKEN_REVOKED = "api_token.revoked", _("Thu hồi khóa truy cập API")


class ApiToken(models.Model):
    """An API token (khóa truy cập API) of one user, for programs.

    ``prefix``: the first 8 characters of the secret (``gn_`` and 5 more), shown so that the user can
    tell their tokens apart; ``key_hash``: the SHA-256 of the whole secret in hex, what a request's
    token is looked up by. The secret itself is never stored. A token works while it is not revoked
    (``revoked_at``), not expired (``expires_at``, empty: no expiry) and its user is active.
    ``last_used_at`` is written at most once a minute.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("tên khóa"), max_length=100)
    prefix = models.CharField(_("tiền tố"), max_length=8)
    key_hash = models.CharField(_("mã băm của khóa"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)
    last_used_at = models.DateTimeField(_("lần dùng gần nhất"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thời điểm thu hồi"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa truy cập API")
        verbose_name_plural = _("khóa truy cập API")
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["user", "-created_at"], name="api_token_user_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        """Not revoked, not expired; whether the user is active is checked by the caller."""
        return self.revoked_at is None and not self.is_expired(now)
