"""API token services: the secret is returned once and never stored (only its SHA-256), audit rows on
create and revoke (without secret or hash), who may revoke, and the refusals."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from giamngheo.accounts.models import AuditEvent, Role
from giamngheo.api.models import ApiAuditAction, ApiToken
from giamngheo.api.services import MAX_ACTIVE_TOKENS, api_token_create, api_token_revoke
from tests.accounts.factories import admin_factory, user_factory

pytestmark = pytest.mark.django_db


def test_create_returns_the_secret_once_and_stores_only_its_hash() -> None:
    user = user_factory(role=Role.LEADER)
    token, secret = api_token_create(user=user, name="  Bảng điều khiển  ")
    assert secret.startswith("gn_") and len(secret) == 3 + 43  # token_urlsafe(32): 43 characters
    assert token.prefix == secret[:8]
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.name == "Bảng điều khiển"
    assert (token.user, token.revoked_at, token.expires_at, token.last_used_at) == (user, None, None, None)
    # nothing in the row is the secret, or contains what follows its prefix
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken WHERE id = %s", [token.pk])
        row = cursor.fetchone()
    assert row is not None
    stored = " ".join(str(value) for value in row)
    assert secret not in stored and secret[8:] not in stored
    assert token.key_hash in stored
    other, other_secret = api_token_create(user=user, name="Khác")
    assert other_secret != secret and other.key_hash != token.key_hash


def test_create_and_revoke_leave_audit_rows_without_the_secret() -> None:
    user = user_factory(role=Role.PROVINCE_OFFICER)
    expires = timezone.now() + dt.timedelta(days=30)
    token, secret = api_token_create(user=user, name="Kho dữ liệu", expires_at=expires)
    api_token_revoke(token=token, actor=user)
    token.refresh_from_db()
    assert token.revoked_at is not None
    events = list(
        AuditEvent.objects.filter(target_type="api.apitoken", target_id=str(token.pk)).order_by(
            "created_at", "pk"
        )
    )
    assert [(e.action, e.actor) for e in events] == [
        (ApiAuditAction.API_TOKEN_CREATED, user),
        (ApiAuditAction.API_TOKEN_REVOKED, user),
    ]
    assert events[0].after is not None
    assert (events[0].after["name"], events[0].after["prefix"], events[0].after["user"]) == (
        "Kho dữ liệu",
        secret[:8],
        user.pk,
    )
    assert events[1].before is not None and events[1].before["revoked_at"] is None
    assert events[1].after is not None and events[1].after["revoked_at"] is not None
    text = json.dumps([[e.before, e.after] for e in events], default=str)
    assert secret not in text and token.key_hash not in text


def test_who_may_revoke() -> None:
    owner = user_factory(role=Role.COMMUNE_OFFICER)
    token, _secret = api_token_create(user=owner, name="Của tôi")
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, actor=user_factory(role=Role.PROVINCE_OFFICER))
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    admin = admin_factory()
    api_token_revoke(token=token, actor=admin)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert AuditEvent.objects.get(action=ApiAuditAction.API_TOKEN_REVOKED).actor == admin
    with pytest.raises(ValidationError, match="đã bị thu hồi"):
        api_token_revoke(token=token, actor=owner)


def test_refusals() -> None:
    user = user_factory(role=Role.LEADER)
    with pytest.raises(ValidationError) as error:
        api_token_create(user=user, name="Cũ", expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert "expires_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        api_token_create(user=user, name="   ")
    assert "name" in error.value.message_dict
    inactive = user_factory(role=Role.LEADER, is_active=False)
    with pytest.raises(PermissionDenied):
        api_token_create(user=inactive, name="Khóa")
    assert (
        ApiToken.objects.count() == 0
        and not AuditEvent.objects.filter(action__startswith="api_token").exists()
    )


def test_a_user_holds_a_bounded_number_of_working_tokens() -> None:
    user = user_factory(role=Role.LEADER)
    tokens = [api_token_create(user=user, name=f"Khóa {i}")[0] for i in range(MAX_ACTIVE_TOKENS)]
    with pytest.raises(ValidationError, match="thu hồi khóa không còn dùng"):
        api_token_create(user=user, name="Thêm")
    api_token_revoke(token=tokens[0], actor=user)
    api_token_create(user=user, name="Thêm")
    assert ApiToken.objects.filter(user=user).count() == MAX_ACTIVE_TOKENS + 1
