"""Jobs pages: seekers (search with and without diacritics), openings, matches with reasons, placements,
the placement rate, and who may open what."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.registry.models import Household, Member
from giamngheo.support.models import JobSeeker, OpeningStatus, Placement, SeekerStatus
from tests.accounts.factories import PASSWORD
from tests.registry.factories import member_factory
from tests.support.factories import opening_factory, seeker_factory
from tests.support.test_helpers_services import World, geo_map, household_with_head, world

__all__ = ["geo_map", "world"]


def _client(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _member(household: Household, name: str) -> Member:
    return member_factory(household=household, full_name=name, date_of_birth=dt.date(1995, 1, 1))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def seekers(world: World) -> dict[str, JobSeeker]:
    return {
        "hung": seeker_factory(
            member=_member(world.poor, "Nguyễn Văn Hùng"),
            skills=["may mặc"],
            desired_wage=6_000_000,
            search_text="nguyen van hung may mac",
        ),
        "dao": seeker_factory(
            member=_member(world.poor_b, "Lò Thị Đào"),
            skills=["chăn nuôi"],
            search_text="lo thi dao chan nuoi",
        ),
        "mai": seeker_factory(
            member=_member(world.poor_c2, "Giàng Thị Mai"),
            skills=["may mặc"],
            search_text="giang thi mai may mac",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [("nguyen van", {"Nguyễn Văn Hùng"}), ("may", {"Nguyễn Văn Hùng"}), ("Đào", {"Lò Thị Đào"}), ("", None)],
)
def test_seeker_search_with_or_without_diacritics(
    world: World, seekers: dict[str, JobSeeker], query: str, expected: set[str] | None
) -> None:
    html = _client(world.officer).get(reverse("support:seekers"), {"q": query}).content.decode()
    shown = {name for name in ("Nguyễn Văn Hùng", "Lò Thị Đào", "Giàng Thị Mai") if name in html}
    assert shown == (expected or {"Nguyễn Văn Hùng", "Lò Thị Đào"})  # never Mai: another commune


def test_leaders_are_refused_seekers_but_read_openings_and_the_rate(world: World) -> None:
    client = _client(world.leader)
    response = client.get(reverse("support:seekers"))
    assert response.status_code == 403
    assert "chỉ xem số liệu tổng hợp" in response.content.decode()
    assert client.get(reverse("support:openings")).status_code == 200
    assert client.get(reverse("support:placement_rate")).status_code == 200
    opening = opening_factory(province_code="97")
    detail = client.get(reverse("support:opening_detail", args=[opening.pk]))
    assert detail.status_code == 200
    assert "Người tìm việc phù hợp" not in detail.content.decode()


def test_seeker_page_outside_the_territory_is_404(world: World, seekers: dict[str, JobSeeker]) -> None:
    client = _client(world.officer)
    assert client.get(reverse("support:seeker_detail", args=[seekers["hung"].pk])).status_code == 200
    assert client.get(reverse("support:seeker_detail", args=[seekers["mai"].pk])).status_code == 404


def test_an_opening_of_another_province_is_404(world: World) -> None:
    elsewhere = opening_factory(province_code="96")
    abroad = opening_factory(province_code="96", abroad=True, country="Hàn Quốc")
    client = _client(world.officer)
    assert client.get(reverse("support:opening_detail", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("support:opening_detail", args=[abroad.pk])).status_code == 200


def test_seeker_page_ranks_openings_with_reasons(world: World, seekers: dict[str, JobSeeker]) -> None:
    today = timezone.localdate()
    sewing = opening_factory(
        province_code="97",
        commune=world.geo.c1,
        title="Công nhân may",
        skills=["may mặc"],
        wage_max=7_000_000,
        deadline=today + dt.timedelta(days=10),
    )
    other = opening_factory(province_code="97", title="Thợ may", skills=["may", "cắt"], commune=world.geo.c2)
    expired = opening_factory(
        province_code="97", title="Hết hạn", skills=["may mặc"], deadline=today - dt.timedelta(days=1)
    )
    html = (
        _client(world.officer)
        .get(reverse("support:seeker_detail", args=[seekers["hung"].pk]))
        .content.decode()
    )
    text = _text(html)
    assert text.index("Công nhân may") < text.index("Thợ may")
    assert "Kỹ năng phù hợp: mặc, may (100%)." in text
    assert "Làm việc ngay tại xã của người lao động." in text
    assert "Hết hạn" not in text
    assert f"?seeker={seekers['hung'].pk}&amp;opening={sewing.pk}" in html
    assert other.pk and expired.pk


def test_opening_page_ranks_the_viewers_seekers(world: World, seekers: dict[str, JobSeeker]) -> None:
    opening = opening_factory(
        province_code="97", commune=world.geo.c1, title="Công nhân may", skills=["may mặc"]
    )
    html = _client(world.officer).get(reverse("support:opening_detail", args=[opening.pk])).content.decode()
    text = _text(html)
    assert "Giàng Thị Mai" not in text  # another commune
    # Hùng: skills 50 + same commune 15; Đào: no common skill, same commune 15.
    assert text.index("Nguyễn Văn Hùng") < text.index("Lò Thị Đào")
    assert "65 điểm" in text
    assert "Chưa có kỹ năng trùng với yêu cầu." in text
    html = (
        _client(world.province_officer)
        .get(reverse("support:opening_detail", args=[opening.pk]))
        .content.decode()
    )
    assert _text(html).index("Nguyễn Văn Hùng") < _text(html).index("Giàng Thị Mai")


def test_record_a_placement_through_the_page(world: World, seekers: dict[str, JobSeeker]) -> None:
    opening = opening_factory(province_code="97", title="Công nhân may", skills=["may mặc"], positions=1)
    url = f"{reverse('support:placement_add')}?seeker={seekers['hung'].pk}&opening={opening.pk}"
    client = _client(world.officer)
    page = client.get(url)
    assert page.status_code == 200
    assert "Kỹ năng phù hợp" in page.content.decode()
    today = timezone.localdate()
    response = client.post(url, {"placed_on": today.strftime("%d/%m/%Y"), "note": "Ký hợp đồng 1 năm"})
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert (placement.seeker, placement.opening, placement.placed_on) == (seekers["hung"], opening, today)
    seekers["hung"].refresh_from_db()
    assert seekers["hung"].status == SeekerStatus.PLACED
    # The opening is full now: a second placement is refused on the form with the reason.
    other_url = f"{reverse('support:placement_add')}?seeker={seekers['dao'].pk}&opening={opening.pk}"
    response = client.post(other_url, {"placed_on": today.strftime("%d/%m/%Y")})
    assert response.status_code == 200
    assert "đã tuyển đủ 1 người" in response.content.decode()


def test_placement_of_a_seeker_outside_the_territory_is_404(
    world: World, seekers: dict[str, JobSeeker]
) -> None:
    opening = opening_factory(province_code="97")
    url = f"{reverse('support:placement_add')}?seeker={seekers['mai'].pk}&opening={opening.pk}"
    assert _client(world.officer).get(url).status_code == 404


def test_register_a_seeker_through_the_pages(world: World) -> None:
    client = _client(world.officer)
    response = client.get(reverse("support:seeker_add"), {"code": world.poor.code})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('support:seeker_add')}?ho={world.poor.pk}"
    member = _member(world.poor, "Hồ Thị Lan")
    response = client.post(
        response["Location"],
        {
            "member": member.pk,
            "skills": "may mặc, thêu",
            "training": "",
            "wishes": "Làm ở khu công nghiệp",
            "desired_wage": "6.000.000",
        },
    )
    assert response.status_code == 302
    seeker = JobSeeker.objects.get(member=member)
    assert seeker.skills == ["may mặc", "thêu"]
    assert seeker.desired_wage == 6_000_000


def test_register_refuses_a_household_that_is_not_poor_or_near_poor(world: World) -> None:
    household = household_with_head(world.geo.c1)  # no approved result
    member = _member(household, "Trần Văn Bảy")
    url = f"{reverse('support:seeker_add')}?ho={household.pk}"
    client = _client(world.officer)
    page = client.get(url).content.decode()
    assert "không phải hộ nghèo, hộ cận nghèo" in page
    response = client.post(url, {"member": member.pk, "skills": "may"})
    assert response.status_code == 200
    assert "Chỉ đăng ký tìm việc cho thành viên hộ nghèo, hộ cận nghèo" in response.content.decode()
    assert not JobSeeker.objects.exists()


def test_post_an_opening_through_the_page(world: World) -> None:
    client = _client(world.province_officer)
    deadline = timezone.localdate() + dt.timedelta(days=30)
    response = client.post(
        reverse("support:opening_add"),
        {
            "province": world.geo.p.pk,
            "commune": world.geo.c1.pk,
            "employer": "Công ty May Tây Nguyên",
            "title": "Công nhân may",
            "place": "Khu công nghiệp Hòa Phú",
            "skills": "may mặc",
            "wage_min": "5.000.000",
            "wage_max": "4.000.000",
            "positions": "20",
            "deadline": deadline.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 200
    assert "Lương đến phải lớn hơn hoặc bằng lương từ." in response.content.decode()
    response = client.post(
        reverse("support:opening_add"),
        {
            "province": world.geo.p.pk,
            "employer": "Công ty May Tây Nguyên",
            "title": "Công nhân may",
            "place": "Khu công nghiệp Hòa Phú",
            "wage_min": "5.000.000",
            "wage_max": "7.000.000",
            "positions": "20",
        },
    )
    assert response.status_code == 302
    assert _client(world.leader).get(reverse("support:opening_add")).status_code == 403


def test_openings_search_and_closed_filter(world: World) -> None:
    opening_factory(province_code="97", title="Công nhân may", search_text="cong nhan may")
    opening_factory(province_code="97", title="Bảo vệ", search_text="bao ve", status=OpeningStatus.CLOSED)
    client = _client(world.officer)
    html = client.get(reverse("support:openings"), {"q": "cong nhan"}).content.decode()
    assert "Công nhân may" in html
    assert "Bảo vệ" not in html
    html = client.get(reverse("support:openings"), {"status": "closed"}).content.decode()
    assert "Bảo vệ" in html
    assert "Công nhân may" not in html


def test_the_placement_rate_table(world: World, seekers: dict[str, JobSeeker]) -> None:
    opening = opening_factory(province_code="97")
    hung = seekers["hung"]
    Placement.objects.create(
        seeker=hung,
        opening=opening,
        province_code="97",
        commune_id=hung.commune_id,
        placed_on=timezone.localdate(),
    )
    today = timezone.localdate()
    response = _client(world.province_officer).get(
        reverse("support:placement_rate"),
        {"date_from": dt.date(today.year, 1, 1).strftime("%d/%m/%Y"), "date_to": today.strftime("%d/%m/%Y")},
    )
    text = _text(response.content.decode())
    assert f"{world.geo.c1.name} 2 1 50,0" in text
    assert f"{world.geo.c2.name} 1 0 0,0" in text
    assert "Tỉnh Thử 97 3 1 33,3" in text
    assert "Tổng cộng 3 1 33,3" in text


def test_the_forms_open(world: World, seekers: dict[str, JobSeeker]) -> None:
    opening = opening_factory(province_code="97", commune=world.geo.c1)
    client = _client(world.province_officer)
    pages = {
        reverse("support:seeker_add"): "Bước 1: tìm hộ theo mã hộ",
        f"{reverse('support:seeker_add')}?ho={world.near.pk}": "Hộ cận nghèo",
        reverse("support:seeker_edit", args=[seekers["hung"].pk]): "may mặc",
        reverse("support:opening_add"): "Tỉnh đăng tin",
        reverse("support:opening_edit", args=[opening.pk]): "Tình trạng",
        reverse("support:placement_rate"): "Tổng cộng",
    }
    for url, fragment in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert fragment in response.content.decode(), url
