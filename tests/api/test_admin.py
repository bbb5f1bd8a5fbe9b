"""API tokens in the admin: listed without their hash, not added or edited there, revoked by an action."""

from __future__ import annotations

import pytest

from giamngheo.accounts.models import AuditEvent, Role
from giamngheo.api.models import ApiAuditAction, ApiToken
from giamngheo.api.services import api_token_create
from tests.accounts.factories import admin_factory, user_factory
from tests.api.factories import client_of

pytestmark = pytest.mark.django_db
LIST = "/admin/api/apitoken/"


def test_the_list_shows_no_hash_and_the_action_revokes() -> None:
    owner = user_factory(role=Role.LEADER, username="lanhdao")
    token, secret = api_token_create(user=owner, name="Bảng điều khiển tỉnh")
    admin = admin_factory(is_superuser=True)
    client = client_of(admin)
    page = client.get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bảng điều khiển tỉnh" in html and token.prefix in html
    assert token.key_hash not in html and secret not in html
    detail = client.get(f"{LIST}{token.pk}/change/").content.decode()
    assert token.key_hash not in detail and secret[8:] not in detail
    assert client.get(f"{LIST}add/").status_code == 403

    response = client.post(LIST, {"action": "revoke", "_selected_action": [str(token.pk)]}, follow=True)
    assert response.status_code == 200 and "Đã thu hồi 1 khóa." in response.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert AuditEvent.objects.get(action=ApiAuditAction.API_TOKEN_REVOKED).actor == admin
