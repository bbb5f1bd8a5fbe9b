"""Token authentication: ``Authorization: Bearer gn_…`` reads as the token's user (territory unchanged);
a wrong, revoked or expired token, or an inactive user, is a 401; ``last_used_at`` at most once a minute."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from giamngheo.accounts.models import Role, User
from giamngheo.api.models import ApiToken
from giamngheo.api.services import api_token_create, api_token_mark_used, api_token_revoke
from tests.accounts.factories import scoped_user_factory
from tests.api.factories import World, client_of, get

pytestmark = pytest.mark.django_db


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _token(user: User, **kwargs: object) -> tuple[ApiToken, str]:
    return api_token_create(user=user, name="Kho dữ liệu tỉnh", **kwargs)  # type: ignore[arg-type]


def test_a_token_reads_as_its_user(world: World) -> None:
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=world.province)
    token, secret = _token(officer)
    with_token = get(Client(), "/reports/summary", headers=_bearer(secret), year=2025, unit="tinh-98")
    with_session = get(client_of(officer), "/reports/summary", year=2025, unit="tinh-98")
    assert with_token == with_session
    assert with_token[0] == 200 and with_token[1]["total"]["poor"] == 3
    assert get(Client(), "/reports/years", headers=_bearer(secret)) == (200, {"years": [2025, 2024]})
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_leaders_token_reads_aggregates_like_the_leader(world: World) -> None:
    leader = scoped_user_factory(role=Role.LEADER, unit=world.province)
    _token_row, secret = _token(leader)
    status, body = get(Client(), "/reports/causes", headers=_bearer(secret), year=2025)
    assert status == 200 and body["unit"]["key"] == "tinh-98" and body["poor"] == 3
    assert get(Client(), "/reports/map", headers=_bearer(secret), province="96")[0] == 404


def test_a_commune_officers_token_cannot_read_another_commune(world: World) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=world.c1)
    _token_row, secret = _token(officer)
    assert get(Client(), "/reports/summary", headers=_bearer(secret), unit="xa-98001")[0] == 200
    for unit in ("xa-98002", "tinh-98"):
        status, body = get(Client(), "/reports/transitions", headers=_bearer(secret), unit=unit)
        assert status == 404 and "địa bàn" in body["detail"]
    assert [u["key"] for u in get(Client(), "/reports/units", headers=_bearer(secret))[1]["units"]] == [
        "xa-98001"
    ]


def test_wrong_revoked_and_expired_tokens_are_refused(world: World) -> None:
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=world.province)
    token, secret = _token(officer)
    assert get(Client(), "/reports/years", headers=_bearer(secret))[0] == 200
    for header in (
        {"Authorization": f"Bearer {secret}x"},
        {"Authorization": f"Bearer {secret[:-1]}"},
        {"Authorization": "Bearer gn_"},
        {"Authorization": "Bearer "},
        {"Authorization": f"Token {secret}"},
        {"Authorization": secret},
        {"Authorization": f"Bearer {token.key_hash}"},  # the stored hash is not a key
    ):
        status, body = get(Client(), "/reports/years", headers=header)
        assert (status, header["Authorization"][:12]) == (401, header["Authorization"][:12])
        assert body == {
            "detail": "Cần đăng nhập, hoặc gửi khóa truy cập API còn hiệu lực (Authorization: Bearer …)."
        }

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert get(Client(), "/reports/years", headers=_bearer(secret))[0] == 401

    other, other_secret = _token(officer, expires_at=timezone.now() + dt.timedelta(days=1))
    assert get(Client(), "/reports/years", headers=_bearer(other_secret))[0] == 200
    api_token_revoke(token=other, actor=officer)
    assert get(Client(), "/reports/years", headers=_bearer(other_secret))[0] == 401


def test_an_inactive_users_token_is_refused(world: World) -> None:
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=world.province)
    _token_row, secret = _token(officer)
    assert get(Client(), "/reports/years", headers=_bearer(secret))[0] == 200
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert get(Client(), "/reports/years", headers=_bearer(secret))[0] == 401


def test_last_used_is_written_at_most_once_a_minute(world: World) -> None:
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=world.province)
    token, _secret = _token(officer)
    stale = ApiToken.objects.get(pk=token.pk)  # read before the first use (another request)
    start = timezone.now()
    assert api_token_mark_used(token=token, now=start) is True
    assert api_token_mark_used(token=token, now=start + dt.timedelta(seconds=59)) is False
    fresh = ApiToken.objects.get(pk=token.pk)
    assert fresh.last_used_at == start
    # a copy read before that use does not write either: the UPDATE itself is conditional
    assert stale.last_used_at is None
    assert api_token_mark_used(token=stale, now=start + dt.timedelta(seconds=30)) is False
    assert ApiToken.objects.get(pk=token.pk).last_used_at == start
    assert api_token_mark_used(token=fresh, now=start + dt.timedelta(seconds=61)) is True
    assert ApiToken.objects.get(pk=token.pk).last_used_at == start + dt.timedelta(seconds=61)


def test_openapi_documents_both_ways_in() -> None:
    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"
    summary = schema["paths"]["/api/v1/reports/summary"]["get"]
    assert {"TokenAuth": []} in summary["security"] and {"SessionAuth": []} in summary["security"]
    assert "Authorization: Bearer gn_" in schema["info"]["description"]
    assert "/api/tokens/" in schema["info"]["description"]
    for path in ("causes", "transitions", "map", "units"):
        assert f"/api/v1/reports/{path}" in schema["paths"]
