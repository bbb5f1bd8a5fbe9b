"""The public pages without sign-in: which rounds are public, the posting by village, and no personal
data anywhere — every public URL tried with guessed ids."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giamngheo.accounts.models import Role
from giamngheo.review import selectors
from giamngheo.review.models import Result, ReviewRound, RoundStatus
from giamngheo.review.services import round_approve
from tests.accounts.factories import scoped_user_factory
from tests.registry.conftest import Map
from tests.review.factories import household_with_adult, open_round
from tests.review.test_public_common import SECRETS, posted_round

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()  # rate-limit counters and used captcha tokens
    yield
    cache.clear()


def _get(url: str) -> tuple[int, str]:
    response = Client().get(url)
    return response.status_code, response.content.decode()


def _no_secrets(page: str) -> None:
    for secret in SECRETS:
        assert secret not in page, secret


def test_the_posted_households_and_their_classes(geo_map: Map) -> None:
    posted = posted_round(geo_map)
    classes = dict(
        Result.objects.filter(round=posted.round, superseded=False).values_list("household__code", "klass")
    )
    assert classes == {"H0001": "poor", "H0003": "near_poor", "H0002": "not_poor"}
    assert posted.round.status == RoundStatus.POSTING


def test_the_posting_page_shows_each_village_with_names_and_classes_only(geo_map: Map) -> None:
    posted = posted_round(geo_map)
    status, page = _get(reverse("review_public:posting", args=[posted.round.pk]))

    assert status == 200
    assert "H0001" in page and "Hồ Văn Minh" in page and "Hộ nghèo" in page
    assert "H0003" in page and "Lò Thị Mai" in page and "Hộ cận nghèo" in page
    assert "H0002" not in page  # not poor: not posted
    assert f'<h2 id="thon-{geo_map.v1.pk}">Thôn V1</h2>' in page
    assert f'<h2 id="thon-{geo_map.v1b.pk}">Thôn V1B</h2>' in page
    complaint = reverse("review_public:complaint", args=[posted.round.pk])
    assert f'href="{complaint}?ho=H0001"' in page and f'href="{complaint}?ho=H0003"' in page
    _no_secrets(page)


def test_the_village_filter_shows_one_village_and_refuses_others(geo_map: Map) -> None:
    posted = posted_round(geo_map)
    url = reverse("review_public:posting", args=[posted.round.pk])

    status, page = _get(f"{url}?thon={geo_map.v1b.pk}")
    assert status == 200
    assert "H0003" in page and "H0001" not in page and "Hồ Văn Minh" not in page

    for bad in (str(geo_map.v2.pk), str(geo_map.w1.pk), "999999", "abc", "", "-1"):
        status, page = _get(f"{url}?thon={bad}")
        assert status == 404, bad
        assert "H0001" not in page and "H0003" not in page


def test_the_index_leads_from_province_to_commune_to_the_posted_round(geo_map: Map) -> None:
    posted = posted_round(geo_map)
    index = reverse("review_public:index")

    status, page = _get(index)
    assert status == 200
    assert f'href="?tinh={geo_map.p.code}"' in page and geo_map.p.name in page
    assert geo_map.q.name not in page  # province 96 posts nothing

    status, page = _get(f"{index}?tinh={geo_map.p.code}")
    assert f'href="?xa={geo_map.c1.pk}"' in page and geo_map.c1.name in page
    assert geo_map.c2.name not in page

    status, page = _get(f"{index}?xa={geo_map.c1.pk}")
    assert reverse("review_public:posting", args=[posted.round.pk]) in page
    assert "Rà soát định kỳ năm 2026" in page
    for code in ("H0001", "H0002", "H0003", "Hồ Văn Minh"):
        assert code not in page  # never a list of households here

    status, page = _get(f"{index}?xa={geo_map.c2.pk}")
    assert status == 200 and "Rà soát định kỳ" not in page


def test_the_index_is_empty_when_nothing_is_posted(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    household, _ = household_with_adult(commune=geo_map.c1, village=geo_map.v1, code="H0009")
    open_round(commune=geo_map.c1, households=[household], actor=officer)

    status, page = _get(reverse("review_public:index"))
    assert status == 200
    assert "Hiện không có xã nào đang niêm yết kết quả rà soát." in page
    assert geo_map.c1.name not in page


def _public_urls(round_pk: int, code: str = "H0001") -> list[str]:
    posting = reverse("review_public:posting", args=[round_pk])
    complaint = reverse("review_public:complaint", args=[round_pk])
    return [
        posting,
        f"{posting}?thon=1",
        reverse("review_public:posting_pdf", args=[round_pk]),
        complaint,
        f"{complaint}?ho={code}",
    ]


def test_a_round_not_posted_and_guessed_ids_are_404_with_no_data(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c2)
    household, _ = household_with_adult(commune=geo_map.c2, village=geo_map.v2, code="H0042")
    listing = open_round(commune=geo_map.c2, households=[household], actor=officer)  # not posted
    posted = posted_round(geo_map)
    missing = max(listing.pk, posted.round.pk) + 1

    for round_pk in (listing.pk, missing, 0, 2**31):
        for url in _public_urls(round_pk, "H0042"):
            status, page = _get(url)
            assert status == 404, url
            for data in ("Hồ Văn Minh", "Lò Thị Mai", "Hộ nghèo", "Hộ cận nghèo", "Thôn V2", "Thôn V1"):
                assert data not in page, (url, data)  # (the 404 page echoes the URL, nothing else)
            _no_secrets(page)
    # the posted round, but a household code that is not in its posting (not poor, another commune's,
    # made up): 404 as well
    for code in ("H0002", "H0042", "H9999", "", "H0001'--"):
        url = reverse("review_public:complaint", args=[posted.round.pk]) + f"?ho={code}"
        assert Client().get(url).status_code == 404, code
    assert (
        Client().get(reverse("review_public:complaint", args=[posted.round.pk]) + "?ho=H0001").status_code
        == 200
    )


def test_a_posting_that_has_not_started_is_not_public(geo_map: Map) -> None:
    posted = posted_round(geo_map, start=timezone.localdate() + datetime.timedelta(days=3))
    for url in _public_urls(posted.round.pk):
        assert Client().get(url).status_code == 404, url
    assert selectors.public_round(posted.round.pk, today=timezone.localdate()) is None


def test_a_round_stays_public_at_the_posting_step_after_the_last_day_but_not_once_approved(
    geo_map: Map,
) -> None:
    today = timezone.localdate()
    posted = posted_round(geo_map, start=today - datetime.timedelta(days=20))
    url = reverse("review_public:posting", args=[posted.round.pk])
    status, page = _get(url)
    assert status == 200 and "H0001" in page
    assert "Đã hết thời gian nhận phản ánh, khiếu nại trực tuyến của đợt này." in page
    assert "?ho=H0001" not in page  # no complaint links after the posting

    round_approve(review_round=posted.round, actor=posted.officer, on=today)
    for public in _public_urls(posted.round.pk):
        status, page = _get(public)
        assert status == 404, public
        assert "Hồ Văn Minh" not in page and "Hộ nghèo" not in page


def test_an_approved_round_is_public_only_up_to_the_postings_last_day(geo_map: Map) -> None:
    """The complaint window is the posting itself (procedure ``[complaints]``), so an approved or
    reported round is public through the posting's last day and never after it."""
    posted = posted_round(geo_map)
    posting = posted.round.posting
    ReviewRound.objects.filter(pk=posted.round.pk).update(status=RoundStatus.APPROVED)

    assert selectors.public_round(posted.round.pk, today=posting.end_date) is not None
    assert selectors.public_round(posted.round.pk, today=posting.start_date) is not None
    assert (
        selectors.public_round(posted.round.pk, today=posting.end_date + datetime.timedelta(days=1)) is None
    )
    assert (
        selectors.public_round(posted.round.pk, today=posting.start_date - datetime.timedelta(days=1)) is None
    )
    ReviewRound.objects.filter(pk=posted.round.pk).update(status=RoundStatus.REPORTED)
    assert selectors.public_round(posted.round.pk, today=posting.end_date) is not None
    for status in (RoundStatus.LISTING, RoundStatus.SURVEYING, RoundStatus.CLASSIFIED, RoundStatus.MEETING):
        ReviewRound.objects.filter(pk=posted.round.pk).update(status=status)
        assert selectors.public_round(posted.round.pk, today=posting.end_date) is None, status


def test_posting_pdf_of_a_public_round_is_served(geo_map: Map) -> None:
    posted = posted_round(geo_map)
    response = Client().get(reverse("review_public:posting_pdf", args=[posted.round.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]


def test_public_pages_need_no_login_and_the_html_has_no_personal_data(geo_map: Map) -> None:
    posted = posted_round(geo_map)
    urls = [
        reverse("review_public:index"),
        reverse("review_public:index") + f"?tinh={geo_map.p.code}",
        reverse("review_public:index") + f"?xa={geo_map.c1.pk}",
        reverse("review_public:posting", args=[posted.round.pk]),
        reverse("review_public:posting", args=[posted.round.pk]) + f"?thon={geo_map.v1.pk}",
        reverse("review_public:complaint", args=[posted.round.pk]),
        reverse("review_public:complaint", args=[posted.round.pk]) + "?ho=H0001",
        reverse("review_public:tracking"),
    ]
    for url in urls:
        status, page = _get(url)
        assert status == 200, url
        _no_secrets(page)
