"""The review as display data: the steps of a round, class badges and the explanation in words.

Words only: every verdict comes from the stored result (``review.explanation``) and every cut-off from
the standard's data, rendered with the standards pages' helpers (``site.standards.presentation``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from giamngheo.review.deadlines import Deadline, round_deadline
from giamngheo.review.explanation import Explanation, IndicatorExplanation
from giamngheo.review.models import Result, ReviewRound, RoundStatus
from giamngheo.review.procedure import procedure
from giamngheo.review.transitions import CATEGORIES
from giamngheo.site.standards.presentation import (
    FACTS_BY_NAME,
    ParamRow,
    area_label,
    class_name,
    english,
    fact_label,
    money,
    number,
    param_rows,
)
from giamngheo.standards import get_standard

__all__ = ["class_name"]

_STEPS: Final = (
    ("listing", gettext_lazy("Lập danh sách hộ cần rà soát")),
    ("surveying", gettext_lazy("Thu thập thông tin hộ (Phiếu A, Phiếu B)")),
    ("classified", gettext_lazy("Chấm điểm, phân loại hộ")),
    ("meeting", gettext_lazy("Họp thôn thống nhất kết quả")),
    ("posting", gettext_lazy("Niêm yết công khai, giải quyết khiếu nại")),
    ("approved", gettext_lazy("Chủ tịch UBND xã phê duyệt")),
    ("reported", gettext_lazy("Báo cáo kết quả")),
)
# The step a round is working on, for each status (what is before it is done).
_CURRENT: Final = {
    RoundStatus.LISTING: "listing",
    RoundStatus.SURVEYING: "surveying",
    RoundStatus.CLASSIFIED: "meeting",
    RoundStatus.MEETING: "posting",
    RoundStatus.POSTING: "posting",
    RoundStatus.APPROVED: "reported",
    RoundStatus.REPORTED: "",
}


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    label: str
    state: str  # "done", "current" or "todo"


def round_steps(review_round: ReviewRound) -> list[Step]:
    """The procedure's steps with what is done, what is next and what is still to do."""
    current = _CURRENT[RoundStatus(review_round.status)]
    keys = [key for key, _label in _STEPS]
    position = keys.index(current) if current else len(keys)
    return [
        Step(i + 1, key, str(label), "done" if i < position else "current" if i == position else "todo")
        for i, (key, label) in enumerate(_STEPS)
    ]


def round_title(review_round: ReviewRound) -> str:
    if review_round.kind == "ongoing":
        return _("Rà soát thường xuyên tháng {month}/{year}").format(
            month=review_round.month, year=review_round.year
        )
    return _("Rà soát định kỳ năm {year}").format(year=review_round.year)


@dataclass(frozen=True)
class DeadlineView:
    """A round's legal period or deadline in words (``review.deadlines``), for the round page and list."""

    label: str  # "Hạn quyết định" (ongoing) or "Thời gian rà soát" (periodic)
    period: str  # "15/03/2026 – 30/03/2026"
    status: str  # "còn 3 ngày", "quá hạn 2 ngày", "đã phê duyệt đúng hạn" …
    warning: bool  # overdue and not approved: shown in red
    state: str
    citation: str


def _day(value: dt.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _deadline_status(deadline: Deadline) -> str:
    if deadline.state == "overdue":
        n = deadline.days_over
        return ngettext("quá hạn {n} ngày", "quá hạn {n} ngày", n).format(n=n)
    if deadline.state == "late":
        n = deadline.days_over
        return ngettext("phê duyệt trễ {n} ngày", "phê duyệt trễ {n} ngày", n).format(n=n)
    if deadline.state == "met":
        return _("đã phê duyệt trong hạn")
    if deadline.days_left == 0:
        return _("hết hạn hôm nay")
    n = deadline.days_left
    return ngettext("còn {n} ngày", "còn {n} ngày", n).format(n=n)


def round_deadline_view(review_round: ReviewRound, today: dt.date) -> DeadlineView:
    """The round's deadline (ongoing: the decision within 15 days of the 15th, art. 5) or period
    (periodic: 1/9 – 14/12, art. 3) as of ``today``, from the procedure file."""
    deadline = round_deadline(
        procedure(),
        kind=review_round.kind,
        year=review_round.year,
        month=review_round.month,
        today=today,
        approved_on=review_round.approved_on,
    )
    label = _("Hạn quyết định") if deadline.kind == "ongoing" else _("Thời gian rà soát")
    return DeadlineView(
        label=str(label),
        period=f"{_day(deadline.start)} – {_day(deadline.due)}",
        status=_deadline_status(deadline),
        warning=deadline.warning,
        state=deadline.state,
        citation=deadline.citation,
    )


_TRANSITION_NAMES: Final = {
    "remained_poor": gettext_lazy("Hộ nghèo còn lại"),
    "escaped_to_near_poor": gettext_lazy("Thoát nghèo, thành hộ cận nghèo"),
    "escaped_poverty": gettext_lazy("Thoát nghèo"),
    "remained_near_poor": gettext_lazy("Hộ cận nghèo còn lại"),
    "escaped_near_poverty": gettext_lazy("Thoát cận nghèo"),
    "relapsed": gettext_lazy("Tái nghèo"),
    "newly_poor": gettext_lazy("Hộ nghèo phát sinh"),
    "newly_near_poor": gettext_lazy("Hộ cận nghèo phát sinh"),
    "moved_in": gettext_lazy("Chuyển đến"),
    "moved_out": gettext_lazy("Chuyển đi"),
    "died_merged": gettext_lazy("Hộ chết, nhập hộ"),
    "not_reviewed": gettext_lazy("Chưa rà soát lại"),
    "incomplete": gettext_lazy("Chưa đủ thông tin"),
    "other": gettext_lazy("Không nghèo, không cận nghèo"),
}
assert set(_TRANSITION_NAMES) == set(CATEGORIES)


def transition_columns() -> list[tuple[str, str]]:
    """(category, name) in the order of the table (``other`` is not shown)."""
    return [(c, str(_TRANSITION_NAMES[c])) for c in CATEGORIES if c != "other"]


# --- explanation in words -----------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorLine:
    label: str
    dimension: str
    state: str
    state_text: str
    cutoff: list[ParamRow]
    missing: list[str]
    citation: str


@dataclass(frozen=True)
class ExplanationView:
    class_key: str
    class_name: str
    income_text: str
    count_text: str
    rule_text: str
    indicators: list[IndicatorLine]
    missing: list[str]
    standard_text: str
    citation: str


def _fact_words(name: str) -> str:
    fact = FACTS_BY_NAME.get(name)
    if name == "members":
        return _("danh sách nhân khẩu")
    return fact_label(fact) if fact is not None else name


def _state_text(item: IndicatorExplanation) -> str:
    if item.state == "deprived":
        return _("Thiếu hụt")
    if item.state == "unknown":
        return _("Chưa xác định được")
    return _("Không thiếu hụt")


def _income_text(e: Explanation) -> str:
    area = area_label(e.area)
    if e.basis == "score":
        if e.income_score is None:
            return _("Chưa có điểm A (ước tính thu nhập).")
        template = (
            _("Điểm A {score} điểm, không vượt ngưỡng {line} điểm ({area}).")
            if e.below_line
            else _("Điểm A {score} điểm, trên ngưỡng {line} điểm ({area}).")
        )
        return template.format(score=number(e.income_score, 1), line=number(e.line), area=area)
    if e.income_per_person is None:
        return _("Chưa có tổng thu nhập của hộ nên chưa tính được thu nhập bình quân.")
    template = (
        _("Thu nhập bình quân {income}/người/tháng, không vượt chuẩn nghèo {line}/người/tháng ({area}).")
        if e.below_line
        else _("Thu nhập bình quân {income}/người/tháng, cao hơn chuẩn nghèo {line}/người/tháng ({area}).")
    )
    text = template.format(income=money(e.income_per_person), line=money(e.line), area=area)
    if not e.below_line and e.middle_upper is not None:
        band = (
            _("Mức sống trung bình đến {upper}/người/tháng.")
            if e.income_per_person <= e.middle_upper
            else _("Cao hơn mức sống trung bình ({upper}/người/tháng).")
        )
        text = f"{text} {band.format(upper=money(e.middle_upper))}"
    return text


def explanation_view(e: Explanation) -> ExplanationView:
    """The explanation in the current language (Vietnamese first)."""
    k = e.poor_min_deprivations
    count_text = _(
        "Thiếu hụt {count} trong {total} chỉ số; hộ nghèo khi thiếu hụt từ {k} chỉ số trở lên."
    ).format(count=e.deprivation_count, total=len(e.indicators), k=k)
    if e.klass == "poor":
        rule = _("Thu nhập không vượt chuẩn và thiếu hụt từ {k} chỉ số trở lên: hộ nghèo.").format(k=k)
    elif e.klass == "near_poor":
        rule = _("Thu nhập không vượt chuẩn và thiếu hụt dưới {k} chỉ số: hộ cận nghèo.").format(k=k)
    elif e.klass == "middle_living":
        rule = _("Thu nhập trên chuẩn nghèo, trong khoảng mức sống trung bình: hộ có mức sống trung bình.")
    elif e.klass == "not_poor":
        rule = _("Thu nhập trên chuẩn: hộ không nghèo (số chỉ số thiếu hụt không xét).")
    else:
        rule = _("Còn thiếu dữ kiện nên chưa phân loại được; hệ thống không tự điền dữ kiện còn thiếu.")
    lines = [
        IndicatorLine(
            label=item.spec.label_en if english() else item.spec.label_vi,
            dimension=item.dimension_en if english() else item.dimension_vi,
            state=item.state,
            state_text=_state_text(item),
            cutoff=param_rows(item.params),
            missing=[_fact_words(f) for f in item.missing_facts],
            citation=item.spec.citation,
        )
        for item in e.indicators
    ]
    title = e.standard_title_en if english() else e.standard_title_vi
    return ExplanationView(
        class_key=e.klass,
        class_name=class_name(e.klass),
        income_text=_income_text(e),
        count_text=count_text,
        rule_text=rule,
        indicators=lines,
        missing=[_fact_words(f) for f in e.missing],
        standard_text=_("{title} ({id}, phiên bản {version})").format(
            title=title, id=e.standard_id, version=e.standard_version
        ),
        citation=e.classification_citation,
    )


def result_explanation(result: Result) -> ExplanationView:
    """Explain a stored result under the very standard (id) it was computed with."""
    from giamngheo.review.explanation import explain

    return explanation_view(
        explain(
            standard=get_standard(result.standard_id),
            klass=result.klass,
            area=result.area,
            basis=result.basis,
            line=result.line,
            members=result.members,
            deprived=result.deprived,
            unknown=result.unknown,
            deprivation_count=result.deprivation_count,
            missing=result.missing,
            income_per_person=result.income_per_person,
            income_score=result.income_score,
        )
    )
