"""A poverty standard as display data: the rule in words, parameters in words, badges, lines, cards.

Everything here reads a :class:`~giamngheo.standards.Standard` and returns text in the current language
(Vietnamese, or English after the language switch). The plain-language rule is generated from the
standard's data (lines, rule kind, number of deprivations), never written by hand, so it cannot drift from
what :func:`giamngheo.standards.evaluate` does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import polars as pl
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamngheo.standards import (
    CLASSES,
    HOUSEHOLD_FACTS,
    MEMBER_FACTS,
    AreaLines,
    Fact,
    IndicatorSpec,
    Standard,
    Validity,
    list_standards,
)

AREAS: Final = ("rural", "urban")  # the order the decrees use: rural first
FACTS_BY_NAME: Final[dict[str, Fact]] = {f.name: f for f in (*MEMBER_FACTS, *HOUSEHOLD_FACTS)}


# --- words and numbers in the current language -------------------------------------------------------


def english() -> bool:
    return (translation.get_language() or "vi").startswith("en")


def number(value: float, decimals: int = 0) -> str:
    """Grouped in the current language's format (1.500.000 in Vietnamese, 1,500,000 in English)."""
    rounded: float = round(value, decimals) if decimals else round(value)
    return formats.number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


_AMOUNT_AND_UNIT: Final = re.compile(r"(\d) (đ|VND)\b")


def _glued(text: str) -> str:
    """A non-breaking space between an amount and its unit, so "1.500.000 đ" never breaks."""
    return _AMOUNT_AND_UNIT.sub("\\1\u00a0\\2", text)


def money(value: float) -> str:
    return _glued(_("{amount} đ").format(amount=number(value)))


def fact_label(fact: Fact) -> str:
    return fact.label_en if english() else fact.label_vi


def code_label(fact: Fact | None, code: str) -> str:
    """The Vietnamese label of an enumeration code (English: the code in words)."""
    if fact is None or code not in fact.allowed:
        return code
    if english():
        return code.replace("_", " ")
    return fact.allowed_labels_vi[fact.allowed.index(code)]


def _enumeration_of(codes: Sequence[str]) -> Fact | None:
    """The one enumeration fact whose allowed values contain all ``codes`` (None if none or several)."""
    found = [f for f in FACTS_BY_NAME.values() if f.allowed and all(c in f.allowed for c in codes)]
    return found[0] if len(found) == 1 else None


def area_label(area: str) -> str:
    return code_label(FACTS_BY_NAME["area"], area)


_CLASS_NAMES: Final = {
    "poor": gettext_lazy("Hộ nghèo"),
    "near_poor": gettext_lazy("Hộ cận nghèo"),
    "middle_living": gettext_lazy("Hộ có mức sống trung bình"),
    "not_poor": gettext_lazy("Hộ không nghèo"),
    "incomplete": gettext_lazy("Chưa đủ thông tin"),
}


def class_name(key: str) -> str:
    return str(_CLASS_NAMES.get(key, key))


# --- status badges -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    """A status shown by colour, an icon and words (never colour alone)."""

    css: str
    icon: str
    text: str
    hint: str


def status_badge(status: str) -> Badge:
    if status == "confirmed":
        return Badge("ok", "✓", _("đã xác nhận"), _("Đã đối chiếu với văn bản pháp luật."))
    if status == "best_reading":
        return Badge(
            "reading",
            "≈",
            _("cách đọc tốt nhất"),
            _("Cách hiểu văn bản tốt nhất hiện có; có thể sửa trong tệp dữ liệu của chuẩn."),
        )
    return Badge("unconfirmed", "!", _("chưa xác nhận"), _("Chưa đối chiếu với văn bản pháp luật."))


# --- the standard in words ---------------------------------------------------------------------------


def standard_title(standard: Standard) -> str:
    return standard.title_en if english() else standard.title_vi


def stated_per_year(standard: Standard) -> bool:
    """Whether the act states the lines per person per YEAR (e.g. Hồ Chí Minh City) rather than per month,
    as recorded in the data file (``period``)."""
    return any(lines.period == "year" for lines in standard.lines.values())


def _amounts(standard: Standard, template: str, *yearly: int) -> str:
    """``template`` ("≤ {0}", "trên {0} đến {1}") filled with amounts and followed by the unit."""
    if stated_per_year(standard):
        per_year = template.format(*(number(v) for v in yearly))
        plain = "{0}" if len(yearly) == 1 else _("{0} đến {1}")
        per_month = plain.format(*(number(v / 12) for v in yearly))
        exact = all(v % 12 == 0 for v in yearly)
        return _glued(
            (
                _("{amounts} đ/người/năm ({monthly} đ/người/tháng)")
                if exact
                else _("{amounts} đ/người/năm (≈ {monthly} đ/người/tháng)")
            ).format(amounts=per_year, monthly=per_month)
        )
    monthly = template.format(*(number(v / 12) for v in yearly))
    return _glued(_("{amounts} đ/người/tháng").format(amounts=monthly))


def _by_area(standard: Standard, phrase: Callable[[AreaLines], str]) -> str:
    """One phrase per area, or a single phrase when both areas have the same lines."""
    rural, urban = (phrase(standard.lines[area]) for area in AREAS)
    if rural == urban:
        return rural
    return _("{rural} ở nông thôn, {urban} ở thành thị").format(rural=rural, urban=urban)


@dataclass(frozen=True)
class ClassRule:
    key: str
    name: str
    text: str


def _line(lines: AreaLines, attribute: str) -> int:
    value = getattr(lines, attribute)
    assert isinstance(value, int), attribute
    return value


def rule_sentences(standard: Standard) -> list[ClassRule]:
    """The classification rule of ``standard`` in plain words, one sentence per class."""
    k = standard.poor_min_deprivations
    at_most, above, between = _("≤ {0}"), _("trên {0}"), _("trên {0} đến {1}")

    def amounts(template: str, *attributes: str) -> str:
        return _by_area(
            standard, lambda lines: _amounts(standard, template, *(_line(lines, a) for a in attributes))
        )

    if standard.rule == "two_band":
        band = amounts(between, "lower", "poverty")
        poor = _(
            "thu nhập bình quân {lower}; hoặc thu nhập bình quân {band} và thiếu hụt từ {k} chỉ số trở lên"
        ).format(lower=amounts(at_most, "lower"), band=band, k=k)
        near_poor = _("thu nhập bình quân {band} và thiếu hụt dưới {k} chỉ số").format(band=band, k=k)
    else:
        line = amounts(at_most, "poverty")
        poor = _("thu nhập bình quân {line} và thiếu hụt từ {k} chỉ số trở lên").format(line=line, k=k)
        near_poor = _("thu nhập bình quân {line} và thiếu hụt dưới {k} chỉ số").format(line=line, k=k)
    if standard.has_middle_living:
        middle = _("thu nhập bình quân {band}, không xét số chỉ số thiếu hụt").format(
            band=amounts(between, "poverty", "middle_upper")
        )
        not_poor = _("thu nhập bình quân {above}").format(above=amounts(above, "middle_upper"))
    else:
        middle = _(
            "chuẩn này không quy định nhóm này, nên không hộ nào được xếp loại hộ có mức sống trung bình"
        )
        not_poor = _("thu nhập bình quân {above}").format(above=amounts(above, "poverty"))
    incomplete = _(
        "thiếu dữ kiện cần để xác định (thu nhập, danh sách thành viên hoặc dữ kiện của một chỉ số); "
        "hệ thống không tự điền dữ kiện còn thiếu"
    )
    texts = {
        "poor": poor,
        "near_poor": near_poor,
        "middle_living": middle,
        "not_poor": not_poor,
        "incomplete": incomplete,
    }
    return [ClassRule(key, class_name(key), texts[key]) for key in CLASSES]


# --- parameters in words -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ParamRow:
    label: str
    items: list[str]


def _years(n: object) -> str:
    return _("{n} tuổi").format(n=n)


def _yes_no(value: object) -> str:
    return _("có") if value else _("không")


def _codes(values: object) -> list[str]:
    if not isinstance(values, list):
        return [str(values)]
    codes = [str(v) for v in values]
    if all(c in FACTS_BY_NAME for c in codes):  # lists of facts (services, assets)
        return [fact_label(FACTS_BY_NAME[c]) for c in codes]
    fact = _enumeration_of(codes)
    return [code_label(fact, c) for c in codes]


def _band(band: Mapping[str, Any]) -> str:
    ages = _("từ {low} đến {high} tuổi").format(low=band.get("age_min", "?"), high=band.get("age_max", "?"))
    general = code_label(FACTS_BY_NAME["general_education"], str(band.get("min_general", "")))
    if "min_vocational" in band:
        vocational = code_label(FACTS_BY_NAME["vocational_qualification"], str(band["min_vocational"]))
        return _("{ages}: tối thiểu {general}, hoặc trình độ nghề {vocational} trở lên").format(
            ages=ages, general=general, vocational=vocational
        )
    return _("{ages}: tối thiểu {general}").format(ages=ages, general=general)


_PARAM_WORDS: Final[dict[str, tuple[Any, Callable[[Any], list[str]]]]] = {
    "working_age_min": (gettext_lazy("Độ tuổi lao động bắt đầu từ"), lambda v: [_years(v)]),
    "retirement_age_male": (gettext_lazy("Tuổi nghỉ hưu của nam"), lambda v: [_years(v)]),
    "retirement_age_female": (gettext_lazy("Tuổi nghỉ hưu của nữ"), lambda v: [_years(v)]),
    "child_age_below": (gettext_lazy("Trẻ em"), lambda v: [_("dưới {n} tuổi").format(n=v)]),
    "min_age": (gettext_lazy("Người được xét"), lambda v: [_("từ {n} tuổi trở lên").format(n=v)]),
    "share_above": (
        gettext_lazy("Thiếu hụt khi tỷ lệ người phụ thuộc"),
        lambda v: [_("trên {share} số nhân khẩu").format(share=f"{number(100 * v)}%")],
    ),
    "no_labour_capacity_is_dependant": (
        gettext_lazy("Người mất khả năng lao động được tính là người phụ thuộc"),
        lambda v: [_yes_no(v)],
    ),
    "enterprise_training_counts": (
        gettext_lazy("Người được doanh nghiệp tuyển dụng và đào tạo nghề có chứng nhận được coi là đạt"),
        lambda v: [_yes_no(v)],
    ),
    "bands": (
        gettext_lazy("Trình độ tối thiểu theo độ tuổi"),
        lambda v: [_band(b) for b in v] if isinstance(v, list) else [str(v)],
    ),
    "deprived_statuses": (gettext_lazy("Tình trạng bị tính là thiếu hụt"), _codes),
    "max_durable_parts_deprived": (
        gettext_lazy("Thiếu hụt khi số kết cấu chính (tường, cột, mái) bằng vật liệu bền chắc"),
        lambda v: [_("không quá {n} trong 3").format(n=v)],
    ),
    "min_m2_per_person": (
        gettext_lazy("Thiếu hụt khi diện tích nhà ở bình quân"),
        lambda v: [_("dưới {n} m²/người").format(n=number(v, 0 if float(v).is_integer() else 1))],
    ),
    "clean_sources": (gettext_lazy("Nguồn nước được coi là hợp vệ sinh"), _codes),
    "hygienic_types": (gettext_lazy("Loại nhà tiêu được coi là hợp vệ sinh"), _codes),
    "acceptable": (gettext_lazy("Cách xử lý rác được coi là đạt"), _codes),
    "services": (gettext_lazy("Không thiếu hụt khi có thành viên sử dụng một trong"), _codes),
    "assets": (gettext_lazy("Không thiếu hụt khi hộ có ít nhất một trong"), _codes),
}


def param_rows(params: Mapping[str, Any]) -> list[ParamRow]:
    """An indicator's (or the standard's shared) parameters as readable rows."""
    rows: list[ParamRow] = []
    if "age_min" in params and "age_max" in params:
        ages = _("từ {low} đến {high} tuổi").format(low=params["age_min"], high=params["age_max"])
        rows.append(ParamRow(_("Độ tuổi được xét"), [ages]))
    for key, value in params.items():
        if key in ("age_min", "age_max") and rows:
            continue
        label, words = _PARAM_WORDS.get(key, (key, _codes))
        rows.append(ParamRow(str(label), words(value)))
    return rows


# --- pages: list and detail --------------------------------------------------------------------------


def _kind(standard: Standard) -> str:
    if standard.kind == "local":
        return _("Địa phương (mã tỉnh {codes})").format(codes=", ".join(standard.province_codes))
    return _("Quốc gia")


@dataclass(frozen=True)
class AreaLine:
    area: str
    text: str
    per_year: str


@dataclass(frozen=True)
class StandardCard:
    standard: Standard
    title: str
    kind: str
    in_force: bool
    in_force_text: str
    periods: tuple[Validity, ...]
    lines: list[AreaLine]
    indicator_count: int
    unconfirmed_count: int


def _area_line(standard: Standard, area: str) -> AreaLine:
    """The poverty line of one area per month (with the lower line of a two-band rule)."""
    lines = standard.lines[area]
    text = _month_and_year(lines.poverty)[0]
    if standard.rule == "two_band" and lines.lower is not None:
        text = _("{line} (chuẩn thấp {lower})").format(line=text, lower=_month_and_year(lines.lower)[0])
    per_year = money(lines.poverty) if stated_per_year(standard) else ""
    return AreaLine(area_label(area), text, per_year)


def _card(standard: Standard, today: dt.date) -> StandardCard:
    in_force = standard.in_force(today)
    if not in_force:
        in_force_text = ""
    elif standard.kind == "local":
        in_force_text = _("Đang áp dụng tại tỉnh {codes}").format(codes=", ".join(standard.province_codes))
    else:
        in_force_text = _("Đang áp dụng")
    return StandardCard(
        standard=standard,
        title=standard_title(standard),
        kind=_kind(standard),
        in_force=in_force,
        in_force_text=in_force_text,
        periods=standard.validity,
        lines=[_area_line(standard, area) for area in AREAS],
        indicator_count=len(standard.indicators),
        unconfirmed_count=len(standard.unconfirmed),
    )


@dataclass(frozen=True)
class LineRow:
    area: str
    poverty: str
    poverty_year: str
    lower: str
    lower_year: str
    middle_upper: str
    middle_upper_year: str
    middle_unconfirmed: bool
    citation: str
    badge: Badge


@dataclass(frozen=True)
class IndicatorView:
    spec: IndicatorSpec
    label: str
    badge: Badge
    params: list[ParamRow]


@dataclass(frozen=True)
class DimensionView:
    key: str
    label: str
    indicators: list[IndicatorView]


@dataclass(frozen=True)
class PeriodView:
    validity: Validity
    badge: Badge


def _month_and_year(value: int | None) -> tuple[str, str]:
    if value is None:
        return "", ""
    monthly = money(value / 12)
    return (monthly if value % 12 == 0 else f"≈ {monthly}"), money(value)


def _line_rows(standard: Standard) -> list[LineRow]:
    rows = []
    for area in AREAS:
        lines = standard.lines[area]
        poverty, poverty_year = _month_and_year(lines.poverty)
        lower, lower_year = _month_and_year(lines.lower)
        middle, middle_year = _month_and_year(lines.middle_upper)
        rows.append(
            LineRow(
                area=area_label(area),
                poverty=poverty,
                poverty_year=poverty_year,
                lower=lower,
                lower_year=lower_year,
                middle_upper=middle,
                middle_upper_year=middle_year,
                middle_unconfirmed=f"lines.{area}.middle_upper" in standard.unconfirmed,
                citation=lines.citation,
                badge=status_badge(lines.status),
            )
        )
    return rows


def _dimensions(standard: Standard) -> list[DimensionView]:
    views = []
    for key, names in standard.dimensions.items():
        indicators = [
            IndicatorView(
                spec=spec,
                label=spec.label_en if english() else spec.label_vi,
                badge=status_badge(spec.status),
                params=param_rows(spec.params),
            )
            for spec in standard.indicators
            if spec.dimension == key
        ]
        if indicators:
            views.append(DimensionView(key, names.get("en" if english() else "vi", key), indicators))
    return views


def unconfirmed_items(standard: Standard) -> list[str]:
    """The engine's list of unconfirmed items (``validity[1]``, ``indicator x`` …) in words."""
    labels = {spec.id: (spec.label_en if english() else spec.label_vi) for spec in standard.indicators}
    words = []
    for item in standard.unconfirmed:
        if match := re.fullmatch(r"validity\[(\d+)\]", item):
            period = standard.validity[int(match.group(1))]
            short = formats.get_format("SHORT_DATE_FORMAT")
            words.append(
                _("Thời gian hiệu lực {start} – {end}").format(
                    start=formats.date_format(period.start, short), end=formats.date_format(period.end, short)
                )
            )
        elif item == "classification":
            words.append(_("Cách phân loại"))
        elif match := re.fullmatch(r"lines\.(\w+)\.middle_upper", item):
            words.append(_("Mức sống trung bình ({area})").format(area=area_label(match.group(1))))
        elif match := re.fullmatch(r"lines\.(\w+)", item):
            words.append(_("Chuẩn nghèo ({area})").format(area=area_label(match.group(1))))
        elif item == "score":
            words.append(_("Ngưỡng điểm (Phiếu B)"))
        elif item == "params":
            words.append(_("Tham số dùng chung"))
        elif item.startswith("indicator "):
            iid = item.removeprefix("indicator ")
            words.append(_("Chỉ số: {label}").format(label=labels.get(iid, iid)))
        else:
            words.append(item)
    return words


def standard_cards(today: dt.date) -> list[StandardCard]:
    """One card per shipped standard, for the list page."""
    return [_card(standard, today) for standard in list_standards()]


def detail_context(standard: Standard, today: dt.date) -> dict[str, Any]:
    """Everything the detail page shows about ``standard``: legal basis, validity, the rule in words,
    lines, indicators with their parameters and sources, and what is not confirmed yet."""
    score = standard.score
    return {
        "standard": standard,
        "card": _card(standard, today),
        "periods": [PeriodView(v, status_badge(v.status)) for v in standard.validity],
        "rules": rule_sentences(standard),
        "rule_badge": status_badge(standard.classification_status),
        "two_band": standard.rule == "two_band",
        "per_year": stated_per_year(standard),
        "line_rows": _line_rows(standard),
        "score": score,
        "score_badge": status_badge(score.status) if score else None,
        "score_rural": number(score.rural) if score else "",
        "score_urban": number(score.urban) if score else "",
        "shared_params": param_rows(standard.params),
        "params_badge": status_badge(standard.params_status),
        "dimensions": _dimensions(standard),
        "unconfirmed": unconfirmed_items(standard),
    }


# --- facts in words ----------------------------------------------------------------------------------


def allowed_words(fact: Fact) -> str:
    """What a fact's column may hold, for the table of columns on the try-classification page."""
    if fact.allowed:
        return "; ".join(f"{code} ({code_label(fact, code)})" for code in fact.allowed)
    if fact.dtype == pl.Boolean():
        return _("có / không")
    if fact.name == "household_id":
        return _("văn bản hoặc số")
    if fact.dtype.is_integer():
        return _("số nguyên") + (f" ({fact.unit})" if fact.unit else "")
    return _("số") + (f" ({fact.unit})" if fact.unit else "")


def fact_rows(facts: Sequence[Fact]) -> list[tuple[str, str, str]]:
    """(column, label, allowed values) for each of ``facts``."""
    return [(f.name, fact_label(f), allowed_words(f)) for f in facts]
