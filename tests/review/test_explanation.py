import pytest
from django.utils import translation

from giamngheo.review.explanation import explain
from giamngheo.review.presentation import explanation_view
from giamngheo.standards import get_standard


def _poor() -> dict[str, object]:
    return {
        "klass": "poor",
        "area": "rural",
        "basis": "income",
        "line": 1_500_000.0,
        "members": 4,
        "deprived": ["health_insurance", "water_source", "latrine"],
        "unknown": [],
        "deprivation_count": 3,
        "missing": [],
        "income_per_person": 1_200_000.0,
    }


def test_explain_reads_the_verdicts_and_cutoffs_from_the_result_and_the_standard() -> None:
    e = explain(standard=get_standard("vn-2022-2025"), **_poor())  # type: ignore[arg-type]
    assert e.below_line is True
    assert e.middle_upper == 2_250_000
    assert [i.spec.id for i in e.deprived] == ["health_insurance", "water_source", "latrine"]
    assert {i.state for i in e.indicators} == {"deprived", "not_deprived"}
    floor = next(i for i in e.indicators if i.spec.id == "floor_area")
    assert floor.params == {"min_m2_per_person": 8}
    assert e.reaches_threshold


@pytest.mark.django_db
def test_the_explanation_in_vietnamese() -> None:
    with translation.override("vi"):
        view = explanation_view(explain(standard=get_standard("vn-2022-2025"), **_poor()))  # type: ignore[arg-type]
    assert view.class_name == "Hộ nghèo"
    assert view.income_text == (
        "Thu nhập bình quân 1.200.000\xa0đ/người/tháng, "
        "không vượt chuẩn nghèo 1.500.000\xa0đ/người/tháng (nông thôn)."
    )
    assert view.count_text == "Thiếu hụt 3 trong 12 chỉ số; hộ nghèo khi thiếu hụt từ 3 chỉ số trở lên."
    assert view.rule_text == "Thu nhập không vượt chuẩn và thiếu hụt từ 3 chỉ số trở lên: hộ nghèo."
    insurance = next(line for line in view.indicators if line.label == "Bảo hiểm y tế")
    assert (insurance.state_text, insurance.dimension) == ("Thiếu hụt", "Y tế")
    assert [(r.label, r.items) for r in insurance.cutoff] == [("Người được xét", ["từ 6 tuổi trở lên"])]
    area = next(line for line in view.indicators if line.label == "Diện tích nhà ở bình quân đầu người")
    assert area.state_text == "Không thiếu hụt"
    assert area.cutoff[0].items == ["dưới 8 m²/người"]
    assert view.standard_text == "Chuẩn nghèo đa chiều giai đoạn 2022-2025 (vn-2022-2025, phiên bản 1)"


@pytest.mark.django_db
def test_an_incomplete_result_names_the_missing_facts_per_indicator() -> None:
    fields = {**_poor(), "klass": "incomplete", "unknown": ["water_source"], "missing": ["water_source"]}
    fields["deprived"] = ["health_insurance"]
    fields["deprivation_count"] = 1
    with translation.override("vi"):
        view = explanation_view(explain(standard=get_standard("vn-2022-2025"), **fields))  # type: ignore[arg-type]
    water = next(line for line in view.indicators if line.label == "Nguồn nước sinh hoạt")
    assert (water.state_text, water.missing) == ("Chưa xác định được", ["Nguồn nước sinh hoạt chính"])
    assert view.missing == ["Nguồn nước sinh hoạt chính"]
    assert view.rule_text.startswith("Còn thiếu dữ kiện")


@pytest.mark.django_db
def test_a_not_poor_household_above_the_middle_band() -> None:
    fields = {
        **_poor(),
        "klass": "not_poor",
        "income_per_person": 3_000_000.0,
        "deprived": [],
        "deprivation_count": 0,
    }
    with translation.override("vi"):
        view = explanation_view(explain(standard=get_standard("vn-2022-2025"), **fields))  # type: ignore[arg-type]
    assert view.income_text.endswith("Cao hơn mức sống trung bình (2.250.000\xa0đ/người/tháng).")
