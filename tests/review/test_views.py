import datetime

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import Role, User
from giamngheo.registry.models import Member
from giamngheo.review.models import ReviewRound, RoundHousehold, RoundStatus, Survey, VillageMeeting
from giamngheo.review.services import meeting_record, posting_start, round_classify, round_create
from tests.accounts.factories import PASSWORD, scoped_user_factory
from tests.registry.conftest import Map
from tests.review.factories import (
    POOR_INCOME,
    adult_facts,
    entry_of,
    household_facts,
    household_with_adult,
    open_round,
    survey,
)

pytestmark = pytest.mark.django_db

CITIZEN_ID = "097080000123"


def _client(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _surveyed(geo_map: Map, officer: User) -> tuple[ReviewRound, Member]:
    household, member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    member.citizen_id = CITIZEN_ID
    member.save(update_fields=["citizen_id"])
    rnd = open_round(commune=geo_map.c1, households=[household], actor=officer)
    survey(rnd, household, household_facts(income=POOR_INCOME, deprived=3), [adult_facts(member)], officer)
    return rnd, member


def test_pages_need_a_login(geo_map: Map) -> None:
    response = Client().get(reverse("review:list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_round_list_shows_only_the_viewers_communes(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    outsider = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.d1)
    open_round(commune=geo_map.c1, households=[], actor=officer)

    assert "Rà soát định kỳ năm 2026" in _client(officer).get(reverse("review:list")).content.decode()
    assert "Rà soát định kỳ năm 2026" not in _client(outsider).get(reverse("review:list")).content.decode()


def test_a_viewer_outside_the_territory_gets_404(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    outsider = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.d1)
    rnd, _ = _surveyed(geo_map, officer)
    entry = rnd.households.get()
    client = _client(outsider)
    for url in (
        reverse("review:round", args=[rnd.pk]),
        reverse("review:households", args=[rnd.pk]),
        reverse("review:survey", args=[rnd.pk, entry.pk]),
        reverse("review:result", args=[rnd.pk, entry.pk]),
        reverse("review:transitions", args=[rnd.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_surveyor_of_another_village_gets_404_for_the_household(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    other = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1b)
    rnd, _ = _surveyed(geo_map, officer)
    entry = rnd.households.get()
    assert _client(other).get(reverse("review:survey", args=[rnd.pk, entry.pk])).status_code == 404


def test_create_a_round_through_the_form(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    response = _client(officer).post(
        reverse("review:create"),
        {"commune": geo_map.c1.pk, "kind": "periodic", "year": 2026, "reference_date": "2026-10-01"},
    )
    rnd = ReviewRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("review:round", args=[rnd.pk])
    page = _client(officer).get(response["Location"]).content.decode()
    assert "Lập danh sách hộ cần rà soát" in page
    assert 'aria-current="step"' in page


def test_create_a_round_out_of_window_shows_the_error_on_the_field(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    response = _client(officer).post(
        reverse("review:create"),
        {"commune": geo_map.c1.pk, "kind": "periodic", "year": 2026, "reference_date": "2026-07-01"},
    )
    assert response.status_code == 200
    assert "ngày rà soát phải trong khoảng này" in response.content.decode()
    assert not ReviewRound.objects.exists()


def test_the_phieu_b_form_saves_and_shows_field_errors(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    household, _member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    rnd = open_round(commune=geo_map.c1, households=[household], actor=officer)
    entry = entry_of(rnd, household)
    url = reverse("review:survey", args=[rnd.pk, entry.pk])
    client = _client(officer)
    assert "Phần II. Thông tin về thành viên" in client.get(url).content.decode()

    bad = {
        "version": 0,
        "area": "rural",
        "income_12m": "12.000.000",
        "durable_main_parts": "7",
        "m-0-employment": "unemployed",
    }
    response = client.post(url, bad)
    page = response.content.decode()
    assert response.status_code == 200
    assert "phải trong khoảng 0–3" in page
    assert not Survey.objects.exists()

    good = {**bad, "durable_main_parts": "3", "floor_area_m2": "35,5", "m-0-has_health_insurance": "true"}
    response = client.post(url, good)
    assert response.status_code == 302
    saved = Survey.objects.get()
    assert saved.household_facts["income_12m"] == 12_000_000
    assert saved.household_facts["floor_area_m2"] == 35.5
    assert saved.member_facts[0]["has_health_insurance"] is True


def test_the_result_page_explains_the_class(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    rnd, _ = _surveyed(geo_map, officer)
    round_classify(review_round=rnd, actor=officer)
    entry = rnd.households.get()
    page = _client(officer).get(reverse("review:result", args=[rnd.pk, entry.pk])).content.decode()
    assert "Hộ nghèo" in page
    assert (
        "Thu nhập bình quân 1.000.000\xa0đ/người/tháng, "
        "không vượt chuẩn nghèo 1.500.000\xa0đ/người/tháng (nông thôn)." in page
    )
    assert "Thiếu hụt 3 trong 12 chỉ số; hộ nghèo khi thiếu hụt từ 3 chỉ số trở lên." in page
    assert "dưới 8 m²/người" in page  # the floor-area cut-off from the standard's data


def test_round_page_runs_the_meeting_and_refuses_with_a_reason(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    rnd, _ = _surveyed(geo_map, officer)
    client = _client(officer)
    url = reverse("review:round", args=[rnd.pk])
    rnd.refresh_from_db()
    response = client.post(
        url, {"action": "approve", "on": "2026-11-20", "version": rnd.version}, follow=True
    )
    assert "chưa thể phê duyệt kết quả" in response.content.decode()

    client.post(url, {"action": "classify", "version": rnd.version})
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.CLASSIFIED
    response = client.post(
        url,
        {
            "action": "meeting",
            "village": geo_map.v1.pk,
            "held_on": "2026-11-02",
            "chair": "Trưởng thôn",
            "attendees": 10,
            "agreeing": 5,
            "version": rnd.version,
        },
    )
    assert response.status_code == 302
    assert VillageMeeting.objects.get().passed is True
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.MEETING


def test_households_list_filters_by_class_and_serves_the_htmx_partial(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    rnd, _ = _surveyed(geo_map, officer)
    round_classify(review_round=rnd, actor=officer)
    client = _client(officer)
    url = reverse("review:households", args=[rnd.pk])
    partial = client.get(url, {"loai": "poor"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert "Hộ nghèo" in partial
    assert (
        "Không có hộ nào."
        in client.get(url, {"loai": "near_poor"}, headers={"HX-Request": "true"}).content.decode()
    )


def test_the_public_posting_page_shows_no_citizen_id_or_date_of_birth(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    rnd, member = _surveyed(geo_map, officer)
    url = reverse("review_public:posting", args=[rnd.pk])
    assert Client().get(url).status_code == 404  # not posted yet

    round_classify(review_round=rnd, actor=officer)
    rnd.refresh_from_db()
    meeting_record(
        review_round=rnd,
        village=geo_map.v1,
        held_on=datetime.date(2026, 11, 1),
        chair="Trưởng thôn",
        attendees=3,
        agreeing=3,
        actor=officer,
    )
    posting_start(review_round=rnd, start_date=datetime.date(2026, 11, 2), actor=officer)

    response = Client().get(url)  # no login
    page = response.content.decode()
    assert response.status_code == 200
    assert member.household.code in page and "Hồ Văn Minh" in page and "Hộ nghèo" in page
    assert "02/11/2026" in page and "08/11/2026" in page
    assert CITIZEN_ID not in page
    assert "20/05/1980" not in page and "1980-05-20" not in page


def _today(monkeypatch: pytest.MonkeyPatch, day: datetime.date) -> None:
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def test_an_overdue_ongoing_round_shows_its_deadline_in_red(
    geo_map: Map, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    rnd = round_create(commune=geo_map.c1, kind="ongoing", year=2026, month=10, actor=officer)
    client = _client(officer)

    _today(monkeypatch, datetime.date(2026, 10, 30))  # day 15 of the deadline
    page = client.get(reverse("review:round", args=[rnd.pk])).content.decode()
    assert "Hạn quyết định: 15/10/2026 – 30/10/2026" in page and "hết hạn hôm nay" in page
    assert "quá hạn" not in page

    _today(monkeypatch, datetime.date(2026, 11, 2))
    page = client.get(reverse("review:round", args=[rnd.pk])).content.decode()
    listing = client.get(reverse("review:list")).content.decode()
    for html in (page, listing):
        assert '<strong class="badge badge-unconfirmed">' in html
        assert "quá hạn 3 ngày" in html


def test_a_periodic_round_shows_its_period_and_is_late_after_14_december(
    geo_map: Map, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    rnd = open_round(commune=geo_map.c1, households=[], actor=officer)
    client = _client(officer)
    url = reverse("review:round", args=[rnd.pk])

    _today(monkeypatch, datetime.date(2026, 12, 14))
    page = client.get(url).content.decode()
    assert "Thời gian rà soát: 01/09/2026 – 14/12/2026" in page and "quá hạn" not in page

    _today(monkeypatch, datetime.date(2026, 12, 15))
    assert "quá hạn 1 ngày" in client.get(url).content.decode()


def test_create_a_round_preselects_the_officers_only_commune(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    page = _client(officer).get(reverse("review:create")).content.decode()
    assert f'<option value="{geo_map.c1.pk}" selected>' in page


def test_the_next_step_of_a_new_round_counts_the_list_and_the_missing_phieu_b(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    rnd, member = _surveyed(geo_map, officer)
    other, _member = household_with_adult(commune=geo_map.c1, village=geo_map.v1, code="H0077")
    RoundHousehold.objects.create(
        round=rnd, household=other, village=geo_map.v1, province_code=rnd.province_code, reason="other"
    )
    client = _client(officer)
    page = client.get(reverse("review:round", args=[rnd.pk])).content.decode()
    assert "Nhập Phiếu B (1/2 hộ đã có)" in page
    missing = client.get(reverse("review:households", args=[rnd.pk]), {"phieu": "chua"}).content.decode()
    assert "H0077" in missing and member.household.code not in missing
