"""Dashboards (bảng điều khiển) of a province, a commune and a village, with drill-down from province to
commune to village to the registry's household list of the village.

Reads only through the reports selectors (``report_years``, ``report_figures``, ``approved_rounds``);
every figure comes from :mod:`giamngheo.reports.dashboard_data` and the aggregation path (the stored
figures of the approved rounds, transitions included). A unit outside the viewer's territory is a 404. A
leader reads aggregates only: the links to household lists are not offered to them (the registry
refuses them anyway).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from giamngheo.accounts.models import Role, User
from giamngheo.accounts.selectors import sees_everything, units_visible_to, villages_visible_to
from giamngheo.geo.models import AdminUnit, Generation, Level, Village
from giamngheo.planning.services.targets import DashboardTarget, dashboard_targets
from giamngheo.registry.permissions import registry_refusal
from giamngheo.reports import charts
from giamngheo.reports.aggregation import transition_summary
from giamngheo.reports.dashboard_data import (
    Change,
    Profile,
    causes,
    change,
    deprivation_profile,
    headline,
    sub_units,
    trend,
)
from giamngheo.reports.selectors import approved_rounds, report_figures, report_years
from giamngheo.review.models import APPROVED_STATUSES, ReviewRound, RoundKind
from giamngheo.review.procedure import procedure
from giamngheo.review.selectors import rounds_visible_to
from giamngheo.site.standards.presentation import english, number
from giamngheo.standards import Standard, get_standard, standard_for
from giamngheo.support.coverage_views import CoverageCard, dashboard_coverage

YEAR_PARAMETER = "nam"


# --- formats -------------------------------------------------------------------------------------


def percent(value: float | None) -> str:
    """A rate in percent with two decimals in the current language's format ("12,34 %"); "–" if none."""
    if value is None:
        return "–"
    return _("{value} %").format(value=number(value, 2)).replace(" %", "\u00a0%")


def count(value: int | float | None) -> str:
    return "–" if value is None else number(value)


def points(value: float | None) -> str:
    """A change in percentage points with its sign and in words ("giảm 1,23 điểm %")."""
    if value is None:
        return "–"
    if round(value, 2) == 0:
        return _("không đổi")
    if value < 0:
        return _("giảm {points} điểm %").format(points=number(-value, 2))
    return _("tăng {points} điểm %").format(points=number(value, 2))


# --- the place shown -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """The unit a dashboard is about, with the links up the hierarchy the viewer may open."""

    level: str  # "province", "commune" or "village"
    name: str
    unit: AdminUnit | None = None  # province or commune
    village: Village | None = None
    breadcrumb: tuple[tuple[str, str], ...] = ()  # (name, url) of the units above

    @property
    def sub_level(self) -> str:
        return {"province": "commune", "commune": "village"}.get(self.level, "")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


def _province_url(province: AdminUnit) -> str:
    return reverse("reports:dashboard_province", args=[province.code])


def _commune_url(commune_id: int) -> str:
    return reverse("reports:dashboard_commune", args=[commune_id])


def _village_url(village_id: int) -> str:
    return reverse("reports:dashboard_village", args=[village_id])


def _visible_province(user: User, code: str) -> AdminUnit | None:
    return (
        units_visible_to(user)
        .filter(level=Level.PROVINCE, generation=Generation.Y2025, code=code)
        .order_by("pk")
        .first()
    )


def _province_crumb(user: User, province_code: str) -> tuple[tuple[str, str], ...]:
    province = _visible_province(user, province_code)
    return ((province.name, _province_url(province)),) if province is not None else ()


def _refuse_surveyor(user: User) -> None:
    if user.role == Role.VILLAGE_SURVEYOR and not sees_everything(user):
        raise PermissionDenied(_("Rà soát viên thôn chỉ xem bảng điều khiển của thôn được giao."))


def _province_place(user: User, code: str) -> Place:
    _refuse_surveyor(user)
    province = _visible_province(user, code)
    if province is None:
        raise Http404(_("Không có tỉnh này trong địa bàn của bạn."))
    return Place("province", province.name, unit=province)


def _commune_place(user: User, pk: int) -> Place:
    _refuse_surveyor(user)
    commune = units_visible_to(user).filter(level=Level.COMMUNE, generation=Generation.Y2025, pk=pk).first()
    if commune is None:
        raise Http404(_("Không có xã này trong địa bàn của bạn."))
    return Place(
        "commune", commune.name, unit=commune, breadcrumb=_province_crumb(user, commune.province_code)
    )


def _village_place(user: User, pk: int) -> Place:
    village = villages_visible_to(user).filter(pk=pk).select_related("commune").first()
    if village is None:
        raise Http404(_("Không có thôn này trong địa bàn của bạn."))
    crumbs = _province_crumb(user, village.province_code)
    if not (user.role == Role.VILLAGE_SURVEYOR and not sees_everything(user)):
        crumbs += ((village.commune.name, _commune_url(village.commune_id)),)
    name = _("{village}, {commune}").format(village=village.name, commune=village.commune.name)
    return Place("village", name, village=village, breadcrumb=crumbs)


# --- the dashboard as display data ----------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    detail: str = ""
    css: str = ""
    change: str = ""  # against the previous year, in words
    change_css: str = ""


@dataclass(frozen=True)
class SubUnitRow:
    name: str
    url: str  # its dashboard ("" for households without a village)
    households: str
    poor: str
    poor_rate: str
    near_poor: str
    near_poor_rate: str
    households_url: str = ""  # the registry list of the village (never for a leader)
    transitions_url: str = ""  # the review's transitions page of the commune's round


@dataclass(frozen=True)
class IndicatorRow:
    label: str
    dimension: str
    deprived_households: str
    censored: str
    contribution: str


@dataclass(frozen=True)
class Transitions:
    previous_year: int
    rows: list[tuple[str, str]]  # (category name, households)
    url: str


@dataclass
class Dashboard:
    place: Place
    years: list[int]
    year: int | None
    year_notice: str = ""
    empty: bool = True
    tiles: list[Tile] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)
    trend_chart: SafeString | None = None
    trend_rows: list[tuple[int, str, str, str, str, str]] = field(default_factory=list)
    sub_rows: list[SubUnitRow] = field(default_factory=list)
    total_row: SubUnitRow | None = None
    sub_chart: SafeString | None = None
    af_rows: list[IndicatorRow] = field(default_factory=list)
    af_summary: list[Tile] = field(default_factory=list)
    af_chart: SafeString | None = None
    af_text: dict[str, str] = field(default_factory=dict)
    standard_title: str = ""
    cause_rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    cause_chart: SafeString | None = None
    transitions: Transitions | None = None
    commune_transitions: bool = False  # the sub-unit table links each commune's transitions
    can_list_households: bool = False
    households_url: str = ""
    targets: list[DashboardTarget] = field(default_factory=list)  # the unit's targets (planning)
    coverage: CoverageCard | None = None  # the "Hỗ trợ" card, loaded by htmx (support)


def _year(request: HttpRequest, years: list[int]) -> tuple[int | None, str]:
    """The year asked for (``?nam=``), else the latest; a notice in Vietnamese for a bad value."""
    latest = years[0] if years else None
    raw = request.GET.get(YEAR_PARAMETER, "").strip()
    if not raw:
        return latest, ""
    if raw.isdigit() and int(raw) in years:
        return int(raw), ""
    if latest is None:
        return None, ""
    return latest, _(
        "Năm “{value}” chưa có đợt rà soát định kỳ được phê duyệt; đang hiển thị năm {year}."
    ).format(value=raw[:10], year=latest)


def _rounds(user: User, year: int, place: Place) -> list[ReviewRound]:
    return approved_rounds(viewer=user, year=year, unit=place.unit, village=place.village)


def _standard(rounds: Sequence[ReviewRound], year: int, province_code: str) -> Standard:
    """The standard the year's rounds were classified with (the most common one if they differ)."""
    used = Counter(r.standard_id for r in rounds if r.standard_id)
    if used:
        return get_standard(used.most_common(1)[0][0])
    return standard_for(dt.date(year, 10, 1), province_code)


def _tiles(totals: dict[str, Any], moved: Change | None) -> list[Tile]:
    """Households, then the poor and the near-poor: the rate in large type, the count and the change
    against the previous year (in words, with an arrow) under it."""

    def moved_text(value: float | None) -> tuple[str, str]:
        if moved is None:
            return _("Chưa có năm trước để so sánh"), ""
        arrow = "" if value is None or round(value, 2) == 0 else ("▼ " if value < 0 else "▲ ")
        direction = "" if not arrow else ("change-down" if value is not None and value < 0 else "change-up")
        text = _("{arrow}{change} so với năm {year}").format(
            arrow=arrow, change=points(value), year=moved.previous_year
        )
        return text, direction

    poor_change, poor_css = moved_text(moved.poor_points if moved else None)
    near_change, near_css = moved_text(moved.near_poor_points if moved else None)
    return [
        Tile(_("Tổng số hộ"), count(totals["households"]), _("hộ dân cư trong địa bàn"), "tile-households"),
        Tile(
            _("Tỷ lệ hộ nghèo"),
            percent(totals["poor_rate"]),
            _("{count} hộ nghèo").format(count=count(totals["poor"])),
            "tile-poor",
            poor_change,
            poor_css,
        ),
        Tile(
            _("Tỷ lệ hộ cận nghèo"),
            percent(totals["near_poor_rate"]),
            _("{count} hộ cận nghèo").format(count=count(totals["near_poor"])),
            "tile-near-poor",
            near_change,
            near_css,
        ),
    ]


def _registry_url(commune_id: int, village_id: int) -> str:
    return f"{reverse('registry:list')}?{urlencode({'commune': commune_id, 'village': village_id})}"


def _sub_units(dashboard: Dashboard, frame: pl.DataFrame, rounds: Sequence[ReviewRound], year: int) -> None:
    place = dashboard.place
    if place.sub_level == "":
        return
    table = sub_units(frame, "commune" if place.sub_level == "commune" else "village")
    round_of = {r.commune_id: r.pk for r in rounds}
    commune_id = place.unit.pk if place.unit is not None else None
    rows: list[SubUnitRow] = []
    for row in table.iter_rows(named=True):
        unit_id = row["id"]
        name = row["name"] or _("Hộ chưa gắn thôn")
        url = households_url = transitions_url = ""
        if unit_id is not None:
            if place.sub_level == "commune":
                url = year_link(_commune_url(unit_id), year)
                if unit_id in round_of:
                    transitions_url = reverse("review:transitions", args=[round_of[unit_id]])
            else:
                url = year_link(_village_url(unit_id), year)
                if dashboard.can_list_households and commune_id is not None:
                    households_url = _registry_url(commune_id, unit_id)
        rows.append(
            SubUnitRow(
                name=name,
                url=url,
                households=count(row["households"]),
                poor=count(row["poor"]),
                poor_rate=percent(row["poor_rate"]),
                near_poor=count(row["near_poor"]),
                near_poor_rate=percent(row["near_poor_rate"]),
                households_url=households_url,
                transitions_url=transitions_url,
            )
        )
    dashboard.sub_rows = rows
    totals = dashboard.totals
    dashboard.total_row = SubUnitRow(
        name=_("Cộng"),
        url="",
        households=count(totals["households"]),
        poor=count(totals["poor"]),
        poor_rate=percent(totals["poor_rate"]),
        near_poor=count(totals["near_poor"]),
        near_poor_rate=percent(totals["near_poor_rate"]),
    )
    dashboard.commune_transitions = place.sub_level == "commune"
    level_name = _("xã, phường") if place.sub_level == "commune" else _("thôn, tổ dân phố")
    bars = [
        charts.StackedBar(
            label=r["name"] or _("Hộ chưa gắn thôn"),
            segments=(
                charts.Segment(_("Tỷ lệ hộ nghèo"), r["poor_rate"] or 0.0),
                charts.Segment(_("Tỷ lệ hộ cận nghèo"), r["near_poor_rate"] or 0.0),
            ),
            href=row.url,
        )
        for r, row in zip(table.iter_rows(named=True), rows, strict=True)
    ]
    dashboard.sub_chart = mark_safe(
        charts.stacked_bar_chart(
            bars,
            series=[_("Tỷ lệ hộ nghèo"), _("Tỷ lệ hộ cận nghèo")],
            title=_("Tỷ lệ hộ nghèo và cận nghèo theo {level}, năm {year}").format(
                level=level_name, year=year
            ),
            description=_(
                "Mỗi thanh là một đơn vị, xếp từ tỷ lệ hộ nghèo cao nhất; phần đỏ là tỷ lệ hộ nghèo, "
                "phần vàng là tỷ lệ hộ cận nghèo, số ở cuối thanh là tổng hai tỷ lệ."
            ),
            fmt=percent,
        )
    )


def _trend(dashboard: Dashboard, table: pl.DataFrame) -> None:
    rows = list(table.iter_rows(named=True))
    dashboard.trend_rows = [
        (
            int(r["year"]),
            count(r["households"]),
            count(r["poor"]),
            percent(r["poor_rate"]),
            count(r["near_poor"]),
            percent(r["near_poor_rate"]),
        )
        for r in rows
    ]
    dashboard.trend_chart = mark_safe(
        charts.line_chart(
            [str(r["year"]) for r in rows],
            [
                charts.Line(_("Tỷ lệ hộ nghèo"), tuple(r["poor_rate"] for r in rows)),
                charts.Line(_("Tỷ lệ hộ cận nghèo"), tuple(r["near_poor_rate"] for r in rows)),
            ],
            title=_("Tỷ lệ hộ nghèo, hộ cận nghèo qua các năm"),
            description=_("Mỗi điểm là tỷ lệ của một năm có đợt rà soát định kỳ được phê duyệt."),
            fmt=percent,
        )
    )


def _profile(dashboard: Dashboard, profile: Profile | None, standard: Standard) -> None:
    dashboard.standard_title = standard.title_en if english() else standard.title_vi
    k = standard.poor_min_deprivations
    n = len(standard.indicators)
    dashboard.af_text = {
        "H": _(
            "H (tỷ lệ hộ nghèo đa chiều): tỷ lệ hộ thiếu hụt từ {k} trong {n} chỉ số trở lên trên tổng số hộ "
            "(chỉ xét thiếu hụt, không xét thu nhập)."
        ).format(k=k, n=n),
        "A": _(
            "A (mức độ thiếu hụt bình quân): trung bình một hộ nghèo đa chiều thiếu hụt bao nhiêu phần "
            "trong {n} chỉ số."
        ).format(n=n),
        "M0": _(
            "M0 = H × A (chỉ số nghèo đa chiều): vừa tính số hộ nghèo đa chiều vừa tính mức thiếu hụt "
            "của họ; càng nhỏ càng tốt."
        ),
        "censored": _(
            "Tỷ lệ thiếu hụt (đã kiểm duyệt): tỷ lệ hộ vừa nghèo đa chiều vừa thiếu hụt chỉ số đó, "
            "trên tổng số hộ."
        ),
        "contribution": _(
            "Đóng góp: phần của chỉ số trong M0; cộng các chỉ số lại được 100 %, chỉ số đóng góp lớn nhất "
            "là nơi cần hỗ trợ trước."
        ),
    }
    if profile is None:
        return
    af = profile.af
    dimensions = {
        key: (names.get("en") if english() else names.get("vi")) or key
        for key, names in standard.dimensions.items()
    }
    specs = {spec.id: spec for spec in standard.indicators}
    ordered = sorted(profile.indicators, key=lambda i: (-af.contribution[i], i))
    dashboard.af_rows = [
        IndicatorRow(
            label=(specs[i].label_en if english() else specs[i].label_vi) if i in specs else i,
            dimension=str(dimensions.get(specs[i].dimension, "")) if i in specs else "",
            deprived_households=count(profile.deprived_households(i)),
            censored=percent(100 * af.censored_headcount[i]),
            contribution=percent(100 * af.contribution[i]),
        )
        for i in ordered
    ]
    dashboard.af_summary = [
        Tile("H", percent(100 * af.H), _("{q} hộ nghèo đa chiều").format(q=count(af.q))),
        Tile("A", percent(100 * af.A)),
        Tile("M0", number(af.M0, 3)),
    ]
    dashboard.af_chart = mark_safe(
        charts.bar_chart(
            [
                charts.Bar(row.label, 100 * af.contribution[i])
                for row, i in zip(dashboard.af_rows, ordered, strict=True)
                if af.contribution[i] > 0  # the table lists every indicator; the chart only those that count
            ],
            title=_("Đóng góp của từng chỉ số vào chỉ số nghèo đa chiều M0"),
            description=_(
                "Chỉ số có thanh dài nhất đóng góp nhiều nhất vào nghèo đa chiều của địa bàn; chỉ số không "
                "đóng góp không được vẽ."
            ),
            fmt=percent,
            colour=charts.PALETTE[2],
        )
    )


def _causes(dashboard: Dashboard, table: pl.DataFrame, year: int) -> None:
    names = procedure().causes
    rows = list(table.iter_rows(named=True))
    dashboard.cause_rows = [
        (names.label(r["cause"]), count(r["households"]), count(r["poor"]), count(r["near_poor"]))
        for r in rows
    ]
    if rows:
        dashboard.cause_chart = mark_safe(
            charts.bar_chart(
                [charts.Bar(names.label(r["cause"]), float(r["households"])) for r in rows],
                title=_("Nguyên nhân nghèo của hộ nghèo, hộ cận nghèo năm {year}").format(year=year),
                description=_("Số hộ nêu từng nguyên nhân; một hộ có thể nêu nhiều nguyên nhân."),
                fmt=count,
                colour=charts.PALETTE[3],
            )
        )


#: The transitions a dashboard shows (the columns of Biểu 04, which add up: đầu kỳ − giảm + tăng = cuối kỳ).
TRANSITION_LABELS: tuple[tuple[str, Any], ...] = (
    ("poor_before", gettext_lazy("Hộ nghèo đầu kỳ")),
    ("escaped_poverty", gettext_lazy("Thoát nghèo")),
    ("poor_left", gettext_lazy("Hộ nghèo chuyển đi, chết, không rà soát lại")),
    ("newly_poor", gettext_lazy("Hộ nghèo phát sinh mới")),
    ("relapsed", gettext_lazy("Tái nghèo")),
    ("poor_moved_in", gettext_lazy("Hộ nghèo chuyển đến")),
    ("poor_now", gettext_lazy("Hộ nghèo cuối kỳ")),
    ("near_poor_before", gettext_lazy("Hộ cận nghèo đầu kỳ")),
    ("escaped_near_poverty", gettext_lazy("Thoát cận nghèo")),
    ("near_poor_to_poor", gettext_lazy("Hộ cận nghèo trở thành hộ nghèo")),
    ("near_poor_left", gettext_lazy("Hộ cận nghèo chuyển đi, chết, không rà soát lại")),
    ("near_poor_from_poor", gettext_lazy("Hộ cận nghèo từ hộ nghèo")),
    ("newly_near_poor", gettext_lazy("Hộ cận nghèo phát sinh mới")),
    ("near_poor_moved_in", gettext_lazy("Hộ cận nghèo chuyển đến")),
    ("near_poor_now", gettext_lazy("Hộ cận nghèo cuối kỳ")),
)
_ALWAYS_SHOWN = {"poor_before", "poor_now", "near_poor_before", "near_poor_now"}


def _transitions(dashboard: Dashboard, frame: pl.DataFrame, rounds: Sequence[ReviewRound], year: int) -> None:
    """Transitions against the previous approved rounds, from the stored figures (the sums Biểu 04
    prints), with a link to the review's page per village (a commune or a village) or to Biểu 04 (a
    province). Only units whose round has an earlier one count."""
    place = dashboard.place
    compared = (
        frame.filter(pl.col("previous_year").is_not_null()) if "previous_year" in frame.columns else frame
    )
    if compared.height == 0:
        return
    totals = transition_summary(compared).row(0, named=True)
    if place.level == "province" and place.unit is not None:
        url = reverse("reports:form", kwargs={"code": "04", "unit": f"tinh-{place.unit.code}", "year": year})
    else:
        url = reverse("review:transitions", args=[rounds[0].pk]) if rounds else ""
    dashboard.transitions = Transitions(
        previous_year=int(compared["previous_year"].max()),  # type: ignore[arg-type]
        rows=[
            (str(label), count(totals[key]))
            for key, label in TRANSITION_LABELS
            if totals.get(key) or key in _ALWAYS_SHOWN
        ],
        url=url,
    )


def build_dashboard(request: HttpRequest, place: Place) -> Dashboard:
    """Everything a dashboard page shows for ``place`` in the year asked for: the stored figures of each
    approved year up to that year (the year's own for every figure, the earlier ones for the trend)."""
    user = _user(request)
    years = report_years(viewer=user)
    year, notice = _year(request, years)
    dashboard = Dashboard(place=place, years=years, year=year, year_notice=notice)
    dashboard.can_list_households = registry_refusal(user) is None
    if place.village is not None and dashboard.can_list_households:
        dashboard.households_url = _registry_url(place.village.commune_id, place.village.pk)
    if year is None:
        return dashboard
    dashboard.targets = dashboard_targets(viewer=user, unit=place.unit, year=year)
    dashboard.coverage = dashboard_coverage(
        level=place.level, unit=place.unit, village=place.village, year=year
    )
    rounds = _rounds(user, year, place)
    frames = {
        y: report_figures(
            viewer=user,
            year=y,
            unit=place.unit,
            village=place.village,
            rounds=rounds if y == year else None,
        )
        for y in sorted(y for y in years if y <= year)
    }
    frame = frames[year]
    totals = headline(frame)
    dashboard.totals = totals
    if frame.height == 0:
        return dashboard
    dashboard.empty = False
    by_year = trend({y: f for y, f in frames.items() if f.height})
    dashboard.tiles = _tiles(totals, change(by_year, year))
    _trend(dashboard, by_year)
    _sub_units(dashboard, frame, rounds, year)
    province_code = place.village.province_code if place.village is not None else place.unit.province_code  # type: ignore[union-attr]
    standard = _standard(rounds, year, province_code)
    _profile(
        dashboard,
        deprivation_profile(frame, standard.indicator_ids, standard.poor_min_deprivations),
        standard,
    )
    _causes(dashboard, causes(frame), year)
    _transitions(dashboard, frame, rounds, year)
    return dashboard


# --- views ---------------------------------------------------------------------------------------


def _render(request: HttpRequest, place: Place) -> HttpResponse:
    dashboard = build_dashboard(request, place)
    return render(
        request,
        "reports/dashboard.html",
        {"dashboard": dashboard, "place": place, "year_parameter": YEAR_PARAMETER},
    )


@login_required
@require_GET
def dashboard_home(request: HttpRequest) -> HttpResponse:
    """/bao-cao/bang-dieu-khien/: the viewer's top unit (province, commune or village); a system
    administrator chooses a province."""
    user = _user(request)
    query = (
        f"?{urlencode({YEAR_PARAMETER: request.GET[YEAR_PARAMETER]})}"
        if request.GET.get(YEAR_PARAMETER)
        else ""
    )
    if sees_everything(user):
        return _choose_province(request, user)
    provinces = (
        units_visible_to(user).filter(level=Level.PROVINCE, generation=Generation.Y2025).order_by("name")
    )
    if user.role != Role.VILLAGE_SURVEYOR:
        province = provinces.first()
        if province is not None:
            return redirect(_province_url(province) + query)
        commune = (
            units_visible_to(user)
            .filter(level=Level.COMMUNE, generation=Generation.Y2025)
            .order_by("name")
            .first()
        )
        if commune is not None:
            return redirect(_commune_url(commune.pk) + query)
    village = villages_visible_to(user).order_by("commune__name", "name").first()
    if village is not None:
        return redirect(_village_url(village.pk) + query)
    raise PermissionDenied(_("Tài khoản của bạn chưa được giao địa bàn nên chưa có bảng điều khiển."))


def _choose_province(request: HttpRequest, user: User) -> HttpResponse:
    with_data = dict(
        rounds_visible_to(user)
        .filter(kind=RoundKind.PERIODIC, status__in=APPROVED_STATUSES)
        .order_by()
        .values_list("province_code")
        .annotate(n=Count("commune", distinct=True))
        .values_list("province_code", "n")
    )
    provinces = list(
        AdminUnit.objects.filter(level=Level.PROVINCE, generation=Generation.Y2025).order_by("name")
    )
    rows = [(p, with_data.get(p.province_code, 0)) for p in provinces]
    rows.sort(key=lambda item: (item[1] == 0, item[0].name))
    return render(request, "reports/dashboard_choose.html", {"rows": rows})


@login_required
@require_GET
def province_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    return _render(request, _province_place(_user(request), code))


@login_required
@require_GET
def commune_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _commune_place(_user(request), pk))


@login_required
@require_GET
def village_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _village_place(_user(request), pk))


def year_link(url: str, year: int | None) -> str:
    """``url`` for ``year`` (drill-down links keep the year being read)."""
    return f"{url}?{urlencode({YEAR_PARAMETER: year})}" if year is not None else url


__all__ = [
    "build_dashboard",
    "commune_dashboard",
    "count",
    "dashboard_home",
    "percent",
    "points",
    "province_dashboard",
    "village_dashboard",
    "year_link",
]
