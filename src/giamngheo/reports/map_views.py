"""The map page (bản đồ), ``/bao-cao/ban-do/`` (``reports:map``): an indicator of approved periodic review
results by province, drawn by :mod:`giamngheo.reports.maps`, over the viewer's territory.

- ``chi-so``: the indicator (poor-household rate, near-poor rate, number of poor households);
  ``nam``: the year of the approved periodic rounds; ``tinh``: a province to look into. Bad values give
  a Vietnamese message on the field and the defaults, never an error page.
- Provinces outside the viewer's territory are grey, without values; a province asked for outside it
  is a 404.
- There are no commune boundaries: a province is shown as the national map with that province
  outlined, and a table of its communes (those the viewer sees) with the same figures.
- A viewer whose territory lies in one province lands on that province.

The figures come from the one aggregation path over the stored figures: ``summary(report_figures(viewer=…,
year=…), ["province_code"])`` per province and ``summary(…, ["commune_id"])`` per commune of the chosen
province, so a province's rate is the dashboard's and the summary form's (Biểu 01) for the same viewer and
year: a share of the households of the communes with an approved periodic round of the year. A commune
without one has no data.
Views parse, read, render; the template only displays.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import polars as pl
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django_htmx.middleware import HtmxDetails

from giamngheo.accounts.models import User
from giamngheo.accounts.selectors import units_visible_to
from giamngheo.geo.models import AdminUnit, Generation, Level
from giamngheo.geo.selectors import communes_visible_to
from giamngheo.reports import maps
from giamngheo.reports.aggregation import summary
from giamngheo.reports.selectors import empty_figures, report_figures, report_years

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAP_GENERATION = Generation.Y2025  # rounds belong to 2025 communes, results carry 2025 province codes


class MapRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


@dataclass(frozen=True)
class Indicator:
    """An indicator the map can show: a share of the households (``rate``) or a count."""

    slug: str
    label: StrOrPromise
    klass: str
    rate: bool

    @property
    def unit(self) -> str:
        return "%" if self.rate else _("hộ")


INDICATORS: tuple[Indicator, ...] = (
    Indicator("ty-le-ho-ngheo", gettext_lazy("Tỷ lệ hộ nghèo"), "poor", rate=True),
    Indicator("ty-le-ho-can-ngheo", gettext_lazy("Tỷ lệ hộ cận nghèo"), "near_poor", rate=True),
    Indicator("so-ho-ngheo", gettext_lazy("Số hộ nghèo"), "poor", rate=False),
)
INDICATOR_BY_SLUG = {i.slug: i for i in INDICATORS}


@dataclass(frozen=True)
class Figures:
    """One unit (province or commune) in a year, over the viewer's territory: a row of
    :func:`giamngheo.reports.aggregation.summary` of the year's report frame.

    ``households``: the rates' denominator (households of the communes with an approved periodic round of
    the year, as on the dashboards and the forms); ``has_data``: the unit has households in the frame
    (none → no data)."""

    households: int = 0
    poor: int = 0
    near_poor: int = 0
    poor_rate: float | None = None
    near_poor_rate: float | None = None
    has_data: bool = False

    @classmethod
    def from_summary(cls, row: Mapping[str, Any]) -> Figures:
        return cls(
            households=int(row["households"]),
            poor=int(row["poor"]),
            near_poor=int(row["near_poor"]),
            poor_rate=row["poor_rate"],
            near_poor_rate=row["near_poor_rate"],
            has_data=True,
        )

    def value(self, indicator: Indicator) -> float | None:
        if not self.has_data:
            return None
        if indicator.klass == "poor":
            return self.poor_rate if indicator.rate else float(self.poor)
        return self.near_poor_rate if indicator.rate else float(self.near_poor)


def figures_by(frame: pl.DataFrame, column: str) -> dict[Any, Figures]:
    """:class:`Figures` per value of ``column`` (``province_code`` or ``commune_id``) of a report frame,
    through the one aggregation path (``summary(frame, [column])``)."""
    return {row[column]: Figures.from_summary(row) for row in summary(frame, [column]).iter_rows(named=True)}


# --- the page -------------------------------------------------------------------------------------


class MapForm(forms.Form):
    """What to draw: indicator, year, province (all optional; defaults when missing or wrong)."""

    indicator = forms.ChoiceField(
        label=gettext_lazy("Chỉ số"),
        choices=[(i.slug, i.label) for i in INDICATORS],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Không có chỉ số này; hãy chọn trong danh sách.")},
    )
    year = forms.TypedChoiceField(
        label=gettext_lazy("Năm"),
        coerce=int,
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Không có kết quả rà soát định kỳ đã phê duyệt của năm này trong địa bàn của bạn."
            )
        },
    )

    def __init__(self, data: Any, *, years: Iterable[int]) -> None:
        super().__init__(data)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [(y, str(y)) for y in years]

    def add_prefix(self, field_name: str) -> str:
        # Vietnamese parameter names in the address bar: ?chi-so=…&nam=…
        return {"indicator": "chi-so", "year": "nam"}.get(field_name, field_name)


@dataclass(frozen=True)
class Row:
    """One line of the table under the map: a province or a commune with its figures and the value."""

    code: str
    name: str
    figures: Figures
    value: float | None
    href: str | None = None


def province_names(codes: Iterable[str]) -> dict[str, str]:
    """Official names of the 2025 provinces (public facts, not territory data); the map's otherwise."""
    names = {p.code: p.name for p in maps.provinces(MAP_GENERATION)}
    names.update(
        AdminUnit.objects.filter(
            generation=MAP_GENERATION, level=Level.PROVINCE, code__in=list(codes)
        ).values_list("code", "name")
    )
    return names


def territory_provinces(viewer: User) -> list[str]:
    """Codes of the 2025 provinces the viewer sees at least part of (a commune, a village's commune)."""
    codes = (
        units_visible_to(viewer)
        .filter(generation=MAP_GENERATION)
        .order_by()
        .values_list("province_code", flat=True)
        .distinct()
    )
    return sorted(set(codes))


def _labels() -> maps.MapLabels:
    return maps.MapLabels(
        no_data=_("Không có số liệu"),
        outside=_("Ngoài địa bàn của bạn"),
        hoang_sa=_("Quần đảo Hoàng Sa (Việt Nam)"),
        truong_sa=_("Quần đảo Trường Sa (Việt Nam)"),
        part_of=_("thuộc {province}"),
        attribution=_("Ranh giới tỉnh: Natural Earth 1:10 triệu (phạm vi công cộng), giản lược."),
        highlighted=_("đang xem"),
    )


def _query(indicator: Indicator, year: int | None, province: str | None = None) -> str:
    params: dict[str, str] = {"chi-so": indicator.slug}
    if year is not None:
        params["nam"] = str(year)
    if province:
        params["tinh"] = province
    return "?" + urlencode(params)


def _split(kind: str, rows: list[Row]) -> dict[str, list[Row]]:
    """``<kind>_rows``: units with approved results, highest value first (then by code);
    ``<kind>_missing``: the others, by code."""
    with_data = [row for row in rows if row.figures.has_data]
    with_data.sort(key=lambda row: (-(row.value or 0.0), row.code))
    return {
        f"{kind}_rows": with_data,
        f"{kind}_missing": [row for row in rows if not row.figures.has_data],
    }


@login_required
@require_safe
def map_page(request: MapRequest) -> HttpResponse:
    """Bản đồ: the chosen indicator by province; for one province, its communes in a table."""
    viewer = request.user
    years = report_years(viewer=viewer)
    form = MapForm(request.GET, years=years)
    form.is_valid()  # errors are shown on the fields; the defaults are used instead
    cleaned = getattr(form, "cleaned_data", {})
    indicator = INDICATOR_BY_SLUG.get(cleaned.get("indicator") or "", INDICATORS[0])
    year: int | None = cleaned.get("year") or (years[0] if years else None)

    territory = territory_provinces(viewer)
    province_code = request.GET.get("tinh", "").strip()
    if not province_code and len(territory) == 1:
        province_code = territory[0]
    if province_code and province_code not in territory:
        raise Http404(
            _("Không có tỉnh, thành phố mã {code} trong địa bàn của bạn.").format(code=province_code)
        )

    frame = report_figures(viewer=viewer, year=year) if year is not None else empty_figures()
    provinces = figures_by(frame, "province_code")
    names = province_names(territory)
    base = reverse("reports:map")
    province_rows = [
        Row(
            code,
            names.get(code, code),
            provinces.get(code, Figures()),
            provinces.get(code, Figures()).value(indicator),
            base + _query(indicator, year, code),
        )
        for code in territory
    ]
    values: dict[str, float | None] = {row.code: row.value for row in province_rows}
    links = {row.code: row.href for row in province_rows}
    year_text = str(year) if year is not None else ""
    title = (
        _("{indicator} năm {year}, theo tỉnh, thành phố").format(indicator=indicator.label, year=year_text)
        if year is not None
        else _("{indicator}, theo tỉnh, thành phố").format(indicator=indicator.label)
    )
    legend_title = (
        _("{indicator} năm {year}").format(indicator=indicator.label, year=year_text)
        if year is not None
        else str(indicator.label)
    )
    svg = maps.choropleth_svg(
        values,
        generation=MAP_GENERATION,
        title=title,
        legend_title=legend_title + (" (%)" if indicator.rate else ""),
        unit=indicator.unit,
        highlight=province_code or None,
        href_for=links.get,
        labels=_labels(),
    )

    commune_rows: list[Row] = []
    province: Row | None = None
    if province_code:
        province = next(row for row in province_rows if row.code == province_code)
        unit = AdminUnit.objects.filter(
            generation=MAP_GENERATION, level=Level.PROVINCE, code=province_code
        ).first()
        communes = (
            communes_visible_to(viewer, province=unit) if unit is not None else AdminUnit.objects.none()
        )
        by_commune = figures_by(frame.filter(pl.col("province_code") == province_code), "commune_id")
        for commune in communes:
            commune_figures = by_commune.get(commune.pk, Figures())
            commune_rows.append(
                Row(
                    commune.code,
                    commune.name,
                    commune_figures,
                    commune_figures.value(indicator),
                    reverse("geo:commune", args=[commune.code]),
                )
            )

    context = {
        **_split("province", province_rows),
        **_split("commune", commune_rows),
        "form": form,
        "indicator": indicator,
        "year": year,
        "years": years,
        "svg": mark_safe(svg),  # built by maps.choropleth_svg, every text escaped there
        "map_title": title,
        "province": province,
        "several_provinces": len(territory) > 1,
        "national_href": base + _query(indicator, year),
        "territory_empty": not territory,
    }
    template = "reports/map_result.html" if request.htmx else "reports/map.html"
    return render(request, template, context)
