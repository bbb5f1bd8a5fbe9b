"""Pages about the poverty standards (chuẩn nghèo): the list, one standard, and "phân loại thử".

The pages only present what :mod:`giamngheo.standards` holds and computes. The plain-language rule is
generated from a standard's data (lines, rule kind, number of deprivations), never written by hand; classes
come from :func:`giamngheo.standards.evaluate` and counts from :func:`giamngheo.measures.household_rates`.

Try-classification (phân loại thử) reads the uploaded files in a temporary directory that is removed at the
end of the request; nothing is stored in the database. The results workbook is written under
``VAR_DIR/exports`` with a random name, and only the session that created it can download it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import secrets
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any, Final

import polars as pl
import xlsxwriter  # type: ignore[import-untyped]
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django_htmx.middleware import HtmxDetails
from python_calamine import CalamineWorkbook

from giamngheo.measures import household_rates
from giamngheo.standards import (
    CLASSES,
    HOUSEHOLD_FACTS,
    MEMBER_FACTS,
    Fact,
    FactsError,
    Standard,
    StandardError,
    evaluate,
    get_standard,
    list_standards,
    standard_for,
)
from giamngheo.standards.model import AreaLines, IndicatorSpec, Validity
from giamngheo.tables import FORMATS, TableError, read_table, write_table

log = logging.getLogger(__name__)

AREAS: Final = ("rural", "urban")  # the order the decrees use: rural first
SHOWN_HOUSEHOLDS: Final = 50
SHOWN_ERRORS: Final = 200
KEPT_EXPORTS: Final = 5
EXPORT_MAX_AGE_SECONDS: Final = 24 * 60 * 60
SESSION_EXPORTS: Final = "standards_try_exports"
XLSX_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_UPLOAD_LIMIT: Final = 20 * 1024 * 1024
_FACTS_BY_NAME: Final[dict[str, Fact]] = {f.name: f for f in (*MEMBER_FACTS, *HOUSEHOLD_FACTS)}


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


# --- words and numbers in the current language -------------------------------------------------------


def _english() -> bool:
    return (translation.get_language() or "vi").startswith("en")


def _number(value: float, decimals: int = 0) -> str:
    """Grouped in the current language's format (1.500.000 in Vietnamese, 1,500,000 in English)."""
    rounded: float = round(value, decimals) if decimals else round(value)
    return formats.number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


_AMOUNT_AND_UNIT: Final = re.compile(r"(\d) (đ|VND)\b")


def _glued(text: str) -> str:
    """A non-breaking space between an amount and its unit, so "1.500.000 đ" never breaks."""
    return _AMOUNT_AND_UNIT.sub("\\1\u00a0\\2", text)


def _money(value: float) -> str:
    return _glued(_("{amount} đ").format(amount=_number(value)))


def _fact_label(fact: Fact) -> str:
    return fact.label_en if _english() else fact.label_vi


def _code_label(fact: Fact | None, code: str) -> str:
    """The Vietnamese label of an enumeration code (English: the code in words)."""
    if fact is None or code not in fact.allowed:
        return code
    if _english():
        return code.replace("_", " ")
    return fact.allowed_labels_vi[fact.allowed.index(code)]


def _enumeration_of(codes: Sequence[str]) -> Fact | None:
    """The one enumeration fact whose allowed values contain all ``codes`` (None if none or several)."""
    found = [f for f in _FACTS_BY_NAME.values() if f.allowed and all(c in f.allowed for c in codes)]
    return found[0] if len(found) == 1 else None


def _area_label(area: str) -> str:
    return _code_label(_FACTS_BY_NAME["area"], area)


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


def _title(standard: Standard) -> str:
    return standard.title_en if _english() else standard.title_vi


def _stated_per_year(standard: Standard) -> bool:
    """Local standards state their lines per person per YEAR (e.g. Hồ Chí Minh City), national ones per
    month. The engine keeps lines per year and does not record the period the act used."""
    return standard.kind == "local"


def _amounts(standard: Standard, template: str, *yearly: int) -> str:
    """``template`` ("≤ {0}", "trên {0} đến {1}") filled with amounts and followed by the unit."""
    if _stated_per_year(standard):
        per_year = template.format(*(_number(v) for v in yearly))
        plain = "{0}" if len(yearly) == 1 else _("{0} đến {1}")
        per_month = plain.format(*(_number(v / 12) for v in yearly))
        exact = all(v % 12 == 0 for v in yearly)
        return _glued(
            (
                _("{amounts} đ/người/năm ({monthly} đ/người/tháng)")
                if exact
                else _("{amounts} đ/người/năm (≈ {monthly} đ/người/tháng)")
            ).format(amounts=per_year, monthly=per_month)
        )
    monthly = template.format(*(_number(v / 12) for v in yearly))
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
    if all(c in _FACTS_BY_NAME for c in codes):  # lists of facts (services, assets)
        return [_fact_label(_FACTS_BY_NAME[c]) for c in codes]
    fact = _enumeration_of(codes)
    return [_code_label(fact, c) for c in codes]


def _band(band: Mapping[str, Any]) -> str:
    ages = _("từ {low} đến {high} tuổi").format(low=band.get("age_min", "?"), high=band.get("age_max", "?"))
    general = _code_label(_FACTS_BY_NAME["general_education"], str(band.get("min_general", "")))
    if "min_vocational" in band:
        vocational = _code_label(_FACTS_BY_NAME["vocational_qualification"], str(band["min_vocational"]))
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
        lambda v: [_("trên {share} số nhân khẩu").format(share=f"{_number(100 * v)}%")],
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
        lambda v: [_("dưới {n} m²/người").format(n=_number(v, 0 if float(v).is_integer() else 1))],
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
    per_year = _money(lines.poverty) if _stated_per_year(standard) else ""
    return AreaLine(_area_label(area), text, per_year)


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
        title=_title(standard),
        kind=_kind(standard),
        in_force=in_force,
        in_force_text=in_force_text,
        periods=standard.validity,
        lines=[_area_line(standard, area) for area in AREAS],
        indicator_count=len(standard.indicators),
        unconfirmed_count=len(standard.unconfirmed),
    )


@login_required
def standard_list(request: HttpRequest) -> HttpResponse:
    """Danh sách chuẩn nghèo: every shipped standard, the one in force today first in the eye."""
    today = timezone.localdate()
    cards = [_card(s, today) for s in list_standards()]
    return render(request, "site/standards/list.html", {"cards": cards, "today": today})


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
    monthly = _money(value / 12)
    return (monthly if value % 12 == 0 else f"≈ {monthly}"), _money(value)


def _line_rows(standard: Standard) -> list[LineRow]:
    rows = []
    for area in AREAS:
        lines = standard.lines[area]
        poverty, poverty_year = _month_and_year(lines.poverty)
        lower, lower_year = _month_and_year(lines.lower)
        middle, middle_year = _month_and_year(lines.middle_upper)
        rows.append(
            LineRow(
                area=_area_label(area),
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
                label=spec.label_en if _english() else spec.label_vi,
                badge=status_badge(spec.status),
                params=param_rows(spec.params),
            )
            for spec in standard.indicators
            if spec.dimension == key
        ]
        if indicators:
            views.append(DimensionView(key, names.get("en" if _english() else "vi", key), indicators))
    return views


def unconfirmed_items(standard: Standard) -> list[str]:
    """The engine's list of unconfirmed items (``validity[1]``, ``indicator x`` …) in words."""
    labels = {spec.id: (spec.label_en if _english() else spec.label_vi) for spec in standard.indicators}
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
            words.append(_("Mức sống trung bình ({area})").format(area=_area_label(match.group(1))))
        elif match := re.fullmatch(r"lines\.(\w+)", item):
            words.append(_("Chuẩn nghèo ({area})").format(area=_area_label(match.group(1))))
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


@login_required
def standard_detail(request: HttpRequest, standard_id: str) -> HttpResponse:
    """Một chuẩn nghèo: legal basis, validity, the rule in words, lines, indicators and their sources."""
    try:
        standard = get_standard(standard_id)
    except StandardError:
        raise Http404(standard_id) from None
    score = standard.score
    context = {
        "standard": standard,
        "card": _card(standard, timezone.localdate()),
        "periods": [PeriodView(v, status_badge(v.status)) for v in standard.validity],
        "rules": rule_sentences(standard),
        "rule_badge": status_badge(standard.classification_status),
        "two_band": standard.rule == "two_band",
        "per_year": _stated_per_year(standard),
        "line_rows": _line_rows(standard),
        "score": score,
        "score_badge": status_badge(score.status) if score else None,
        "score_rural": _number(score.rural) if score else "",
        "score_urban": _number(score.urban) if score else "",
        "shared_params": param_rows(standard.params),
        "params_badge": status_badge(standard.params_status),
        "dimensions": _dimensions(standard),
        "unconfirmed": unconfirmed_items(standard),
    }
    return render(request, "site/standards/detail.html", context)


# --- try classification: the form -------------------------------------------------------------------


def _upload_limit() -> int:
    return int(getattr(settings, "GIAMNGHEO_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_LIMIT))


def _megabytes(size: int) -> str:
    return _number(size / (1024 * 1024), 0 if size % (1024 * 1024) == 0 else 1)


class TryForm(forms.Form):
    """Phân loại thử: two files (or one Excel workbook with both sheets) and how to choose the standard."""

    BY_ID = "id"
    BY_DATE = "date"

    households = forms.FileField(label=gettext_lazy("Tệp hộ (households)"))
    members = forms.FileField(label=gettext_lazy("Tệp thành viên (members)"), required=False)
    choose_by = forms.ChoiceField(
        label=gettext_lazy("Chọn chuẩn nghèo"),
        choices=[(BY_ID, gettext_lazy("Theo tên chuẩn")), (BY_DATE, gettext_lazy("Theo ngày"))],
        initial=BY_ID,
        widget=forms.RadioSelect,
    )
    standard_id = forms.ChoiceField(label=gettext_lazy("Chuẩn nghèo áp dụng"), required=False)
    day = forms.DateField(
        label=gettext_lazy("Ngày"),
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 12}),
    )
    province_code = forms.CharField(
        label=gettext_lazy("Mã tỉnh (không bắt buộc)"),
        required=False,
        max_length=3,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4, "placeholder": "79"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["standard_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s.id, f"{_title(s)} ({s.id})") for s in list_standards()]

    def _check_type(self, name: str) -> None:
        upload = self.cleaned_data.get(name)
        if upload is not None and Path(upload.name or "").suffix.lower() not in FORMATS:
            self.add_error(
                name,
                _("Tệp “{name}” không đúng loại: chỉ nhận .csv, .xlsx hoặc .parquet.").format(
                    name=upload.name
                ),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_type("households")
        self._check_type("members")
        households = data.get("households")
        if (
            households is not None
            and data.get("members") is None
            and Path(households.name or "").suffix.lower() != ".xlsx"
        ):
            self.add_error(
                "members",
                _(
                    "Hãy chọn tệp thành viên, hoặc dùng một tệp Excel có hai trang tính "
                    "households và members."
                ),
            )
        if data.get("choose_by") == self.BY_ID and not data.get("standard_id"):
            self.add_error("standard_id", _("Hãy chọn một chuẩn nghèo."))
        if data.get("choose_by") == self.BY_DATE and not data.get("day"):
            self.add_error("day", _("Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 22/11/2026."))
        return data


class UploadLimitHandler(FileUploadHandler):
    """Drops (never stores) any uploaded file larger than ``limit`` bytes, and remembers which."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_big: list[str] = []

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        if self.content_length is not None and self.content_length > self.limit:
            self.too_big.append(file_name)
            raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.too_big.append(self.file_name or "")
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


# --- try classification: reading, evaluating, presenting ---------------------------------------------


class UploadProblem(Exception):
    """A problem with the request as a whole, explained to the user (already translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ErrorRow:
    frame: str
    row: int | None
    column: str
    value: str
    message: str


@dataclass(frozen=True)
class ClassCount:
    key: str
    name: str
    count: int
    percent: str


@dataclass(frozen=True)
class HouseholdRow:
    household_id: str
    area: str
    members: int
    class_key: str
    class_name: str
    income_per_person: str
    deprivation_count: int
    deprived: list[str]
    undecided: list[str]
    missing: list[str]


@dataclass
class TryOutcome:
    """What the result partial shows: problems, or the error table, or the classification."""

    standard: Standard | None = None
    standard_title: str = ""
    chosen_by_date: str = ""
    problems: list[str] = field(default_factory=list)
    errors: list[ErrorRow] = field(default_factory=list)
    error_total: int = 0
    summary: list[ClassCount] = field(default_factory=list)
    total: int = 0
    households: list[HouseholdRow] = field(default_factory=list)
    no_middle_living: bool = False
    download_url: str = ""


def _chosen_standard(data: Mapping[str, Any], outcome: TryOutcome) -> Standard:
    try:
        if data["choose_by"] == TryForm.BY_DATE:
            day: dt.date = data["day"]
            province = (data.get("province_code") or "").strip() or None
            standard = standard_for(day, province)
            where = _(" (tỉnh {code})").format(code=province) if province else ""
            outcome.chosen_by_date = _("Chuẩn áp dụng ngày {day}{where}").format(
                day=formats.date_format(day, "SHORT_DATE_FORMAT"), where=where
            )
            return standard
        return get_standard(data["standard_id"])
    except StandardError as exc:
        raise UploadProblem(str(exc) if _english() else exc.message_vi) from exc


def _sheet_names(path: Path) -> list[str]:
    try:
        names = CalamineWorkbook.from_path(str(path)).sheet_names
    except Exception as exc:  # calamine raises its own error types for files that are not workbooks
        log.info("try classification: unreadable workbook: %s", exc)
        return []
    return [re.sub(r"\s+", "_", name.strip().lower()) for name in names]


def _save(upload: UploadedFile, directory: Path, stem: str) -> Path:
    path = directory / f"{stem}{Path(upload.name or '').suffix.lower()}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def _read(path: Path, sheet: str, shown_name: str) -> pl.DataFrame:
    try:
        return read_table(path, sheet=sheet)
    except TableError as exc:
        log.info("try classification: cannot read %s: %s", shown_name, exc)
        raise UploadProblem(
            _(
                "Không đọc được tệp “{name}”. Hãy kiểm tra đó là tệp CSV (UTF-8), Excel .xlsx hoặc Parquet."
            ).format(name=shown_name)
        ) from exc


def read_uploads(households: UploadedFile, members: UploadedFile | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Read the household and member facts from the uploaded files, inside a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="giamngheo-try-") as tmp:
        directory = Path(tmp)
        households_path = _save(households, directory, "households")
        shown = households.name or ""
        if members is None:
            sheets = _sheet_names(households_path)
            if "households" not in sheets or "members" not in sheets:
                raise UploadProblem(
                    _(
                        "Tệp “{name}” cần có hai trang tính tên households và members "
                        "(hoặc chọn thêm tệp thành viên)."
                    ).format(name=shown)
                )
            return _read(households_path, "households", shown), _read(households_path, "members", shown)
        members_path = _save(members, directory, "members")
        return _read(households_path, "households", shown), _read(members_path, "members", members.name or "")


def _error_rows(errors: pl.DataFrame) -> list[ErrorRow]:
    frames = {"households": _("Hộ"), "members": _("Thành viên")}
    message = "message_en" if _english() else "message_vi"
    return [
        ErrorRow(
            frame=frames.get(row["frame"], row["frame"]),
            row=row["row"],
            column=row["column"] or "",
            value="" if row["value"] is None else str(row["value"]),
            message=row[message],
        )
        for row in errors.head(SHOWN_ERRORS).iter_rows(named=True)
    ]


def _summary(results: pl.DataFrame, standard: Standard) -> tuple[list[ClassCount], int]:
    rates = household_rates(results).row(0, named=True)
    total = int(rates["households"])
    counts = []
    for key in CLASSES:
        count = int(rates[key])
        if key == "middle_living" and not standard.has_middle_living and count == 0:
            continue
        share = rates.get(f"{key}_rate")
        if share is None:
            share = 100 * count / total if total else 0.0
        counts.append(ClassCount(key, class_name(key), count, _number(share, 1)))
    return counts, total


def _fact_words(name: str) -> str:
    if name == "members":
        return _("danh sách thành viên")
    fact = _FACTS_BY_NAME.get(name)
    return _fact_label(fact) if fact else name


def _household_rows(results: pl.DataFrame, standard: Standard) -> list[HouseholdRow]:
    labels = {spec.id: (spec.label_en if _english() else spec.label_vi) for spec in standard.indicators}
    rows = []
    for row in results.head(SHOWN_HOUSEHOLDS).iter_rows(named=True):
        income = row.get("income_per_person")
        rows.append(
            HouseholdRow(
                household_id=str(row["household_id"]),
                area=_area_label(str(row["area"])),
                members=int(row["members"]),
                class_key=str(row["class"]),
                class_name=class_name(str(row["class"])),
                income_per_person="—" if income is None else _money(income),
                deprivation_count=int(row["deprivation_count"]),
                deprived=[label for iid, label in labels.items() if row.get(f"dep_{iid}") is True],
                undecided=[label for iid, label in labels.items() if row.get(f"dep_{iid}") is None],
                missing=[_fact_words(name) for name in row.get("missing") or []],
            )
        )
    return rows


def _exports_dir() -> Path:
    return Path(settings.VAR_DIR) / "exports"


def _remove_stale_exports(directory: Path) -> None:
    cutoff = time.time() - EXPORT_MAX_AGE_SECONDS
    for path in directory.glob("*.xlsx"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:  # removed meanwhile by another request
            continue


def _export(request: HttpRequest, results: pl.DataFrame, standard: Standard) -> str:
    """Write the results workbook with a random name, remember it in the session, return its URL."""
    directory = _exports_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _remove_stale_exports(directory)
    token = secrets.token_urlsafe(24)
    labels = {key: class_name(key) for key in CLASSES}
    frame = results.with_columns(
        pl.col("class").cast(pl.String).replace_strict(labels, default=None).alias("class_label")
    )
    write_table(frame, directory / f"{token}.xlsx", sheet="ket_qua")
    exports: dict[str, str] = dict(request.session.get(SESSION_EXPORTS) or {})
    exports[token] = f"phan-loai-thu_{standard.id}_{timezone.localdate():%Y-%m-%d}.xlsx"
    for old in list(exports)[:-KEPT_EXPORTS]:
        (directory / f"{old}.xlsx").unlink(missing_ok=True)
        del exports[old]
    request.session[SESSION_EXPORTS] = exports
    return reverse("standards:download", args=[token])


def classify_uploads(request: HttpRequest, form: TryForm, outcome: TryOutcome) -> None:
    """Read, validate and classify the uploaded facts; fill ``outcome`` (nothing is stored)."""
    data = form.cleaned_data
    standard = _chosen_standard(data, outcome)
    households, members = read_uploads(data["households"], data.get("members"))
    if households.height == 0:
        raise UploadProblem(_("Tệp hộ không có dòng dữ liệu nào (dòng đầu là tên cột)."))
    outcome.standard, outcome.standard_title = standard, _title(standard)
    try:
        results = evaluate(households, members, standard)
    except FactsError as exc:
        outcome.errors = _error_rows(exc.errors)
        outcome.error_total = exc.errors.height
        return
    except StandardError as exc:
        raise UploadProblem(str(exc) if _english() else exc.message_vi) from exc
    outcome.summary, outcome.total = _summary(results, standard)
    outcome.households = _household_rows(results, standard)
    outcome.no_middle_living = not standard.has_middle_living
    outcome.download_url = _export(request, results, standard)
    log.info(
        "try classification: %d households under %s",
        results.height,
        standard.id,
        extra={"user": request.user.pk},
    )


def _form_problems(form: TryForm) -> list[str]:
    problems: list[str] = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        problems.extend(f"{label}: {error}" if label else str(error) for error in errors)
    return problems


def _try_context(form: TryForm, outcome: TryOutcome | None) -> dict[str, Any]:
    return {
        "form": form,
        "outcome": outcome,
        "upload_limit": _megabytes(_upload_limit()),
        "household_facts": [(f.name, _fact_label(f), _allowed_words(f)) for f in HOUSEHOLD_FACTS],
        "member_facts": [(f.name, _fact_label(f), _allowed_words(f)) for f in MEMBER_FACTS],
    }


def _allowed_words(fact: Fact) -> str:
    if fact.allowed:
        return "; ".join(f"{code} ({_code_label(fact, code)})" for code in fact.allowed)
    if fact.dtype == pl.Boolean():
        return _("có / không")
    if fact.name == "household_id":
        return _("văn bản hoặc số")
    if fact.dtype.is_integer():
        return _("số nguyên") + (f" ({fact.unit})" if fact.unit else "")
    return _("số") + (f" ({fact.unit})" if fact.unit else "")


@login_required
@csrf_exempt  # the CSRF check runs in _try_classification, after the upload limit is installed
def try_classification(request: HtmxHttpRequest) -> HttpResponse:
    """Phân loại thử: classify uploaded facts under a chosen standard, nothing stored.

    The same view renders the whole page or, for an htmx post, only the result partial.
    """
    handler = UploadLimitHandler(request, _upload_limit())
    request.upload_handlers = [handler, *request.upload_handlers]
    return _try_classification(request, handler)


@csrf_protect
def _try_classification(request: HtmxHttpRequest, handler: UploadLimitHandler) -> HttpResponse:
    outcome: TryOutcome | None = None
    if request.method == "POST":
        outcome = TryOutcome()
        form = TryForm(request.POST, request.FILES)
        if handler.too_big:
            outcome.problems.append(
                _("Tệp “{name}” quá lớn: mỗi tệp tối đa {limit} MB. Hãy chia nhỏ theo xã hoặc thôn.").format(
                    name=", ".join(handler.too_big), limit=_megabytes(handler.limit)
                )
            )
        elif not form.is_valid():
            outcome.problems = _form_problems(form)
        else:
            try:
                classify_uploads(request, form, outcome)
            except UploadProblem as problem:
                outcome.problems.append(problem.message)
    else:
        initial: dict[str, Any] = {"day": timezone.localdate()}
        wanted = request.GET.get("chuan", "")
        known = [s.id for s in list_standards()]
        if wanted in known:
            initial["standard_id"] = wanted
        else:
            with contextlib.suppress(StandardError):
                initial["standard_id"] = standard_for(timezone.localdate()).id
        form = TryForm(initial=initial)
    context = _try_context(form, outcome)
    if request.htmx:
        return render(request, "site/standards/_try_result.html", context)
    return render(request, "site/standards/try.html", context)


@login_required
def try_download(request: HttpRequest, token: str) -> FileResponse:
    """Serve a results workbook, only to the session that created it."""
    exports = request.session.get(SESSION_EXPORTS) or {}
    filename = exports.get(token) if isinstance(exports, dict) else None
    path = _exports_dir() / f"{token}.xlsx"
    if not filename or not path.is_file():
        raise Http404(token)
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename, content_type=XLSX_TYPE)


# --- the sample workbook -----------------------------------------------------------------------------


def sample_facts() -> tuple[pl.DataFrame, pl.DataFrame]:
    """Three example households: poor, near-poor and not poor under the 2022-2025 standard.

    H001 (rural, 1.200.000 đ/person/month) lacks health insurance, a sound house, clean water and a
    hygienic latrine (4 deprivations); H002 (rural, 1.400.000 đ) lacks only a hygienic latrine; H003
    (urban, 4.000.000 đ) lacks nothing. Every fact is filled in, so no standard finds them incomplete.
    """
    households = pl.DataFrame(
        {
            "household_id": ["H001", "H002", "H003"],
            "area": ["rural", "rural", "urban"],
            "income_12m": [57_600_000, 50_400_000, 144_000_000],
            "ill_member_untreated": [False, False, False],
            "has_dwelling": [True, True, True],
            "durable_main_parts": [1, 3, 3],
            "floor_area_m2": [40.0, 50.0, 75.0],
            "water_source": ["unprotected_dug_well", "drilled_well", "piped"],
            "latrine_type": ["simple_pit", "simple_pit", "septic"],
            "waste_disposal": ["collected", "collected", "collected"],
            "uses_internet": [True, True, True],
            "uses_telephone": [True, True, True],
            "has_tv": [True, True, True],
            "has_radio": [False, False, False],
            "has_computer": [False, False, True],
            "has_smartphone": [True, True, True],
            "hears_loudspeaker": [True, True, True],
        }
    )

    def adult(
        household: str, age: int, sex: str, employment: str, general: str, **facts: Any
    ) -> dict[str, Any]:
        return {
            "household_id": household,
            "age": age,
            "sex": sex,
            "has_labour_capacity": True,
            "employment": employment,
            "has_health_insurance": facts.get("insured", True),
            "stunted": False,
            "underweight": False,
            "school_attendance": "not_attending",
            "general_education": general,
            "vocational_qualification": facts.get("vocational", "none"),
            "enterprise_trained": False,
        }

    def child(household: str, age: int, sex: str, general: str) -> dict[str, Any]:
        return {
            "household_id": household,
            "age": age,
            "sex": sex,
            "has_labour_capacity": False,
            "employment": "not_in_labour_force",
            "has_health_insurance": True,
            "stunted": False,
            "underweight": False,
            "school_attendance": "attending",
            "general_education": general,
            "vocational_qualification": "none",
            "enterprise_trained": False,
        }

    people = [
        adult("H001", 38, "male", "self_employed", "lower_secondary", insured=False),
        adult("H001", 35, "female", "self_employed", "lower_secondary"),
        child("H001", 10, "female", "primary"),
        child("H001", 6, "male", "none"),
        adult("H002", 45, "male", "self_employed", "upper_secondary"),
        adult("H002", 42, "female", "self_employed", "lower_secondary"),
        child("H002", 14, "male", "primary"),
        adult("H003", 40, "male", "wage_with_contract", "upper_secondary", vocational="college_or_higher"),
        adult("H003", 38, "female", "wage_with_contract", "upper_secondary", vocational="college_or_higher"),
        child("H003", 12, "female", "primary"),
    ]
    members = pl.DataFrame(people).select([f.name for f in MEMBER_FACTS])
    return households, members


def sample_workbook() -> bytes:
    """The sample as an Excel workbook with the sheets ``households`` and ``members``."""
    households, members = sample_facts()
    buffer = BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as workbook:
        for frame, sheet in ((households, "households"), (members, "members")):
            frame.write_excel(workbook, worksheet=sheet, autofit=True, freeze_panes=(1, 0))
    return buffer.getvalue()


@login_required
def try_sample(request: HttpRequest) -> HttpResponse:
    """mau.xlsx: the sample facts to download, fill in and upload."""
    response = HttpResponse(sample_workbook(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau.xlsx"'
    return response
