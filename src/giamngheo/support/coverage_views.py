"""Pages of the coverage of the support policies (``/ho-tro/``): the coverage of a unit and year
(``do-bao-phu/``), the households with a need and no matching support (``thieu-ho-tro/``), the support
given outside the rule (``ngoai-dien/``), each with its Excel export, and the dashboards' "Hỗ trợ" card
(``do-bao-phu/the/``, loaded by htmx so that a province's dashboard does not wait for it).

Units are the report forms' keys (``?don_vi=tinh-51``, ``xa-23485``, ``thon-12``), resolved within the
viewer's territory by :func:`giamngheo.reports.forms.data.scope_for` (outside: 404), and years those with
an approved periodic round the viewer sees (``?nam=``; the latest by default). Every figure comes from
:mod:`giamngheo.support.coverage` through :mod:`giamngheo.support.coverage_selectors` — the numbers of the
API and Biểu 05. The two household lists are refused (403, with the reason) to the roles that may not
read the household registry: a leader reads the coverage, not the households
(``support.permissions.pages_refusal``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import wraps
from typing import Any, Final

import polars as pl
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from giamngheo.accounts.models import User
from giamngheo.documents import list_xlsx
from giamngheo.documents.formatting import date_short
from giamngheo.documents.xlsx import Column
from giamngheo.geo.models import AdminUnit, Village
from giamngheo.reports import charts
from giamngheo.reports.forms.data import (
    COMMUNE_PREFIX,
    PROVINCE_PREFIX,
    VILLAGE_PREFIX,
    Scope,
    form_scopes,
    scope_for,
)
from giamngheo.reports.selectors import report_years
from giamngheo.review.procedure import procedure
from giamngheo.site.standards.presentation import class_name, number
from giamngheo.support.coverage_selectors import (
    CoverageUnit,
    UnitCoverage,
    coverage_unit,
    gap_households,
    ineligible_records,
    unit_coverage,
    unit_gaps,
    unit_overview,
)
from giamngheo.support.models import CoverageBasis, Policy, SupportRecord
from giamngheo.support.permissions import pages_refusal

PAGE_SIZE: Final = 50
CARD_POLICIES: Final = 5
XLSX_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNIT_PARAMETER: Final = "don_vi"
YEAR_PARAMETER: Final = "nam"
NEED_PARAMETER: Final = "nhu_cau"
#: What the coverage of a policy counts, in a word (``models.CoverageBasis``).
BASIS_WORDS: Final = {
    CoverageBasis.MEMBERS: gettext_lazy("người"),
    CoverageBasis.HOUSEHOLDS: gettext_lazy("hộ"),
    CoverageBasis.HOUSEHOLDS_WITH_NEED: gettext_lazy("hộ có nhu cầu"),
}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


def refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "support/coverage/refused.html", {"reason": reason}, status=403)


def household_list_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Sign-in required; a role that may not read the household registry gets a 403 page with the
    reason (a leader: aggregates only)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        reason = pages_refusal(request.user)
        if reason is not None:
            return refused(request, reason)
        return view(request, *args, **kwargs)

    return wrapper


# --- formats -------------------------------------------------------------------------------------


def percent(value: float | None) -> str:
    """ "66,67 %" in the current language's format; "–" when nobody is eligible."""
    if value is None:
        return "–"
    return _("{value} %").format(value=number(value, 2)).replace(" %", "\u00a0%")


def count(value: int | None) -> str:
    return number(value or 0)


def basis_word(policy: Policy) -> str:
    return str(BASIS_WORDS.get(CoverageBasis(policy.coverage_basis), policy.coverage_basis))


def need_labels() -> dict[str, str]:
    return {item.id: item.vi for item in procedure().support_needs.items}


# --- the unit and year asked for -----------------------------------------------------------------


@dataclass(frozen=True)
class Chosen:
    """The unit and year of a page, and what its chooser offers."""

    scope: Scope
    year: int
    unit: CoverageUnit
    scopes: list[Scope]
    years: list[int]

    def query(self, **extra: str) -> str:
        params: dict[str, str | int] = {UNIT_PARAMETER: self.scope.key, YEAR_PARAMETER: self.year}
        params.update({k: v for k, v in extra.items() if v})
        return urlencode(params)


def _chosen(request: HttpRequest) -> Chosen:
    """The unit (``?don_vi=``, default: the viewer's first unit) and year (``?nam=``, default: the latest
    with an approved periodic round); 404 outside the territory, for a year without an approved round
    and for a pre-2025 district."""
    user = _user(request)
    scopes = form_scopes(user)
    years = report_years(viewer=user)
    key = request.GET.get(UNIT_PARAMETER, "").strip()
    scope = scope_for(user, key) if key else (scopes[0] if scopes else None)
    if scope is None:
        raise Http404(
            _("Đơn vị này không thuộc địa bàn của bạn.")
            if key
            else _("Tài khoản của bạn chưa được giao địa bàn.")
        )
    raw = request.GET.get(YEAR_PARAMETER, "").strip()
    if raw:
        if not raw.isdigit() or int(raw) not in years:
            raise Http404(_("Năm này chưa có đợt rà soát định kỳ được phê duyệt."))
        year = int(raw)
    elif years:
        year = years[0]
    else:
        raise Http404(_("Chưa có đợt rà soát định kỳ nào được phê duyệt trong địa bàn của bạn."))
    unit = coverage_unit(viewer=user, scope=scope, year=year)
    if unit is None:
        raise Http404(_("Độ bao phủ chỉ tính cho tỉnh, xã và thôn (không tính theo huyện cũ)."))
    if not any(s.key == scope.key for s in scopes):
        scopes = [*scopes, scope]
    return Chosen(scope=scope, year=year, unit=unit, scopes=scopes, years=years)


# --- the coverage page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyRow:
    policy: Policy
    basis: str
    eligible: str
    covered: str
    share: str
    share_value: float
    records: str
    ineligible_records: str


@dataclass(frozen=True)
class SubUnitCell:
    share: str
    detail: str


@dataclass(frozen=True)
class SubUnitRow:
    name: str
    url: str
    cells: list[SubUnitCell]


def _policy_row(policy: Policy, row: dict[str, Any]) -> PolicyRow:
    return PolicyRow(
        policy=policy,
        basis=basis_word(policy),
        eligible=count(row["eligible"]),
        covered=count(row["covered"]),
        share=percent(row["share"]),
        share_value=float(row["share"] or 0.0),
        records=count(row["records"]),
        ineligible_records=count(row["ineligible_records"]),
    )


def coverage_url(key: str, year: int) -> str:
    params: dict[str, str | int] = {UNIT_PARAMETER: key, YEAR_PARAMETER: year}
    return f"{reverse('support:coverage')}?{urlencode(params)}"


def _sub_unit_rows(result: UnitCoverage, year: int) -> list[SubUnitRow]:
    rows = []
    for sub, cells in result.sub_unit_rows():
        shown = [
            SubUnitCell(
                percent(figures["share"]) if figures else "–",
                _("{covered}/{eligible}").format(
                    covered=count(figures["covered"] if figures else 0),
                    eligible=count(figures["eligible"] if figures else 0),
                ),
            )
            for _policy, figures in cells
        ]
        url = coverage_url(sub.key, year) if sub.key and sub.key != result.unit.key else ""
        rows.append(SubUnitRow(sub.name, url, shown))
    return rows


def _gap_rows(summary: pl.DataFrame) -> list[tuple[str, str, str, str]]:
    labels = need_labels()
    return [
        (row["need"], labels.get(row["need"], row["need"]), count(row["households"]), count(row["unmet"]))
        for row in summary.iter_rows(named=True)
        if row["households"]
    ]


def _links(chosen: Chosen, user: User) -> dict[str, str]:
    query = chosen.query()
    links = {
        "export": f"{reverse('support:coverage_export')}?{query}",
        "form": reverse("reports:form", kwargs={"code": "05", "unit": chosen.scope.key, "year": chosen.year}),
    }
    if pages_refusal(user) is None:
        links["gaps"] = f"{reverse('support:coverage_gaps')}?{query}"
        links["ineligible"] = f"{reverse('support:coverage_ineligible')}?{query}"
    return links


@login_required
@require_safe
def coverage_page(request: HttpRequest) -> HttpResponse:
    """Độ bao phủ chính sách hỗ trợ: per policy, the eligible population, those covered and the share
    (with a bar), the records and those given outside the rule; per sub-unit, each policy's share
    (drill-down); per support need, the households that stated it and those left without support."""
    chosen = _chosen(request)
    overview = unit_overview(chosen.unit)  # the coverage and the gaps' numbers from one read
    result, gaps = overview.coverage, overview.gaps
    context = {
        "chosen": chosen,
        "result": result,
        "rows": [_policy_row(p, row) for p, row in result.total_rows()],
        "sub_rows": _sub_unit_rows(result, chosen.year),
        "sub_label": _("Xã, phường") if chosen.unit.level == "province" else _("Thôn, tổ dân phố"),
        "gap_rows": _gap_rows(gaps.summary),
        "gaps": gaps,
        "links": _links(chosen, _user(request)),
        "unit_parameter": UNIT_PARAMETER,
        "year_parameter": YEAR_PARAMETER,
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        return render(request, "support/coverage/_coverage_body.html", context)
    return render(request, "support/coverage/coverage.html", context)


def _xlsx(content: bytes, name: str, chosen: Chosen) -> FileResponse:
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"{name}-{chosen.scope.key}-{chosen.year}.xlsx",
        content_type=XLSX_TYPE,
    )


COVERAGE_COLUMNS: Final = (
    gettext_lazy("Đơn vị"),
    gettext_lazy("Chính sách"),
    gettext_lazy("Mã chính sách"),
    gettext_lazy("Tính theo"),
    gettext_lazy("Diện được hưởng"),
    gettext_lazy("Đã được hỗ trợ"),
    gettext_lazy("Tỷ lệ bao phủ (%)"),
    gettext_lazy("Lượt hỗ trợ"),
    gettext_lazy("Hỗ trợ ngoài diện"),
)


def coverage_sheet_rows(result: UnitCoverage) -> Iterator[list[object]]:
    """The unit's row of each policy, then each sub-unit's (the same figures as the page)."""
    for policy, row in result.total_rows():
        yield _sheet_row(result.unit.name, policy, row)
    for sub, cells in result.sub_unit_rows():
        for policy, figures in cells:
            if figures is not None:
                yield _sheet_row(sub.name, policy, figures)


def _sheet_row(name: str, policy: Policy, row: dict[str, Any]) -> list[object]:
    return [
        name,
        policy.name,
        policy.code,
        basis_word(policy),
        int(row["eligible"]),
        int(row["covered"]),
        row["share"],
        int(row["records"]),
        int(row["ineligible_records"]),
    ]


@login_required
@require_safe
def coverage_export(request: HttpRequest) -> FileResponse:
    """The coverage page as an Excel list: the unit's row per policy, then every sub-unit's."""
    chosen = _chosen(request)
    result = unit_coverage(chosen.unit)
    title = _("Độ bao phủ chính sách hỗ trợ — {unit} — năm {year}").format(
        unit=chosen.unit.name, year=chosen.year
    )
    content = list_xlsx(
        [Column(str(label)) for label in COVERAGE_COLUMNS],
        coverage_sheet_rows(result),
        title=title,
        sheet_name=_("Độ bao phủ"),
    )
    return _xlsx(content, "do-bao-phu", chosen)


# --- the gap list --------------------------------------------------------------------------------


def _gaps_frame(chosen: Chosen, need: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    gaps = unit_gaps(chosen.unit)
    households = gaps.households
    if need:
        households = households.filter(pl.col("unmet").list.contains(need))
    return households, gaps.summary


def _need(request: HttpRequest) -> str:
    need = request.GET.get(NEED_PARAMETER, "").strip()
    return need if need in need_labels() else ""


@household_list_page
@require_safe
def gap_list(request: HttpRequest) -> HttpResponse:
    """Hộ có nhu cầu chưa được hỗ trợ: the round's households with a stated need for which they got no
    support of any policy answering it in the year, 50 per page (``?nhu_cau=`` one need only)."""
    chosen = _chosen(request)
    need = _need(request)
    households, summary = _gaps_frame(chosen, need)
    paginator = Paginator(range(households.height), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("trang"))
    rows = gap_households(households.slice(page.start_index() - 1, PAGE_SIZE)) if households.height else []
    labels = need_labels()
    context = {
        "chosen": chosen,
        "page": page,
        "count": households.height,
        "rows": [
            {
                "row": row,
                "klass": class_name(row.klass) if row.klass else "",
                "needs": [labels.get(n, n) for n in row.needs],
                "unmet": [labels.get(n, n) for n in row.unmet],
            }
            for row in rows
        ],
        "need": need,
        "needs": [(k, v) for k, v in labels.items()],
        "query": chosen.query(**{NEED_PARAMETER: need}),
        "coverage_url": coverage_url(chosen.scope.key, chosen.year),
        "export_url": f"{reverse('support:coverage_gaps_export')}?{chosen.query(**{NEED_PARAMETER: need})}",
        "province": chosen.unit.level == "province",
        "unit_parameter": UNIT_PARAMETER,
        "year_parameter": YEAR_PARAMETER,
        "gap_rows": _gap_rows(summary),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        return render(request, "support/coverage/_gap_table.html", context)
    return render(request, "support/coverage/gaps.html", context)


@household_list_page
@require_safe
def gap_export(request: HttpRequest) -> FileResponse:
    chosen = _chosen(request)
    need = _need(request)
    households, _summary = _gaps_frame(chosen, need)
    labels = need_labels()
    columns = [
        Column(_("Mã hộ")),
        Column(_("Chủ hộ")),
        Column(_("Thôn, tổ dân phố")),
        Column(_("Xã, phường")),
        Column(_("Diện")),
        Column(_("Nhu cầu hỗ trợ đã nêu")),
        Column(_("Nhu cầu chưa được hỗ trợ")),
    ]

    def rows() -> Iterator[list[object]]:
        for start in range(0, households.height, 5000):
            for row in gap_households(households.slice(start, 5000)):
                yield [
                    row.code,
                    row.head,
                    row.village,
                    row.commune,
                    class_name(row.klass) if row.klass else "",
                    "; ".join(labels.get(n, n) for n in row.needs),
                    "; ".join(labels.get(n, n) for n in row.unmet),
                ]

    title = _("Hộ có nhu cầu chưa được hỗ trợ — {unit} — năm {year} — {day}").format(
        unit=chosen.unit.name, year=chosen.year, day=date_short(timezone.localdate())
    )
    content = list_xlsx(columns, rows(), title=title, sheet_name=_("Chưa được hỗ trợ"))
    return _xlsx(content, "thieu-ho-tro", chosen)


# --- support outside the rule --------------------------------------------------------------------


@household_list_page
@require_safe
def ineligible_list(request: HttpRequest) -> HttpResponse:
    """Hỗ trợ ngoài diện: the year's support records given to households that were not eligible, with
    the supervisor's reason and name, 50 per page."""
    chosen = _chosen(request)
    records = ineligible_records(chosen.unit)
    paginator = Paginator(records, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("trang"))
    context = {
        "chosen": chosen,
        "page": page,
        "count": paginator.count,
        "rows": [
            (r, class_name(r.klass) if r.klass else _("chưa có kết quả rà soát")) for r in page.object_list
        ],
        "query": chosen.query(),
        "coverage_url": coverage_url(chosen.scope.key, chosen.year),
        "export_url": f"{reverse('support:coverage_ineligible_export')}?{chosen.query()}",
        "unit_parameter": UNIT_PARAMETER,
        "year_parameter": YEAR_PARAMETER,
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        return render(request, "support/coverage/_ineligible_table.html", context)
    return render(request, "support/coverage/ineligible.html", context)


def _receiver(record: SupportRecord) -> str:
    if record.member is not None:
        return record.member.full_name
    head = record.household.head
    return head.full_name if head is not None else ""


@household_list_page
@require_safe
def ineligible_export(request: HttpRequest) -> FileResponse:
    chosen = _chosen(request)
    columns = [
        Column(_("Ngày hỗ trợ")),
        Column(_("Chính sách")),
        Column(_("Mã hộ")),
        Column(_("Người nhận (chủ hộ)")),
        Column(_("Thôn, tổ dân phố")),
        Column(_("Xã, phường")),
        Column(_("Diện khi hỗ trợ")),
        Column(_("Số tiền (đồng)")),
        Column(_("Lý do cho phép")),
        Column(_("Người cho phép")),
    ]

    def rows() -> Iterator[list[object]]:
        for record in ineligible_records(chosen.unit).iterator(chunk_size=2000):
            yield [
                record.given_on,
                record.policy.name,
                record.household.code,
                _receiver(record),
                record.village.name if record.village is not None else "",
                record.commune.name,
                class_name(record.klass) if record.klass else "",
                record.amount,
                record.override_reason,
                record.override_by.get_full_name() if record.override_by is not None else "",
            ]

    title = _("Hỗ trợ ngoài diện — {unit} — năm {year}").format(unit=chosen.unit.name, year=chosen.year)
    content = list_xlsx(columns, rows(), title=title, sheet_name=_("Ngoài diện"))
    return _xlsx(content, "ngoai-dien", chosen)


# --- the dashboards' card ------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageCard:
    """What a dashboard needs to show the "Hỗ trợ" card: where to load it from, and the page."""

    url: str
    page_url: str


def dashboard_coverage(
    *, level: str, unit: AdminUnit | None, village: Village | None, year: int | None
) -> CoverageCard | None:
    """The card of a dashboard's unit and year (loaded by htmx from :func:`coverage_card`), or ``None``
    without a year."""
    if year is None:
        return None
    if village is not None:
        key = f"{VILLAGE_PREFIX}{village.pk}"
    elif unit is not None and level == "province":
        key = f"{PROVINCE_PREFIX}{unit.code}"
    elif unit is not None:
        key = f"{COMMUNE_PREFIX}{unit.code}"
    else:
        return None
    params: dict[str, str | int] = {UNIT_PARAMETER: key, YEAR_PARAMETER: year}
    query = urlencode(params)
    return CoverageCard(url=f"{reverse('support:coverage_card')}?{query}", page_url=coverage_url(key, year))


def top_policies(result: UnitCoverage, limit: int = CARD_POLICIES) -> list[tuple[Policy, dict[str, Any]]]:
    """The card's policies: those with the largest eligible population (ties by name), at most
    ``limit``."""
    rows = [(p, row) for p, row in result.total_rows() if row["eligible"]]
    rows.sort(key=lambda item: (-int(item[1]["eligible"]), item[0].name))
    return rows[:limit]


def _card_chart(rows: list[tuple[Policy, dict[str, Any]]], unit: str, year: int) -> SafeString:
    bars = [charts.Bar(p.name, float(row["share"] or 0.0)) for p, row in rows]
    svg = charts.bar_chart(
        bars,
        title=_("Tỷ lệ bao phủ các chính sách hỗ trợ"),
        description=_("Tỷ lệ người, hộ thuộc diện đã được hỗ trợ năm {year}, {unit}.").format(
            year=year, unit=unit
        ),
        fmt=lambda v: percent(v),
        max_value=100.0,
        colour=charts.PALETTE[2],
    )
    return mark_safe(svg)


@login_required
@require_safe
def coverage_card(request: HttpRequest) -> HttpResponse:
    """The "Hỗ trợ" card of a dashboard (an htmx fragment): the coverage share of the policies with the
    largest eligible population, as a bar chart and a table, with a link to the coverage page."""
    chosen = _chosen(request)
    result = unit_coverage(chosen.unit)
    rows = top_policies(result)
    context = {
        "chosen": chosen,
        "rows": [_policy_row(p, row) for p, row in rows],
        "chart": _card_chart(rows, chosen.unit.name, chosen.year) if rows else "",
        "page_url": coverage_url(chosen.scope.key, chosen.year),
    }
    return render(request, "support/coverage/_card.html", context)
