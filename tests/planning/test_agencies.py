"""Agencies: the starting lists, names unique per unit, resolution by type / name / alias (the 2025
renaming), members, and the agencies pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import AuditEvent, Role
from giamngheo.planning.models import Agency, AgencyMember
from giamngheo.planning.parsing import normalise_agency
from giamngheo.planning.services import agencies as services
from tests.accounts.factories import PASSWORD, admin_factory, scoped_user_factory
from tests.planning.factories import agency_factory
from tests.planning.test_plans_services import demo_geo

pytestmark = pytest.mark.django_db


def _login(client: Client, user: object) -> None:
    assert client.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]


# --- the starting lists -------------------------------------------------------------------------------


def test_seed_of_a_2025_province_carries_the_old_names_and_is_idempotent() -> None:
    geo = demo_geo()
    created = services.agencies_seed(unit=geo.province, actor=None)
    names = {a.name for a in created}
    assert {
        "Sở Nông nghiệp và Môi trường",
        "Sở Y tế",
        "Ngân hàng Chính sách xã hội chi nhánh tỉnh",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
        "Hội Nông dân tỉnh",
        "Ủy ban nhân dân tỉnh",
    } <= names
    assert "Sở Lao động - Thương binh và Xã hội" not in names  # no such department since 1 March 2025
    agriculture = Agency.objects.get(unit=geo.province, kind="agriculture_environment")
    assert "Sở Lao động - Thương binh và Xã hội" in agriculture.aliases
    assert "Sở Nông nghiệp và Phát triển nông thôn" in agriculture.aliases
    assert AuditEvent.objects.filter(action="agency.created").count() == len(created)

    assert services.agencies_seed(unit=geo.province, actor=None) == []
    assert Agency.objects.filter(unit=geo.province).count() == len(created)


def test_seed_of_a_commune_and_of_a_ward() -> None:
    geo = demo_geo()
    commune = {a.name for a in services.agencies_seed(unit=geo.commune, actor=None)}
    ward = {a.name for a in services.agencies_seed(unit=geo.commune2, actor=None)}
    assert {
        "Ủy ban nhân dân xã",
        "Phòng Kinh tế",
        "Phòng Văn hóa - Xã hội",
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã",
    } <= commune
    assert {"Ủy ban nhân dân phường", "Phòng Kinh tế, Hạ tầng và Đô thị"} <= ward


def test_seed_of_a_pre_2025_district_keeps_the_labour_office_with_its_successor() -> None:
    geo = demo_geo()
    services.agencies_seed(unit=geo.district, actor=None)
    labour = Agency.objects.get(unit=geo.district, kind="labour_social")
    assert labour.name == "Phòng Lao động - Thương binh và Xã hội"
    assert labour.valid_to == dt.date(2025, 2, 28)
    assert labour.successor is not None and labour.successor.name == "Phòng Nông nghiệp và Môi trường"
    assert labour.successor.valid_to == dt.date(2025, 6, 30)  # the district's end
    assert "Phòng LĐ-TB&XH" in labour.aliases
    assert Agency.objects.get(unit=geo.district, kind="people_committee").name == "Ủy ban nhân dân huyện"


def test_seed_keeps_an_agency_already_there_by_name() -> None:
    geo = demo_geo()
    agency_factory(unit=geo.commune, name="PHÒNG KINH TẾ")
    services.agencies_seed(unit=geo.commune, actor=None)
    assert Agency.objects.filter(unit=geo.commune, name__icontains="kinh t").count() == 1


# --- resolution ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Phòng LĐ-TB&XH", "Phòng Lao động - Thương binh và Xã hội"),
        ("Phòng Lao động - TB&XH huyện", "Phòng Lao động - Thương binh và Xã hội"),
        ("Phòng Lao động, Thương binh và Xã hội", "Phòng Lao động - Thương binh và Xã hội"),
        ("Phòng NN&PTNT", "Phòng Nông nghiệp và Phát triển nông thôn"),
        ("Phòng Tài chính - Kế hoạch", "Phòng Tài chính - Kế hoạch"),
        ("UBND huyện", "Ủy ban nhân dân huyện"),
        ("Ngân hàng CSXH huyện", "Ngân hàng Chính sách xã hội huyện"),
        ("Ủy ban nhân dân các xã, thị trấn", "Ủy ban nhân dân cấp xã"),
    ],
)
def test_an_old_district_plan_resolves_to_the_old_agencies(written: str, expected: str) -> None:
    geo = demo_geo()
    services.agencies_seed(unit=geo.district, actor=None)
    found = services.agency_resolve(geo.district, normalise_agency(written), dt.date(2022, 1, 1))
    assert found is not None and found.name == expected


@pytest.mark.parametrize(
    "written",
    ["Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH", "Sở Lao động, Thương binh và Xã hội", "Sở NN&MT"],
)
def test_a_2025_province_resolves_the_old_labour_department_to_agriculture_and_environment(
    written: str,
) -> None:
    geo = demo_geo()
    services.agencies_seed(unit=geo.province, actor=None)
    found = services.agency_resolve(geo.province, normalise_agency(written), dt.date(2026, 1, 1))
    assert found is not None and found.name == "Sở Nông nghiệp và Môi trường"


def test_resolution_respects_the_level_and_the_office() -> None:
    geo = demo_geo()
    services.agencies_seed(unit=geo.province, actor=None)
    # a district office named in a province plan is not the province's department
    assert services.agency_resolve(geo.province, normalise_agency("Phòng Y tế huyện")) is None
    # "Ủy ban nhân dân huyện" is not the province's "Ủy ban nhân dân tỉnh"
    assert services.agency_resolve(geo.province, normalise_agency("UBND huyện")) is None
    found = services.agency_resolve(geo.province, normalise_agency("UBND tỉnh Quảng Ngãi"))
    assert found is not None and found.name == "Ủy ban nhân dân tỉnh"
    # by name, ignoring case and diacritics, for a name outside the catalogue
    custom = agency_factory(unit=geo.province, name="Ban Quản lý dự án giảm nghèo")
    assert services.agency_resolve(geo.province, normalise_agency("BAN QUAN LY DU AN GIAM NGHEO")) == custom
    assert services.agency_resolve(geo.province, normalise_agency("Trung tâm không có")) is None


def test_resolution_prefers_the_agency_in_office_on_the_date() -> None:
    geo = demo_geo()
    old = agency_factory(
        unit=geo.commune, name="Phòng Kinh tế", kind="economy", valid_to=dt.date(2025, 6, 30)
    )
    new = agency_factory(unit=geo.commune, name="Phòng Kinh tế xã Đăk Kôi", kind="economy")
    ref = normalise_agency("Phòng Kinh tế")
    assert services.agency_resolve(geo.commune, ref, dt.date(2025, 3, 1)) == old  # both in office: the name
    assert services.agency_resolve(geo.commune, ref, dt.date(2026, 1, 1)) == new  # the old one had ended


# --- writes -------------------------------------------------------------------------------------------


def test_agency_names_are_unique_per_unit_ignoring_case_and_diacritics() -> None:
    geo = demo_geo()
    services.agency_create(unit=geo.commune, name="Trạm Y tế xã", actor=None)
    with pytest.raises(ValidationError) as caught:
        services.agency_create(unit=geo.commune, name="TRAM Y TE XA", actor=None)
    assert caught.value.message_dict["name"] == ["Xã Đăk Kôi đã có cơ quan “Trạm Y tế xã”."]
    other = services.agency_create(unit=geo.commune2, name="Trạm Y tế xã", actor=None)  # another unit: fine
    assert other.unit == geo.commune2
    assert AuditEvent.objects.filter(action="agency.created").count() == 2


def test_agency_update_validates_the_successor_and_audits() -> None:
    geo = demo_geo()
    a = services.agency_create(unit=geo.district, name="Phòng A", actor=None)
    b = services.agency_create(unit=geo.district, name="Phòng B", actor=None, successor=a)
    with pytest.raises(ValidationError) as caught:
        services.agency_update(agency=a, name="Phòng A", actor=None, successor=b)
    assert "successor" in caught.value.message_dict
    services.agency_update(
        agency=a,
        name="Phòng A mới",
        actor=None,
        aliases=["Phòng A", " PA ", "pa"],
        valid_to=dt.date(2025, 6, 30),
    )
    a.refresh_from_db()
    assert (a.name, a.aliases, a.valid_to) == ("Phòng A mới", ["Phòng A", "PA"], dt.date(2025, 6, 30))
    event = AuditEvent.objects.get(action="agency.updated")
    assert event.before is not None and event.before["name"] == "Phòng A"


def test_agency_writes_are_refused_outside_the_territory_and_to_leaders() -> None:
    geo = demo_geo()
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo.commune)
    leader = scoped_user_factory(role=Role.LEADER, unit=geo.province)
    with pytest.raises(PermissionDenied):
        services.agency_create(unit=geo.commune2, name="Phòng X", actor=officer)
    with pytest.raises(PermissionDenied):
        services.agencies_seed(unit=geo.province, actor=leader)
    assert services.agency_create(unit=geo.commune, name="Phòng X", actor=officer).unit == geo.commune


def test_members_are_agency_viewers_of_the_territory() -> None:
    geo = demo_geo()
    agency = services.agency_create(
        unit=geo.district, name="Phòng Lao động - Thương binh và Xã hội", actor=None
    )
    viewer = scoped_user_factory(role=Role.AGENCY_VIEWER, unit=geo.province)
    outsider = scoped_user_factory(role=Role.AGENCY_VIEWER, unit=geo.other_province)
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.province)
    assert services.member_candidates(agency) == [viewer]  # Kon Rẫy lies in Quảng Ngãi's history
    with pytest.raises(ValidationError):
        services.agency_members_set(agency=agency, users=[viewer, officer], actor=None)
    assert not AgencyMember.objects.exists()
    services.agency_members_set(agency=agency, users=[viewer], actor=officer)
    assert list(AgencyMember.objects.values_list("user_id", flat=True)) == [viewer.pk]
    event = AuditEvent.objects.get(action="agency.member_set")
    assert (event.before, event.after, event.actor) == ({"users": []}, {"users": [viewer.pk]}, officer)
    services.agency_members_set(agency=agency, users=[], actor=officer)
    assert not AgencyMember.objects.exists()
    assert outsider not in services.member_candidates(agency)


# --- pages --------------------------------------------------------------------------------------------


def test_agencies_page_lists_and_seeds_for_an_officer(client: Client) -> None:
    geo = demo_geo()
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.province)
    _login(client, officer)
    url = reverse("planning:agencies") + "?don_vi=huyen-614"
    page = client.get(url)
    assert page.status_code == 200
    assert 'id="agencies-seed"' in page.content.decode()
    response = client.post(reverse("planning:agencies_seed") + "?don_vi=huyen-614")
    assert response.status_code == 302
    assert Agency.objects.filter(unit=geo.district).count() == len(services.DISTRICT_PRE_2025)
    html = client.get(url).content.decode()
    assert "Phòng Lao động - Thương binh và Xã hội" in html and "Phòng LĐ-TB&amp;XH" in html
    assert "28/02/2025" in html


def test_agencies_page_scoping_and_read_only_roles(client: Client) -> None:
    geo = demo_geo()
    leader = scoped_user_factory(role=Role.LEADER, unit=geo.province)
    _login(client, leader)
    assert client.get(reverse("planning:agencies") + "?don_vi=tinh-98").status_code == 404
    page = client.get(reverse("planning:agencies") + "?don_vi=tinh-51")
    assert page.status_code == 200 and 'id="agencies-seed"' not in page.content.decode()
    assert client.post(reverse("planning:agencies_seed") + "?don_vi=tinh-51").status_code == 403
    assert not Agency.objects.exists()


def test_agency_add_edit_and_members_pages(client: Client) -> None:
    geo = demo_geo()
    _login(client, admin_factory())
    response = client.post(
        reverse("planning:agency_add") + "?don_vi=xa-23485",
        {
            "name": "Trạm Y tế xã",
            "kind": "health",
            "aliases": "TYT\nTrạm Y tế",
            "successor": "",
            "valid_to": "",
        },
    )
    assert response.status_code == 302
    agency = Agency.objects.get(unit=geo.commune)
    assert (agency.kind, agency.aliases) == ("health", ["TYT", "Trạm Y tế"])
    duplicate = client.post(reverse("planning:agency_add") + "?don_vi=xa-23485", {"name": "tram y te xa"})
    assert duplicate.status_code == 200 and "đã có cơ quan" in duplicate.content.decode()
    response = client.post(
        reverse("planning:agency_edit", args=[agency.pk]),
        {"name": "Trạm Y tế xã Đăk Kôi", "kind": "health", "aliases": "", "valid_to": "30/06/2030"},
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert (agency.name, agency.valid_to) == ("Trạm Y tế xã Đăk Kôi", dt.date(2030, 6, 30))
    viewer = scoped_user_factory(role=Role.AGENCY_VIEWER, unit=geo.commune)
    members = client.post(reverse("planning:agency_members", args=[agency.pk]), {"users": [viewer.pk]})
    assert members.status_code == 302
    assert list(agency.members.values_list("user_id", flat=True)) == [viewer.pk]
