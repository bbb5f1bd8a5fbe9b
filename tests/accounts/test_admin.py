import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import AuditAction, AuditEvent, Role, User
from tests.accounts.factories import user_factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(user_factory(username="qt", role=Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_add"),
        reverse("admin:accounts_auditevent_changelist"),
    ],
)
def test_admin_pages_render(admin_client: Client, url: str) -> None:
    assert admin_client.get(url).status_code == 200


def test_user_change_page_renders(admin_client: Client) -> None:
    user = user_factory()
    assert admin_client.get(reverse("admin:accounts_user_change", args=[user.pk])).status_code == 200


def test_audit_log_is_read_only(admin_client: Client) -> None:
    assert admin_client.get(reverse("admin:accounts_auditevent_add")).status_code == 403


def test_adding_a_user_in_the_admin_is_audited(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "moi",
            "full_name": "Hoàng Văn Nam",
            "role": Role.VILLAGE_SURVEYOR,
            "usable_password": "true",
            "password1": "Mua-xuan-2026",
            "password2": "Mua-xuan-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="moi")
    event = AuditEvent.objects.get(target_id=str(user.pk))
    assert event.action == AuditAction.USER_CREATED
    assert event.actor is not None
    assert event.actor.username == "qt"
    assert event.after is not None
    assert event.after["role"] == "village_surveyor"
    assert "password1" not in event.after


def test_changing_a_role_in_the_admin_is_audited(admin_client: Client) -> None:
    joined = datetime.datetime(2026, 11, 22, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    user = user_factory(username="doi", full_name="Vũ Thị Lan", role=Role.COMMUNE_OFFICER, date_joined=joined)
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "username": "doi",
            "full_name": "Vũ Thị Lan",
            "email": "",
            "phone": "",
            "role": Role.PROVINCE_OFFICER,
            "is_active": "on",
            "date_joined_0": "22/11/2026",
            "date_joined_1": "08:00",
            "initial-date_joined_0": "22/11/2026",
            "initial-date_joined_1": "08:00",
            "last_login_0": "",
            "last_login_1": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action=AuditAction.USER_CHANGED)
    assert event.actor is not None
    assert event.actor.username == "qt"
    assert event.before == {"role": "commune_officer"}
    assert event.after == {"role": "province_officer"}
