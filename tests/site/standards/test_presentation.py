"""A standard as display data: the list and detail pages, and the functions that word them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from giamngheo.site.standards.presentation import (
    FACTS_BY_NAME,
    allowed_words,
    class_name,
    detail_context,
    money,
    number,
    param_rows,
    rule_sentences,
    standard_cards,
    status_badge,
    unconfirmed_items,
)
from giamngheo.standards import CLASSES, get_standard, list_standards, standard_for
from tests.site.standards.common import english, text

# --- words and numbers -------------------------------------------------------------------------------


def test_numbers_and_money_follow_the_language() -> None:
    with translation.override("vi"):
        assert number(1_500_000) == "1.500.000"
        assert number(33.333, 1) == "33,3"
        assert money(1_500_000) == "1.500.000\u00a0đ"  # never broken between amount and unit
    with translation.override("en"):
        assert number(1_500_000) == "1,500,000"
        assert money(1_500_000) == "1,500,000\u00a0VND"


def test_class_names_in_both_languages() -> None:
    with translation.override("vi"):
        assert [class_name(key) for key in CLASSES] == [
            "Hộ nghèo",
            "Hộ cận nghèo",
            "Hộ có mức sống trung bình",
            "Hộ không nghèo",
            "Chưa đủ thông tin",
        ]
        assert class_name("unknown") == "unknown"
    with translation.override("en"):
        assert class_name("poor") != "Hộ nghèo"


@pytest.mark.parametrize(
    ("status", "css", "icon"),
    [("confirmed", "ok", "✓"), ("best_reading", "reading", "≈"), ("unconfirmed", "unconfirmed", "!")],
)
def test_a_badge_is_never_colour_alone(status: str, css: str, icon: str) -> None:
    badge = status_badge(status)
    assert (badge.css, badge.icon) == (css, icon)
    assert badge.text
    assert badge.hint


def test_allowed_values_in_words() -> None:
    with translation.override("vi"):
        assert allowed_words(FACTS_BY_NAME["area"]) == "urban (thành thị); rural (nông thôn)"
        assert allowed_words(FACTS_BY_NAME["has_dwelling"]) == "có / không"
        assert allowed_words(FACTS_BY_NAME["household_id"]) == "văn bản hoặc số"
        assert allowed_words(FACTS_BY_NAME["age"]).startswith("số nguyên")


# --- the rule and the parameters in words ------------------------------------------------------------


def test_rule_sentences_of_the_2022_2025_standard() -> None:
    with translation.override("vi"):
        rules = {rule.key: rule for rule in rule_sentences(get_standard("vn-2022-2025"))}
    assert list(rules) == list(CLASSES)
    assert rules["poor"].name == "Hộ nghèo"
    assert rules["poor"].text == (
        "thu nhập bình quân ≤ 1.500.000\u00a0đ/người/tháng ở nông thôn, "
        "≤ 2.000.000\u00a0đ/người/tháng ở thành thị và thiếu hụt từ 3 chỉ số trở lên"
    )
    assert "thiếu hụt dưới 3 chỉ số" in rules["near_poor"].text
    assert "không xét số chỉ số thiếu hụt" in rules["middle_living"].text


def test_rule_sentences_follow_the_standard_data() -> None:
    """Every standard's rule quotes its own lines and number of deprivations (nothing typed by hand)."""
    with translation.override("vi"):
        for standard in list_standards():
            poor = rule_sentences(standard)[0].text
            assert f"từ {standard.poor_min_deprivations} chỉ số trở lên" in poor, standard.id
            assert ("hoặc thu nhập bình quân" in poor) == (standard.rule == "two_band"), standard.id


def test_parameters_in_words() -> None:
    with translation.override("vi"):
        rows = param_rows({"age_min": 16, "age_max": 30, "min_m2_per_person": 8, "share_above": 0.5})
    assert [(row.label, row.items) for row in rows] == [
        ("Độ tuổi được xét", ["từ 16 đến 30 tuổi"]),
        ("Thiếu hụt khi diện tích nhà ở bình quân", ["dưới 8 m²/người"]),
        ("Thiếu hụt khi tỷ lệ người phụ thuộc", ["trên 50% số nhân khẩu"]),
    ]


def test_unknown_parameters_are_shown_as_written() -> None:
    with translation.override("vi"):
        rows = param_rows({"new_threshold": 3})
    assert [(row.label, row.items) for row in rows] == [("new_threshold", ["3"])]


def test_unconfirmed_items_in_words() -> None:
    with translation.override("vi"):
        words = unconfirmed_items(get_standard("local-79-hcm-2025"))
    assert "Cách phân loại" in words


def test_cards_and_detail_context() -> None:
    today = dt.date(2025, 6, 30)
    with translation.override("vi"):
        cards = standard_cards(today)
        context = detail_context(get_standard("vn-2022-2025"), today)
    assert [card.standard.id for card in cards] == [s.id for s in list_standards()]
    assert [card.standard.id for card in cards if card.in_force and card.standard.kind == "national"] == [
        "vn-2022-2025"
    ]
    assert context["card"].in_force_text == "Đang áp dụng"
    assert [row.area for row in context["line_rows"]] == ["nông thôn", "thành thị"]
    assert context["line_rows"][0].poverty == "1.500.000\u00a0đ"
    assert context["score_rural"] == "140"


# --- the list page -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_every_standard_and_the_one_in_force(officer: Client) -> None:
    response = officer.get(reverse("standards:list"))
    assert response.status_code == 200
    page = response.content.decode()
    page_text = text(response)
    for standard in list_standards():
        assert standard.title_vi in page_text
        assert reverse("standards:detail", args=[standard.id]) in page
        count = len(standard.unconfirmed)
        row = re.search(rf'chuan-ngheo/{standard.id}/".*?</tr>', page, re.DOTALL)
        assert row is not None
        assert f"</span> {count}</span>" in row.group(0)
    current = standard_for(timezone.localdate())
    highlighted = re.findall(r'<tr class="is-current">.*?href="/chuan-ngheo/([^/]+)/"', page, re.DOTALL)
    assert current.id in highlighted
    assert "Đang áp dụng" in page_text
    assert "Nông thôn: 1.500.000 đ" in page_text
    assert "Nông thôn: 1.000.000 đ (chuẩn thấp 700.000 đ)" in page_text  # two-band 2016-2020
    assert (
        "Thành thị: 4.500.000 đ (chuẩn thấp ≈ 3.833.333 đ) (54.000.000 đ/năm)" in page_text
    )  # HCM, per year
    assert "Quốc gia" in page_text
    assert "Địa phương (mã tỉnh 79)" in page_text
    assert 'aria-current="page">Chuẩn nghèo</a>' in page


@pytest.mark.django_db
def test_list_in_english(officer: Client) -> None:
    english(officer)
    page_text = text(officer.get(reverse("standards:list")))
    for standard in list_standards():
        assert standard.title_en in page_text
    assert "In force" in page_text
    assert "Rural: 1,500,000 VND" in page_text
    assert "Chuẩn nghèo đa chiều" not in page_text


# --- the detail page ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_shows_the_rule_in_words_and_every_citation(officer: Client) -> None:
    standard = get_standard("vn-2022-2025")
    response = officer.get(reverse("standards:detail", args=[standard.id]))
    assert response.status_code == 200
    page_text = text(response)
    assert standard.legal_basis in page_text
    assert (
        "Hộ nghèo: thu nhập bình quân ≤ 1.500.000 đ/người/tháng ở nông thôn, "
        "≤ 2.000.000 đ/người/tháng ở thành thị và thiếu hụt từ 3 chỉ số trở lên." in page_text
    )
    assert "Hộ cận nghèo: thu nhập bình quân ≤ 1.500.000 đ/người/tháng" in page_text
    assert "thiếu hụt dưới 3 chỉ số" in page_text
    assert (
        "Hộ có mức sống trung bình: thu nhập bình quân trên 1.500.000 đến 2.250.000 đ/người/tháng"
        in page_text
    )
    for period in standard.validity:
        assert period.citation in page_text
        assert f"{period.start:%d/%m/%Y}" in page_text
    for indicator in standard.indicators:
        assert indicator.citation in page_text, indicator.id
        assert indicator.label_vi in page_text
    for badge in ("đã xác nhận", "cách đọc tốt nhất", "chưa xác nhận"):
        assert badge in page_text
    # Parameters in words: ages, and codes translated to their Vietnamese labels.
    assert "từ 6 tuổi trở lên" in page_text
    assert "thất nghiệp" in page_text
    assert "làm công ăn lương không có hợp đồng lao động" in page_text
    assert "giếng đào được bảo vệ" in page_text
    assert "Có thành viên sử dụng internet" in page_text
    assert "dưới 8 m²/người" in page_text
    assert "từ 18 đến 30 tuổi: tối thiểu trung học phổ thông, hoặc trình độ nghề sơ cấp trở lên" in page_text
    assert "Tuổi nghỉ hưu của nam 61 tuổi" in page_text
    assert "140 điểm" in page_text
    assert "Chỉ số: Phương tiện phục vụ tiếp cận thông tin" in page_text


@pytest.mark.django_db
def test_detail_of_a_two_band_standard(officer: Client) -> None:
    page_text = text(officer.get(reverse("standards:detail", args=["vn-2016-2020"])))
    assert (
        "Hộ nghèo: thu nhập bình quân ≤ 700.000 đ/người/tháng ở nông thôn, ≤ 900.000 đ/người/tháng ở "
        "thành thị; hoặc thu nhập bình quân trên 700.000 đến 1.000.000 đ/người/tháng ở nông thôn" in page_text
    )
    assert "Chuẩn thấp" in page_text
    assert "Mức sống trung bình (nông thôn)" in page_text  # unconfirmed middle band, listed


@pytest.mark.django_db
def test_detail_of_a_standard_without_middle_band(officer: Client) -> None:
    page_text = text(officer.get(reverse("standards:detail", args=["vn-2027-2030"])))
    assert "Hộ có mức sống trung bình: chuẩn này không quy định nhóm này" in page_text
    assert "Hộ không nghèo: thu nhập bình quân trên 2.200.000 đ/người/tháng ở nông thôn" in page_text
    assert "được thu gom" in page_text  # waste_treatment's acceptable codes


@pytest.mark.django_db
def test_detail_of_a_local_standard_shows_yearly_lines(officer: Client) -> None:
    page_text = text(officer.get(reverse("standards:detail", args=["local-79-hcm-2025"])))
    assert "Hộ nghèo: thu nhập bình quân ≤ 46.000.000 đ/người/năm (≈ 3.833.333 đ/người/tháng)" in page_text
    assert "54.000.000 đ/năm" in page_text
    assert "Địa phương (mã tỉnh 79)" in page_text
    assert "Cách phân loại" in page_text  # unconfirmed classification, listed


@pytest.mark.django_db
def test_detail_in_english(officer: Client) -> None:
    english(officer)
    standard = get_standard("vn-2022-2025")
    page_text = text(officer.get(reverse("standards:detail", args=[standard.id])))
    assert standard.title_en in page_text
    assert "Poor household: average income ≤ 1,500,000 VND per person per month in rural areas" in page_text
    for indicator in standard.indicators:
        assert indicator.label_en in page_text
        assert indicator.citation in page_text  # citations are legal text, shown as written
    assert "best reading" in page_text
    assert "aged 6 and over" in page_text
    assert "Hộ nghèo" not in page_text
