"""The pages of the administrative map (/dia-ban/): who sees what, who may change villages."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import AuditEvent, User
from giamngheo.geo.models import GeoAuditAction, Village
from tests.geo.conftest import Territory
from tests.geo.factories import commune_factory, village_factory
from tests.registry.factories import household_factory

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_need_a_sign_in(client: Client, territory: Territory) -> None:
    response = client.get(reverse("geo:commune", args=["97001"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_province_officer_lands_on_the_province_with_communes_and_former_communes(
    territory: Territory,
) -> None:
    client = _client(territory.province_officer)

    response = client.get(reverse("geo:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("geo:province", args=["97"])

    page = client.get(response["Location"]).content.decode()
    assert "Tỉnh Chín Bảy" in page
    assert reverse("geo:commune", args=["97001"]) in page
    assert "Phường Hai" in page and "Thành thị" in page and "Nông thôn" in page
    assert "Xã Cũ Một" in page and "Thị trấn Cũ Hai" in page and "Huyện Cũ" in page
    assert "một phần" in page
    assert "Xã Bên Kia" not in page and "Xã Cũ Ba" not in page


def test_an_admin_gets_the_list_of_provinces(territory: Territory) -> None:
    page = _client(territory.admin).get(reverse("geo:index")).content.decode()
    assert reverse("geo:province", args=["96"]) in page
    assert reverse("geo:province", args=["97"]) in page


def test_a_commune_officer_gets_their_commune_and_its_villages_with_forms(territory: Territory) -> None:
    client = _client(territory.commune_officer)

    index = client.get(reverse("geo:index")).content.decode()
    assert "Xã Một" in index and "Phường Hai" not in index

    response = client.get(reverse("geo:commune", args=["97001"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Thôn 1" in page and "Thôn Cũ" in page and "Đã đóng" in page and "30/09/2025" in page
    assert "Xã Cũ Một" in page
    assert reverse("geo:village_add", args=["97001"]) in page
    assert reverse("geo:village_rename", args=[territory.v1.pk]) in page
    assert reverse("geo:village_close", args=[territory.v1.pk]) in page
    assert reverse("geo:village_close", args=[territory.v1x.pk]) not in page  # already closed


@pytest.mark.parametrize("role", ["surveyor", "agency", "leader"])
def test_read_only_roles_see_no_forms_and_get_403_with_the_reason(territory: Territory, role: str) -> None:
    client = _client(getattr(territory, role))

    page = client.get(reverse("geo:commune", args=["97001"])).content.decode()
    assert "Thôn 1" in page
    assert reverse("geo:village_add", args=["97001"]) not in page
    assert reverse("geo:village_rename", args=[territory.v1.pk]) not in page

    for url in (
        reverse("geo:village_add", args=["97001"]),
        reverse("geo:village_rename", args=[territory.v1.pk]),
        reverse("geo:village_close", args=[territory.v1.pk]),
    ):
        response = client.post(
            url, {"name": "Tên mới", "kind": "thon", "code": "T09", "valid_to": "31/10/2025"}
        )
        assert response.status_code == 403, url
        assert "không được sửa" in response.content.decode() or "chỉ được" in response.content.decode()
    assert Village.objects.get(pk=territory.v1.pk).name == "Thôn 1"
    assert not Village.objects.filter(code="T09").exists()


def test_a_surveyor_sees_only_their_own_village(territory: Territory) -> None:
    page = _client(territory.surveyor).get(reverse("geo:commune", args=["97001"])).content.decode()
    assert "Thôn 1" in page and "Thôn Cũ" not in page


def test_outside_the_territory_everything_is_404(territory: Territory) -> None:
    client = _client(territory.outsider)
    assert client.get(reverse("geo:commune", args=["97001"])).status_code == 404
    assert client.get(reverse("geo:province", args=["97"])).status_code == 404
    assert client.get(reverse("geo:village_add", args=["97001"])).status_code == 404
    assert (
        client.post(reverse("geo:village_rename", args=[territory.v1.pk]), {"name": "X"}).status_code == 404
    )
    assert client.post(reverse("geo:village_close", args=[territory.v1.pk]), {}).status_code == 404
    assert _client(territory.commune_officer).get(reverse("geo:province", args=["97"])).status_code == 404
    assert _client(territory.commune_officer).get(reverse("geo:commune", args=["99999"])).status_code == 404


def test_add_a_village(territory: Territory) -> None:
    client = _client(territory.commune_officer)

    response = client.post(
        reverse("geo:village_add", args=["97001"]),
        {"code": "T03", "name": "Bản Mới", "kind": "ban", "valid_from": "01/10/2025"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("geo:commune", args=["97001"])
    village = Village.objects.get(commune=territory.c1, code="T03")
    assert (village.name, village.kind, village.valid_from) == ("Bản Mới", "ban", datetime.date(2025, 10, 1))
    assert AuditEvent.objects.get(action=GeoAuditAction.VILLAGE_CREATED).actor == territory.commune_officer
    assert "Đã thêm Bản Mới." in client.get(response["Location"]).content.decode()


def test_bad_input_is_shown_on_the_fields_in_vietnamese(territory: Territory) -> None:
    client = _client(territory.commune_officer)

    response = client.post(
        reverse("geo:village_add", args=["97001"]),
        {"code": "T01", "name": "", "kind": "thon", "valid_from": "31/02/2025"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hãy nhập tên thôn." in page
    assert "Ngày không hợp lệ; nhập theo dạng 30/06/2025." in page

    response = client.post(
        reverse("geo:village_add", args=["97001"]),
        {"code": "T01", "name": "Thôn Trùng", "kind": "thon", "valid_from": "01/10/2025"},
    )
    assert "Xã Một đã có thôn mã T01 (Thôn 1)." in response.content.decode()
    assert Village.objects.filter(commune=territory.c1).count() == 2


def test_rename_a_village(territory: Territory) -> None:
    client = _client(territory.province_officer)
    url = reverse("geo:village_rename", args=[territory.v1.pk])
    assert 'value="Thôn 1"' in client.get(url).content.decode()

    response = client.post(url, {"name": "Thôn Kon Bdêu", "kind": "lang"})

    assert response.status_code == 302
    territory.v1.refresh_from_db()
    assert (territory.v1.name, territory.v1.kind) == ("Thôn Kon Bdêu", "lang")


def test_close_a_village_or_say_why_not(territory: Territory) -> None:
    client = _client(territory.commune_officer)
    url = reverse("geo:village_close", args=[territory.v1.pk])
    household = household_factory(commune=territory.c1, village=territory.v1)

    response = client.post(url, {"valid_to": "31/10/2025"})
    assert response.status_code == 200
    assert "Không thể đóng Thôn 1: còn 1 hộ đang sinh sống thuộc thôn này." in response.content.decode()
    assert Village.objects.get(pk=territory.v1.pk).valid_to is None

    household.status = "moved_out"
    household.save(update_fields=["status"])
    response = client.post(url, {"valid_to": "31/10/2025"})
    assert response.status_code == 302
    assert Village.objects.get(pk=territory.v1.pk).valid_to == datetime.date(2025, 10, 31)
    assert client.get(url).status_code == 200  # the form still opens; posting again says it is closed
    assert "đã đóng từ 31/10/2025" in client.post(url, {"valid_to": "31/10/2025"}).content.decode()


# --- former commune (xã cũ) -------------------------------------------------------------------------


def test_add_a_village_with_its_former_commune_and_see_it_on_the_commune_page(territory: Territory) -> None:
    client = _client(territory.commune_officer)
    form_page = client.get(reverse("geo:village_add", args=["97001"])).content.decode()
    assert "Xã cũ (trước 01/07/2025)" in form_page
    assert "Thị trấn Cũ Hai, huyện Cũ, tỉnh Cũ" in form_page

    response = client.post(
        reverse("geo:village_add", args=["97001"]),
        {
            "code": "T03",
            "name": "Bản Mới",
            "kind": "ban",
            "valid_from": "01/10/2025",
            "former_commune": territory.o2.pk,
        },
    )

    assert response.status_code == 302
    village = Village.objects.get(commune=territory.c1, code="T03")
    assert village.former_commune == territory.o2
    event = AuditEvent.objects.get(action=GeoAuditAction.VILLAGE_CREATED)
    assert event.after is not None
    assert event.after["former_commune"] == "95002"
    page = client.get(response["Location"]).content.decode()
    assert '<th scope="col">Xã cũ</th>' in page
    assert 'Thị trấn Cũ Hai<span class="muted">, Huyện Cũ</span>' in page


def test_a_former_commune_of_another_commune_is_refused_on_the_field(territory: Territory) -> None:
    client = _client(territory.commune_officer)

    response = client.post(
        reverse("geo:village_add", args=["97001"]),
        {
            "code": "T03",
            "name": "Bản Mới",
            "kind": "ban",
            "valid_from": "01/10/2025",
            "former_commune": territory.o3.pk,
        },
    )

    assert response.status_code == 200
    assert "Hãy chọn một xã cũ trong danh sách." in response.content.decode()
    assert not Village.objects.filter(code="T03").exists()


def test_change_then_clear_the_former_commune_of_a_village(territory: Territory) -> None:
    client = _client(territory.commune_officer)
    url = reverse("geo:village_rename", args=[territory.v1.pk])

    assert (
        client.post(url, {"name": "Thôn 1", "kind": "thon", "former_commune": territory.o1.pk}).status_code
        == 302
    )
    assert Village.objects.get(pk=territory.v1.pk).former_commune == territory.o1
    assert f'<option value="{territory.o1.pk}" selected>' in client.get(url).content.decode()

    assert client.post(url, {"name": "Thôn 1", "kind": "thon", "former_commune": ""}).status_code == 302
    assert Village.objects.get(pk=territory.v1.pk).former_commune is None
    events = AuditEvent.objects.filter(action=GeoAuditAction.VILLAGE_UPDATED).order_by("pk")
    assert [(e.before or {}).get("former_commune") for e in events] == [None, "95001"]
    assert [(e.after or {}).get("former_commune") for e in events] == ["95001", None]


def test_a_commune_without_former_communes_has_no_such_field_and_renaming_keeps_the_value(
    territory: Territory,
) -> None:
    t = territory
    commune = commune_factory(province=t.q, code="96002", name="Xã Mới")  # made of no former commune
    village = village_factory(commune=commune, code="T01", name="Thôn 1", former_commune=t.o3)  # set by hand
    client = _client(t.admin)

    assert "Xã cũ (trước" not in client.get(reverse("geo:village_add", args=["96002"])).content.decode()
    url = reverse("geo:village_rename", args=[village.pk])
    assert "Xã cũ (trước" not in client.get(url).content.decode()
    assert client.post(url, {"name": "Thôn Một", "kind": "thon"}).status_code == 302

    village.refresh_from_db()
    assert (village.name, village.former_commune) == ("Thôn Một", t.o3)
    page = client.get(reverse("geo:commune", args=["96002"])).content.decode()
    assert 'Xã Cũ Ba<span class="muted">, Huyện Cũ</span>' in page
