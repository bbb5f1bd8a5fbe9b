"""The round's history page (lịch sử đợt rà soát) and a household's history in the round."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import AuditEvent, Role, User
from giamngheo.accounts.services import audit_record
from giamngheo.review import selectors
from giamngheo.review.history import history_rows
from giamngheo.review.models import ReviewAuditAction, ReviewRound
from giamngheo.review.procedure import procedure
from giamngheo.review.services import application_record, causes_record, phieu_a_record, round_classify
from tests.accounts.factories import PASSWORD, scoped_user_factory
from tests.registry.conftest import Map
from tests.review.factories import (
    POOR_INCOME,
    adult_facts,
    approve,
    entry_of,
    household_facts,
    household_with_adult,
    open_round,
    survey,
)

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _round(geo_map: Map, officer: User) -> ReviewRound:
    """H0001 (V1) surveyed twice (income changed, then a member's insurance), H0002 (V1B) once; causes
    recorded for H0001; the round approved."""
    poor, head = household_with_adult(commune=geo_map.c1, village=geo_map.v1, code="H0001")
    other, other_head = household_with_adult(commune=geo_map.c1, village=geo_map.v1b, code="H0002")
    rnd = open_round(commune=geo_map.c1, households=[poor, other], actor=officer)
    survey(rnd, poor, household_facts(income=24_000_000, deprived=3), [adult_facts(head)], officer)
    survey(
        rnd,
        poor,
        household_facts(income=POOR_INCOME, deprived=3),
        [adult_facts(head, has_health_insurance=False)],
        officer,
    )
    survey(rnd, other, household_facts(), [adult_facts(other_head)], officer)
    causes_record(round_household=entry_of(rnd, poor), causes=["land"], support_needs=[], actor=officer)
    rnd.refresh_from_db()
    approve(rnd, actor=officer, posting_day=datetime.date(2026, 11, 1))
    rnd.refresh_from_db()
    return rnd


def test_the_round_history_lists_every_event_newest_first_in_words(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1, full_name="Lê Văn Bình")
    rnd = _round(geo_map, officer)
    rows = history_rows(selectors.round_audit_events(viewer=officer, review_round=rnd))

    assert [r.action for r in rows] == [
        "Phê duyệt kết quả rà soát",
        "Niêm yết công khai",
        "Ghi biên bản họp thôn",
        "Ghi biên bản họp thôn",
        "Phân loại hộ",
        "Ghi nguyên nhân nghèo, nhu cầu hỗ trợ",
        "Ghi Phiếu B",
        "Ghi Phiếu B",
        "Ghi Phiếu B",
        "Tạo đợt rà soát",
    ]
    assert {r.actor for r in rows} == {"Lê Văn Bình"}
    approval = {c.label: (c.before, c.after) for c in rows[0].changes}
    assert approval["bước"] == ("Đang niêm yết", "Đã phê duyệt")
    assert approval["ngày phê duyệt"] == ("", "09/11/2026")
    second_survey = rows[7]
    assert second_survey.target == "Phiếu B của hộ H0001"
    changes = {c.label: (c.before, c.after) for c in second_survey.changes}
    assert changes["Tổng thu nhập của hộ 12 tháng qua"] == ("24.000.000", "12.000.000")
    assert changes["Nhân khẩu Hồ Văn Minh — Có thẻ bảo hiểm y tế còn hạn"] == ("Có", "Không")
    assert len(changes) == 2  # nothing else changed
    causes = {c.label: c.after for c in rows[5].changes}
    assert causes == {"nguyên nhân nghèo": "Thiếu đất sản xuất"}
    created = {c.label: c.after for c in rows[-1].changes}
    assert created["loại rà soát"] == "Định kỳ" and created["năm"] == "2026"
    assert created["ngày rà soát"] == "01/10/2026"
    assert created["hộ đưa vào danh sách"] == "Khác: 2"
    classified = {c.label: c.after for c in rows[4].changes}
    assert classified["số hộ theo phân loại"] in (
        "Hộ nghèo: 1; Hộ không nghèo: 1",
        "Hộ không nghèo: 1; Hộ nghèo: 1",
    )


def test_the_history_page_is_scoped_and_paginated(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    rnd = _round(geo_map, officer)
    url = reverse("review:history", args=[rnd.pk])

    page = _client(officer).get(url).content.decode()
    assert "Lịch sử đợt rà soát" in page and "Phiếu B của hộ H0002" in page and "Phiếu B của hộ H0001" in page

    other_surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1b)
    theirs = _client(other_surveyor).get(url).content.decode()
    assert "Phiếu B của hộ H0002" in theirs and "H0001" not in theirs
    assert "Phê duyệt kết quả rà soát" in theirs  # the round's own events

    outsider = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.d1)
    assert _client(outsider).get(url).status_code == 404

    for n in range(105):  # more than one page
        audit_record(actor=officer, action=ReviewAuditAction.ROUND_REPORTED, target=rnd, after={"year": n})
    first = _client(officer).get(url).content.decode()
    assert "trang 1/2" in first and "?trang=2" in first
    second = _client(officer).get(url, {"trang": 2}).content.decode()
    assert "Tạo đợt rà soát" in second and "Tạo đợt rà soát" not in first
    total = AuditEvent.objects.filter(target_type="review.reviewround", target_id=str(rnd.pk)).count()
    assert total > 100


def test_a_households_history_shows_its_own_events_and_the_batches_that_included_it(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    rnd = _round(geo_map, officer)
    entry = rnd.households.get(household__code="H0001")
    audit_record(
        actor=officer,
        action=ReviewAuditAction.SURVEY_BATCH_SAVED,
        target=rnd,
        after={"village": geo_map.v1.pk, "created": 0, "updated": 1, "households": [entry.household_id]},
    )
    audit_record(
        actor=officer,
        action=ReviewAuditAction.SURVEY_BATCH_SAVED,
        target=rnd,
        after={"village": geo_map.v1b.pk, "created": 0, "updated": 1, "households": [entry.household_id + 1]},
    )
    rows = history_rows(selectors.entry_audit_events(viewer=officer, entry=entry))
    assert [r.action for r in rows] == [
        "Ghi Phiếu B theo lô",
        "Ghi nguyên nhân nghèo, nhu cầu hỗ trợ",
        "Ghi Phiếu B",
        "Ghi Phiếu B",
    ]
    batch = {c.label: c.after for c in rows[0].changes}
    assert batch["thôn"] == geo_map.v1.name and batch["số hộ"] == "1 hộ"

    url = reverse("review:entry_history", args=[rnd.pk, entry.pk])
    page = _client(officer).get(url).content.decode()
    assert "Lịch sử của hộ H0001 trong đợt rà soát" in page and "H0002" not in page
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1b)
    assert _client(surveyor).get(url).status_code == 404
    assert selectors.entry_audit_events(viewer=surveyor, entry=entry) == []


def test_phieu_a_answers_are_shown_one_question_at_a_time(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    household, _member = household_with_adult(commune=geo_map.c1, village=geo_map.v1, code="H0009")
    rnd = open_round(commune=geo_map.c1, households=[], actor=officer)
    entry = application_record(review_round=rnd, household=household, actor=officer)
    answers = dict.fromkeys(procedure().phieu_a.ids, False)
    phieu_a_record(round_household=entry, answers=answers, actor=officer)
    phieu_a_record(round_household=entry, answers={**answers, "car": True}, actor=officer)
    rows = history_rows(selectors.entry_audit_events(viewer=officer, entry=entry))
    assert [r.action for r in rows] == ["Ghi Phiếu A", "Ghi Phiếu A", "Ghi nhận giấy đề nghị rà soát"]
    changes = {c.label: (c.before, c.after) for c in rows[0].changes}
    car = next(label for label in changes if label.startswith("Phiếu A, câu 2:"))
    assert changes[car] == ("Không", "Có")
    assert changes["qua nhận dạng nhanh"] == ("Có", "Không")
    assert {c.label: c.after for c in rows[2].changes}["lý do đưa vào danh sách"] == "Có giấy đề nghị rà soát"


def test_round_classify_history_row_names_the_standard(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    household, member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    rnd = open_round(commune=geo_map.c1, households=[household], actor=officer)
    survey(rnd, household, household_facts(), [adult_facts(member)], officer)
    round_classify(review_round=rnd, actor=officer)
    rows = history_rows(selectors.round_audit_events(viewer=officer, review_round=rnd))
    changes = {c.label: (c.before, c.after) for c in rows[0].changes}
    assert changes["bước"] == ("Thu thập thông tin hộ", "Đã phân loại")
    assert changes["chuẩn nghèo"][1] == rnd.standard_id and rnd.standard_id
