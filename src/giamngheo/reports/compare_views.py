"""So sánh chuẩn nghèo (``/bao-cao/so-sanh-chuan/``): a review round's facts under two standards.

The page reads the Phiếu B facts of one round (only the households the viewer may see:
``review.selectors.entries_visible_to``), evaluates them under two standards with
:func:`giamngheo.reports.compare.compare_standards` and shows the class-transition matrix, the table per
village and the drivers in plain Vietnamese. Rounds come from ``review.selectors.rounds_visible_to``: a
round id outside the viewer's territory is a 404. A leader sees aggregates only; the roles that may see a
round's households also get a capped list of the households that change class (code, head's name,
village — never a citizen ID or a date of birth), each linked to its result page.

The same view renders the whole page or, for an htmx request, only the form and the result.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import polars as pl
from django import forms
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django_htmx.middleware import HtmxDetails

from giamngheo.accounts.models import User
from giamngheo.accounts.selectors import Viewer
from giamngheo.geo.models import Village
from giamngheo.registry.models import Member
from giamngheo.reports.compare import (
    CHANGE_COUNTS,
    Comparison,
    IndicatorDriver,
    compare_standards,
)
from giamngheo.review import selectors
from giamngheo.review.frames import (
    HOUSEHOLD_FACT_NAMES,
    MEMBER_FACT_NAMES,
    REGISTRY_SCHEMA,
    SurveyRow,
    survey_frames,
    with_registry_facts,
)
from giamngheo.review.models import APPROVED_STATUSES, ReviewRound, RoundHousehold, needs_survey_q
from giamngheo.review.permissions import households_refusal, review_view
from giamngheo.review.presentation import round_title
from giamngheo.site.standards.presentation import (
    FACTS_BY_NAME,
    area_label,
    class_name,
    english,
    fact_label,
    number,
    param_rows,
    standard_title,
)
from giamngheo.standards import CLASSES, FactsError, StandardError, get_standard, list_standards, standard_for
from giamngheo.standards.engine import Basis

CHANGES_SHOWN: Final = 200
"""At most this many changing households are listed (the counts above cover all of them)."""


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


# --- the form -------------------------------------------------------------------------------------


def _standard_choices() -> list[tuple[str, str]]:
    return [(s.id, standard_title(s)) for s in list_standards()]


_STANDARD_ERRORS: Final = {
    "required": gettext_lazy("Hãy chọn một chuẩn nghèo."),
    "invalid_choice": gettext_lazy("Chuẩn nghèo này không có trong hệ thống, hãy chọn trong danh sách."),
}


class CompareForm(forms.Form):
    """The round and the two standards (query string ``dot``, ``a``, ``b``)."""

    dot = forms.TypedChoiceField(
        label=gettext_lazy("Đợt rà soát"),
        coerce=int,
        error_messages={
            "required": gettext_lazy("Hãy chọn một đợt rà soát."),
            "invalid_choice": gettext_lazy("Hãy chọn một đợt rà soát trong danh sách."),
        },
    )
    a = forms.ChoiceField(label=gettext_lazy("Chuẩn A (đang áp dụng)"), error_messages=_STANDARD_ERRORS)
    b = forms.ChoiceField(label=gettext_lazy("Chuẩn B (để so sánh)"), error_messages=_STANDARD_ERRORS)

    def __init__(self, *args: Any, rounds: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dot = self.fields["dot"]
        assert isinstance(dot, forms.TypedChoiceField)
        dot.choices = rounds
        standards = _standard_choices()
        for name in ("a", "b"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = standards

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("a") and data.get("a") == data.get("b"):
            self.add_error("b", _("Hãy chọn một chuẩn khác chuẩn A để so sánh."))
        return data


# --- defaults -------------------------------------------------------------------------------------


def default_round(viewer: Viewer) -> ReviewRound | None:
    """The latest approved round the viewer may see (their commune's or province's), else the latest."""
    rounds = selectors.rounds_visible_to(viewer).order_by("-reference_date", "-pk")
    return rounds.filter(status__in=APPROVED_STATUSES).first() or rounds.first()


def round_standard_id(review_round: ReviewRound) -> str:
    """The standard the round used (stored when classified), else the one in force on its date."""
    if review_round.standard_id:
        try:
            return get_standard(review_round.standard_id).id
        except StandardError:
            pass
    try:
        return standard_for(review_round.reference_date, review_round.province_code).id
    except StandardError:
        return list_standards()[0].id


def next_standard_id(standard_id: str) -> str:
    """The next national standard after ``standard_id`` (by start of validity); else another one."""
    current = get_standard(standard_id)
    national = [s for s in list_standards() if s.kind == "national" and s.id != current.id]
    later = sorted((s for s in national if s.valid_from > current.valid_from), key=lambda s: s.valid_from)
    if later:
        return later[0].id
    others = [s for s in list_standards() if s.id != current.id]
    return others[-1].id if others else current.id


def _round_label(review_round: ReviewRound) -> str:
    return f"{review_round.commune.name} — {round_title(review_round)} ({review_round.get_status_display()})"


# --- the facts of a round -------------------------------------------------------------------------


_HOUSEHOLD_JSON: Final = pl.Struct({name: pl.String() for name in HOUSEHOLD_FACT_NAMES})
_MEMBER_JSON: Final = pl.List(
    pl.Struct({"member_id": pl.String(), **{name: pl.String() for name in MEMBER_FACT_NAMES}})
)
_RAW_SCHEMA: Final = {
    "household_id": pl.Int64(),
    "village_id": pl.Int64(),
    "registry_area": pl.String(),
    "household_json": pl.String(),
    "members_json": pl.String(),
}


def _round_entries(viewer: Viewer, review_round: ReviewRound) -> QuerySet[RoundHousehold]:
    """The round's households the viewer may see, as the round's classification takes them (applicants
    that did not pass Phiếu A are left out)."""
    return selectors.entries_visible_to(viewer, review_round).filter(needs_survey_q())


def round_facts(*, viewer: Viewer, review_round: ReviewRound) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The Phiếu B facts of the round's households that the viewer may see, as the engine's frames
    (not yet validated), keyed by the listed household's id (``household_id``) with its ``village_id``.

    Two queries. The stored facts are read as JSON text and decoded by Polars, every fact as text:
    :func:`giamngheo.standards.validate_facts` then parses them as it parses a spreadsheet, so a value
    that does not fit is reported, never dropped. If the stored JSON holds anything but plain values,
    the facts go through ``review.frames.survey_frames`` as when the round is classified. Either way
    the household's area comes from the registry when Phiếu B left it empty, and members' age and sex
    from the registry (``review.frames.with_registry_facts``).
    """
    entries = _round_entries(viewer, review_round)
    rows = (
        entries.order_by("pk")
        .annotate(
            household_json=Cast("survey__household_facts", TextField()),
            members_json=Cast("survey__member_facts", TextField()),
        )
        .values_list("pk", "village_id", "household__area", "household_json", "members_json")
    )
    raw = pl.DataFrame(list(rows), schema=_RAW_SCHEMA, orient="row")
    values = Member.objects.filter(household_id__in=entries.values("household_id")).values_list(
        "pk", "sex", "date_of_birth"
    )
    registry = pl.DataFrame(list(values), schema=REGISTRY_SCHEMA, orient="row")
    try:
        households, members = _decoded(raw)
    except pl.exceptions.PolarsError:
        households, members = _canonical(raw, registry, review_round.reference_date)
    else:
        members = with_registry_facts(members, registry, review_round.reference_date)
    return households, members.drop("member_id")


def _decoded(raw: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Household and member frames decoded from the JSON text in one pass each (no Python per row)."""
    facts = pl.col("household_json").str.json_decode(_HOUSEHOLD_JSON).alias("facts")
    households = (
        raw.select("household_id", "village_id", "registry_area", facts)
        .unnest("facts")
        .with_columns(
            pl.when(pl.col("area").str.strip_chars() != "")
            .then(pl.col("area"))
            .otherwise(pl.col("registry_area"))
            .alias("area")
        )
        .drop("registry_area")
    )
    members = (
        raw.select("household_id", pl.col("members_json").str.json_decode(_MEMBER_JSON).alias("member"))
        .explode("member")
        .drop_nulls("member")
        .unnest("member")
        .with_columns(pl.col("member_id").cast(pl.Int64, strict=False))
    )
    return households, members


def _canonical(
    raw: pl.DataFrame, registry: pl.DataFrame, reference_date: dt.date
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The same frames through ``review.frames.survey_frames`` (Python objects, slower, any JSON)."""
    surveys = []
    for pk, area, household_json, members_json in raw.select(
        "household_id", "registry_area", "household_json", "members_json"
    ).iter_rows():
        facts: dict[str, Any] = dict(json.loads(household_json or "null") or {})
        if facts.get("area") in (None, ""):
            facts["area"] = area
        surveys.append(SurveyRow(pk, facts, list(json.loads(members_json or "null") or [])))
    households, members = survey_frames(surveys, registry, reference_date)
    return households.with_columns(raw["village_id"]), members.drop("member_index")


# --- the comparison in words ----------------------------------------------------------------------

REASON_NAMES: Final = {
    "income_line": gettext_lazy("Thu nhập nằm giữa hai chuẩn thu nhập"),
    "deprivations": gettext_lazy("Số chỉ số thiếu hụt"),
    "lower_line": gettext_lazy("Mức thu nhập thấp của chuẩn hai mức"),
    "middle_band": gettext_lazy("Mức sống trung bình thay đổi (trên chuẩn nghèo)"),
}


def reason_name(reason: str, comparison: Comparison) -> str:
    """Why a household changes class, in words; the middle band says which standard lacks it."""
    middle = comparison.drivers.middle
    if reason == "middle_band" and middle.available_a != middle.available_b:
        if not middle.available_b:
            return _("Chuẩn B không có loại hộ có mức sống trung bình")
        return _("Chuẩn A không có loại hộ có mức sống trung bình")
    return str(REASON_NAMES[reason])


CHANGE_NAMES: Final = {
    "added": gettext_lazy("Chỉ số mới"),
    "removed": gettext_lazy("Bỏ chỉ số"),
    "changed": gettext_lazy("Đổi ngưỡng"),
    "same": gettext_lazy("Giữ nguyên"),
}


def _n(value: int) -> str:
    return number(value)


def _vnd(value: float) -> str:
    return number(value)


@dataclass(frozen=True)
class IndicatorRow:
    label: str
    change: str
    change_name: str
    gained: int
    lost: int
    gained_all: int
    lost_all: int


@dataclass(frozen=True)
class UnitRow:
    name: str
    households: int
    pairs: list[tuple[int, int | None]]
    """(households under A, under B) per class shown; B is ``None`` where B has no such class."""
    changes: list[int]


def _label(driver: IndicatorDriver) -> str:
    return driver.label_en if english() else driver.label_vi


def _indicator_row(driver: IndicatorDriver) -> IndicatorRow:
    return IndicatorRow(
        label=_label(driver),
        change=driver.change,
        change_name=str(CHANGE_NAMES[driver.change]),
        gained=driver.gained,
        lost=driver.lost,
        gained_all=driver.gained_all,
        lost_all=driver.lost_all,
    )


def _line_sentences(comparison: Comparison) -> list[str]:
    b = standard_title(comparison.b)
    sentences = []
    shifts = [s for s in comparison.drivers.lines if s.area_households] or list(comparison.drivers.lines)
    for shift in shifts:
        area = area_label(shift.area)
        values = {"b": b, "area": area, "old": _vnd(shift.line_a), "new": _vnd(shift.line_b)}
        if shift.line_b > shift.line_a:
            sentences.append(
                _(
                    "{b} nâng mức thu nhập {area} từ {old} lên {new} đồng/người/tháng: {n} hộ có thu nhập "
                    "trong khoảng này nên thành hộ nghèo hoặc hộ cận nghèo."
                ).format(n=_n(shift.households), **values)
            )
        elif shift.line_b < shift.line_a:
            sentences.append(
                _(
                    "{b} hạ mức thu nhập {area} từ {old} xuống {new} đồng/người/tháng: {n} hộ có thu nhập "
                    "trong khoảng này nên ra khỏi diện hộ nghèo, hộ cận nghèo."
                ).format(n=_n(shift.households), **values)
            )
        else:
            sentences.append(_("{b} giữ nguyên mức thu nhập {area} {old} đồng/người/tháng.").format(**values))
    return sentences


def _deprivation_sentences(comparison: Comparison) -> list[str]:
    drivers = comparison.drivers
    sentences = []
    n = drivers.by_reason["deprivations"]
    sentences.append(
        _(
            "{n} hộ có thu nhập dưới chuẩn theo cả hai chuẩn nhưng đổi giữa hộ nghèo và hộ cận nghèo vì số "
            "chỉ số thiếu hụt (hộ nghèo khi thiếu hụt từ {k} chỉ số trở lên)."
        ).format(n=_n(n), k=drivers.threshold_b)
    )
    if drivers.threshold_a != drivers.threshold_b:
        sentences.append(
            _("Ngưỡng hộ nghèo đổi từ {a} chỉ số thiếu hụt ({std_a}) thành {b} chỉ số ({std_b}).").format(
                a=drivers.threshold_a,
                b=drivers.threshold_b,
                std_a=standard_title(comparison.a),
                std_b=standard_title(comparison.b),
            )
        )
    for driver in drivers.indicators:
        if driver.change == "added":
            sentences.append(
                _(
                    "Chỉ số mới “{label}”: {n} hộ trong số đó thiếu hụt chỉ số này "
                    "({all} hộ trên toàn bộ danh sách)."
                ).format(label=_label(driver), n=_n(driver.gained), all=_n(driver.gained_all))
            )
        elif driver.change == "removed":
            sentences.append(
                _(
                    "Bỏ chỉ số “{label}”: {n} hộ trong số đó không còn được tính thiếu hụt chỉ số này "
                    "({all} hộ trên toàn bộ danh sách)."
                ).format(label=_label(driver), n=_n(driver.lost), all=_n(driver.lost_all))
            )
        elif driver.gained or driver.lost:
            template = (
                _(
                    "Ngưỡng chỉ số “{label}” thay đổi: {gained} hộ thiếu hụt theo chuẩn B nhưng không theo "
                    "chuẩn A, {lost} hộ ngược lại."
                )
                if driver.change == "changed"
                else _(
                    "Chỉ số “{label}” (ngưỡng giữ nguyên, tham số chung khác): {gained} hộ thiếu hụt theo "
                    "chuẩn B nhưng không theo chuẩn A, {lost} hộ ngược lại."
                )
            )
            sentences.append(
                template.format(label=_label(driver), gained=_n(driver.gained), lost=_n(driver.lost))
            )
    return sentences


def _shared_params(comparison: Comparison) -> list[str]:
    words = []
    for key, value_a, value_b in comparison.drivers.shared_params:
        rows_a = param_rows({key: value_a}) if value_a is not None else []
        rows_b = param_rows({key: value_b}) if value_b is not None else []
        label = (rows_a or rows_b)[0].label if rows_a or rows_b else key
        old = ", ".join(rows_a[0].items) if rows_a else _("không có")
        new = ", ".join(rows_b[0].items) if rows_b else _("không có")
        words.append(_("{label}: {old} → {new}").format(label=label, old=old, new=new))
    return words


def _middle_sentences(comparison: Comparison) -> list[str]:
    middle = comparison.drivers.middle
    a, b = standard_title(comparison.a), standard_title(comparison.b)
    if middle.available_a and not middle.available_b:
        return [
            _(
                "{b} không quy định hộ có mức sống trung bình (chưa có căn cứ pháp lý được mã hóa; hệ thống "
                "không tự đặt ra mức này): {n} hộ có mức sống trung bình theo {a} có thu nhập trên chuẩn "
                "nghèo mới nên được tính là hộ không nghèo."
            ).format(a=a, b=b, n=_n(middle.to_not_poor))
        ]
    if middle.available_b and not middle.available_a:
        return [
            _(
                "{a} không quy định hộ có mức sống trung bình: {n} hộ không nghèo theo {a} là hộ có mức sống "
                "trung bình theo {b}."
            ).format(a=a, b=b, n=_n(middle.to_middle))
        ]
    if not middle.available_a:
        return [_("Cả hai chuẩn đều không quy định hộ có mức sống trung bình.")]
    sentences = []
    for area in ("rural", "urban"):
        old, new = middle.upper_a.get(area), middle.upper_b.get(area)
        if old is not None and new is not None and old != new:
            sentences.append(
                _(
                    "Mức trần hộ có mức sống trung bình {area} đổi từ {old} thành {new} đồng/người/tháng."
                ).format(area=area_label(area), old=_vnd(old), new=_vnd(new))
            )
    sentences.append(
        _(
            "{n} hộ có thu nhập trên chuẩn nghèo theo cả hai chuẩn đổi giữa hộ có mức sống trung bình "
            "và hộ không nghèo."
        ).format(n=_n(middle.households))
    )
    return sentences


def _missing_rows(frame: pl.DataFrame) -> list[tuple[str, int]]:
    rows = []
    for fact, households in frame.iter_rows():
        known = FACTS_BY_NAME.get(fact)
        label = _("danh sách nhân khẩu") if fact == "members" else fact_label(known) if known else fact
        rows.append((label, int(households)))
    return rows


def _unit_rows(
    comparison: Comparison, shown: tuple[str, ...], names: Mapping[int | None, str]
) -> list[UnitRow]:
    b_classes = comparison.classes_b
    rows = []
    for row in comparison.by_unit.iter_rows(named=True):
        village = row["village_id"]
        rows.append(
            UnitRow(
                name=names.get(village, str(village)),
                households=row["households"],
                pairs=[(row[f"a_{c}"], row[f"b_{c}"] if c in b_classes else None) for c in shown],
                changes=[row[name] for name in CHANGE_COUNTS],
            )
        )
    return rows


def comparison_context(comparison: Comparison, village_names: Mapping[int | None, str]) -> dict[str, Any]:
    """Everything the result part of the page shows, as words and numbers (templates only display)."""
    shown = tuple(c for c in CLASSES if c in comparison.classes_a or c in comparison.classes_b)
    matrix = {row["class_a"]: row for row in comparison.matrix.iter_rows(named=True)}
    columns = comparison.classes_b
    matrix_rows = [
        (
            class_name(c),
            c,
            [
                (matrix[c][col], "is-same" if col == c else "is-change" if matrix[c][col] else "")
                for col in columns
            ],
            matrix[c]["total"],
        )
        for c in comparison.classes_a
    ]
    column_totals = [int(comparison.matrix[col].sum()) for col in columns]
    totals = comparison.totals
    drivers = comparison.drivers
    return {
        "a": comparison.a,
        "b": comparison.b,
        "a_title": standard_title(comparison.a),
        "b_title": standard_title(comparison.b),
        "households": comparison.households,
        "matrix_columns": [(class_name(c), c) for c in columns],
        "matrix_rows": matrix_rows,
        "matrix_column_totals": column_totals,
        "no_middle_b": not comparison.b.has_middle_living and comparison.a.has_middle_living,
        "no_middle_a": not comparison.a.has_middle_living and comparison.b.has_middle_living,
        "summary": {
            "changed": totals["changed"],
            "became_poor": totals["became_poor"],
            "left_poor": totals["left_poor"],
            "became_near_poor": totals["became_near_poor"],
            "left_near_poor": totals["left_near_poor"],
            "poor_a": totals["a_poor"],
            "poor_b": totals["b_poor"],
            "near_poor_a": totals["a_near_poor"],
            "near_poor_b": totals["b_near_poor"],
            "incomplete": totals["incomplete"],
        },
        "unit_classes": [(class_name(c), c in comparison.classes_b) for c in shown],
        "unit_rows": _unit_rows(comparison, shown, village_names),
        "unit_totals": UnitRow(
            name=_("Tổng"),
            households=totals["households"],
            pairs=[
                (totals[f"a_{c}"], totals[f"b_{c}"] if c in comparison.classes_b else None) for c in shown
            ],
            changes=[totals[name] for name in CHANGE_COUNTS],
        ),
        "reasons": [(reason_name(r, comparison), n) for r, n in drivers.by_reason.items() if n],
        "line_sentences": _line_sentences(comparison),
        "deprivation_sentences": _deprivation_sentences(comparison),
        "lower_line": drivers.by_reason["lower_line"],
        "middle_sentences": _middle_sentences(comparison),
        "shared_params": _shared_params(comparison),
        "indicator_rows": [_indicator_row(d) for d in drivers.indicators],
        "incomplete": comparison.incomplete,
        "missing_a": _missing_rows(comparison.incomplete.missing_a),
        "missing_b": _missing_rows(comparison.incomplete.missing_b),
    }


@dataclass(frozen=True)
class ChangeRow:
    entry_pk: int
    code: str
    head: str
    village: str
    class_a: str
    class_b: str
    class_a_name: str
    class_b_name: str
    reason: str


def change_rows(
    comparison: Comparison, review_round: ReviewRound, limit: int = CHANGES_SHOWN
) -> tuple[list[ChangeRow], int]:
    """The households that change class (at most ``limit``, by village and code) and how many there are.
    Household code, head's name and village only: no citizen ID, no date of birth. One query."""
    changes = comparison.changes()
    ids = changes["household_id"].to_list()
    found = (
        RoundHousehold.objects.filter(round=review_round, pk__in=ids)
        .order_by("village__name", "household__code", "pk")
        .values_list("pk", "household__code", "household__head__full_name", "village__name")[:limit]
    )
    by_id = {row["household_id"]: row for row in changes.iter_rows(named=True)}
    rows = []
    for pk, code, head, village in found:
        change = by_id[pk]
        rows.append(
            ChangeRow(
                entry_pk=pk,
                code=code,
                head=head or "",
                village=village or "",
                class_a=change["class_a"],
                class_b=change["class_b"],
                class_a_name=class_name(change["class_a"]),
                class_b_name=class_name(change["class_b"]),
                reason=reason_name(change["reason"], comparison),
            )
        )
    return rows, len(ids)


# --- the page -------------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _requested_round(request: HttpRequest, viewer: User) -> ReviewRound | None:
    """The round of ``?dot=``: a number outside the viewer's territory is a 404; text is left to the
    form (a message on the field)."""
    raw = request.GET.get("dot", "").strip()
    if not raw.isdigit():
        return None
    found = selectors.rounds_visible_to(viewer).select_related("commune").filter(pk=int(raw)).first()
    if found is None:
        raise Http404(raw)
    return found


@review_view()
@require_safe
def compare_page(request: HtmxHttpRequest) -> HttpResponse:
    """So sánh chuẩn nghèo: a round's facts under two standards, side by side."""
    viewer = _user(request)
    visible = list(selectors.round_list(viewer=viewer))
    rounds = [(r.pk, _round_label(r)) for r in visible]
    chosen = _requested_round(request, viewer)
    context: dict[str, Any] = {"has_rounds": bool(visible), "result": None, "error": ""}
    if not request.GET:
        initial_round = default_round(viewer)
        initial: dict[str, Any] = {}
        if initial_round is not None:
            a_id = round_standard_id(initial_round)
            initial = {"dot": initial_round.pk, "a": a_id, "b": next_standard_id(a_id)}
        form = CompareForm(initial, rounds=rounds) if initial else CompareForm(rounds=rounds)
    else:
        data = request.GET.copy()
        if chosen is not None:  # a round without standards: the one it used and the next one
            a_id = data.get("a") or round_standard_id(chosen)
            data["a"] = a_id
            if not data.get("b") and a_id in dict(_standard_choices()):
                data["b"] = next_standard_id(a_id)
        form = CompareForm(data, rounds=rounds)
    context["form"] = form
    if form.is_bound and form.is_valid():
        review_round = chosen or next(r for r in visible if r.pk == form.cleaned_data["dot"])
        context.update(_result(viewer, review_round, form.cleaned_data["a"], form.cleaned_data["b"]))
    if request.htmx:
        return render(request, "reports/compare_body.html", context)
    return render(request, "reports/compare.html", context)


def _result(viewer: User, review_round: ReviewRound, a_id: str, b_id: str) -> dict[str, Any]:
    a, b = get_standard(a_id), get_standard(b_id)
    started = time.perf_counter()
    households, members = round_facts(viewer=viewer, review_round=review_round)
    context: dict[str, Any] = {"round": review_round, "round_title": _round_label(review_round)}
    if households.height == 0:
        context["error"] = _("Đợt rà soát này chưa có hộ nào bạn được xem để so sánh.")
        return context
    basis: Basis = "score" if review_round.basis == "score" else "income"
    try:
        comparison = compare_standards(households, members, a=a, b=b, by=["village_id"], basis=basis)
    except FactsError as error:
        context["error"] = _(
            "Phiếu B của đợt này còn {n} giá trị chưa hợp lệ nên chưa so sánh được; hãy sửa Phiếu B "
            "trong đợt rà soát rồi thử lại."
        ).format(n=_n(error.errors.height))
        return context
    except StandardError as error:
        context["error"] = error.message_vi
        return context
    village_ids = [v for v in comparison.by_unit["village_id"].to_list() if v is not None]
    names: dict[int | None, str] = dict(Village.objects.filter(pk__in=village_ids).values_list("pk", "name"))
    names[None] = _("Hộ chưa gắn thôn")
    context["result"] = comparison_context(comparison, names)
    context["show_households"] = households_refusal(viewer) is None
    if context["show_households"]:
        context["changes"], context["changes_total"] = change_rows(comparison, review_round)
        context["changes_cap"] = CHANGES_SHOWN
    context["seconds"] = number(time.perf_counter() - started, 2)
    return context
