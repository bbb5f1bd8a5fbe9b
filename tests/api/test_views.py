"""The tokens page (/api/tokens/): login required; create shows the secret once (and a curl example),
the list shows prefixes only; revoke asks first, then works on POST; someone else's token is a 404."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giamngheo.accounts.models import AuditEvent, Role
from giamngheo.api.models import ApiAuditAction, ApiToken
from giamngheo.api.services import api_token_create
from tests.accounts.factories import user_factory
from tests.api.factories import client_of

pytestmark = pytest.mark.django_db
PAGE = "/api/tokens/"


def test_urls() -> None:
    assert reverse("api_pages:tokens") == PAGE
    assert reverse("api_pages:token_revoke", args=[7]) == "/api/tokens/7/revoke/"


def test_login_is_required() -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert Client().post(PAGE, {"name": "x"}).status_code == 302
    assert ApiToken.objects.count() == 0


def test_create_shows_the_secret_once_then_revoke() -> None:
    user = user_factory(role=Role.PROVINCE_OFFICER)
    client = client_of(user)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Bạn chưa có khóa nào." in page.content.decode()

    response = client.post(PAGE, {"name": "Kho dữ liệu tỉnh", "expires_at": "31/12/2030"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    found = re.search(r'value="(gn_[A-Za-z0-9_-]{43})"', html)
    assert found is not None
    secret = found.group(1)
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.name == "Kho dữ liệu tỉnh"
    assert token.expires_at == timezone.make_aware(dt.datetime(2031, 1, 1))  # valid through 31/12/2030
    assert f'curl -H "Authorization: Bearer {secret}" http://testserver/api/v1/reports/summary' in html
    assert "chỉ hiển thị một lần" in html

    # the secret works, and is never shown again
    assert (
        Client().get("/api/v1/reports/years", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
    again = client.get(PAGE).content.decode()
    assert secret not in again and secret[8:] not in again
    assert token.prefix in again and "Kho dữ liệu tỉnh" in again and "Đang dùng" in again

    revoke_url = reverse("api_pages:token_revoke", args=[token.pk])
    confirm = client.get(revoke_url)
    assert confirm.status_code == 200 and "Thu hồi khóa “Kho dữ liệu tỉnh”?" in confirm.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None  # asking is not revoking
    done = client.post(revoke_url, follow=True)
    assert done.redirect_chain == [(PAGE, 302)]
    assert "Đã thu hồi khóa “Kho dữ liệu tỉnh”" in done.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert (
        Client().get("/api/v1/reports/years", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )
    assert list(
        AuditEvent.objects.filter(target_id=str(token.pk), target_type="api.apitoken")
        .order_by("created_at", "pk")
        .values_list("action", "actor")
    ) == [(ApiAuditAction.API_TOKEN_CREATED, user.pk), (ApiAuditAction.API_TOKEN_REVOKED, user.pk)]


def test_bad_input_is_shown_on_the_form() -> None:
    client = client_of(user_factory(role=Role.LEADER))
    for data, message in (
        ({"name": ""}, "Hãy đặt tên cho khóa."),
        ({"name": "Khóa", "expires_at": "31/02/2030"}, "Ngày không hợp lệ; nhập theo dạng 31/12/2026."),
        (
            {"name": "Khóa", "expires_at": "01/01/2020"},
            "Thời điểm hết hạn đã qua; hãy chọn ngày từ hôm nay trở đi.",
        ),
    ):
        response = client.post(PAGE, data)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_someone_elses_token_is_not_found() -> None:
    owner = user_factory(role=Role.COMMUNE_OFFICER)
    token, _secret = api_token_create(user=owner, name="Của người khác")
    client = client_of(user_factory(role=Role.PROVINCE_OFFICER))
    url = reverse("api_pages:token_revoke", args=[token.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert "Của người khác" not in client.get(PAGE).content.decode()
