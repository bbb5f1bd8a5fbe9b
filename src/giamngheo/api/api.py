"""The REST API (``/api/v1/``, django-ninja, OpenAPI at ``/api/v1/openapi.json``): the report figures of
:mod:`giamngheo.reports` for programs, the same numbers as the dashboards and the report forms.

Authenticated by the Django session (``django_auth``: log in on ``/login/`` first; ninja checks the CSRF
token on unsafe methods). Every endpoint reads as the caller: the unit is resolved by
:func:`giamngheo.reports.forms.data.scope_for` (the forms' unit keys, ``tinh-51``, ``xa-23485``,
``thon-12``) and the figures come from :func:`giamngheo.reports.selectors.report_figures` through
:mod:`giamngheo.reports.aggregation` — the one aggregation path. A unit outside the caller's territory
is not found (404), as on the pages. Aggregates only: leaders may call every endpoint, and no endpoint
returns a household or a person.

The interactive docs (``/api/v1/docs``) use the Swagger UI files django-ninja ships in its package; it
serves them from its own static files only when ``"ninja"`` is an installed app (otherwise it would
load them from a CDN), so the docs page exists only then, with Swagger UI's online validator off —
nothing is ever fetched from the internet.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError, ValidationError
from ninja.security import django_auth

from giamngheo.accounts.selectors import Viewer
from giamngheo.api.schemas import (
    DeprivationOut,
    DeprivationsOut,
    ErrorOut,
    SubgroupOut,
    SummaryOut,
    SummaryRowOut,
    UnitOut,
    YearsOut,
)
from giamngheo.reports.aggregation import SUBGROUPS, deprivation_counts, summary
from giamngheo.reports.forms.context import NO_VILLAGE_LABEL
from giamngheo.reports.forms.data import (
    COMMUNE_PREFIX,
    VILLAGE_PREFIX,
    Scope,
    form_scopes,
    scope_for,
)
from giamngheo.reports.selectors import approved_rounds, report_figures, report_years

#: The docs page only when ninja serves its Swagger UI files itself (see the module docstring).
DOCS_URL = "/docs" if "ninja" in settings.INSTALLED_APPS else None

api = NinjaAPI(
    title="giamngheo API",
    version="1",
    description="Số liệu báo cáo giảm nghèo (tổng hợp, không có dữ liệu cá nhân).",
    urls_namespace="api",
    auth=django_auth,
    docs_url=DOCS_URL,
    # no online validator badge: Swagger UI would otherwise send the schema to swagger.io
    docs=Swagger(settings={"validatorUrl": None}),
)

NOT_FOUND = {404: ErrorOut}


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Bad query parameters: a Vietnamese message, and ninja's details for the programmer."""
    return api.create_response(
        request, {"detail": _("Tham số không hợp lệ."), "errors": exc.errors}, status=422
    )


# --- reading ------------------------------------------------------------------------------------


def _scope(viewer: Viewer, key: str | None) -> Scope:
    """The unit of ``key``, or the viewer's top unit (the first unit of the forms page); 404 outside
    the viewer's territory."""
    if key:
        found = scope_for(viewer, key.strip())
        if found is None:
            raise HttpError(
                404, _("Không tìm thấy đơn vị “{key}” trong địa bàn của bạn.").format(key=key[:40])
            )
        return found
    scopes = form_scopes(viewer)
    if not scopes:
        raise HttpError(404, _("Tài khoản của bạn chưa được giao địa bàn."))
    return scopes[0]


def _year(viewer: Viewer, year: int | None) -> int:
    """``year``, or the latest year with an approved periodic round the viewer sees."""
    if year is not None:
        return year
    years = report_years(viewer=viewer)
    if not years:
        raise HttpError(404, _("Chưa có đợt rà soát định kỳ nào được phê duyệt."))
    return years[0]


def _frame(viewer: Viewer, scope: Scope, year: int) -> pl.DataFrame:
    """The report frame of ``scope`` and ``year``; 404 when the unit has no approved periodic round."""
    unit = None if scope.village is not None else scope.unit
    rounds = approved_rounds(viewer=viewer, year=year, unit=unit, village=scope.village)
    if not rounds:
        raise HttpError(
            404,
            _("{unit} chưa có đợt rà soát định kỳ được phê duyệt năm {year}.").format(
                unit=scope.name, year=year
            ),
        )
    return report_figures(viewer=viewer, year=year, unit=unit, village=scope.village, rounds=rounds)


def _unit(scope: Scope) -> UnitOut:
    return UnitOut(key=scope.key, name=scope.name, level=scope.level)


def _row(key: str | None, name: str, values: dict[str, Any]) -> SummaryRowOut:
    """One row of :func:`giamngheo.reports.aggregation.summary`, its values unchanged."""
    return SummaryRowOut(
        key=key,
        name=name,
        households=values["households"],
        poor=values["poor"],
        near_poor=values["near_poor"],
        middle_living=values["middle_living"],
        incomplete=values["incomplete"],
        reviewed=values["reviewed"],
        poor_rate=values["poor_rate"],
        near_poor_rate=values["near_poor_rate"],
        subgroups=[
            SubgroupOut(
                group=group,
                households=values[f"households_{group}"],
                poor=values[f"poor_{group}"],
                near_poor=values[f"near_poor_{group}"],
                poor_rate=values[f"poor_{group}_rate"],
                near_poor_rate=values[f"near_poor_{group}_rate"],
            )
            for group in SUBGROUPS
        ],
    )


def _sub_units(frame: pl.DataFrame, scope: Scope) -> list[SummaryRowOut]:
    """``summary`` per commune (a province) or per village (a commune or a village), in code order;
    households without a village last."""
    if scope.level == "province":
        table = summary(frame, ["commune_code", "commune_name"])
        return [
            _row(f"{COMMUNE_PREFIX}{r['commune_code']}", r["commune_name"], r)
            for r in table.iter_rows(named=True)
        ]
    table = summary(frame, ["village_id", "village_name"]).sort(
        [pl.col("village_id").is_null(), "village_name"]
    )
    return [
        _row(
            None if r["village_id"] is None else f"{VILLAGE_PREFIX}{r['village_id']}",
            NO_VILLAGE_LABEL if r["village_id"] is None else r["village_name"],
            r,
        )
        for r in table.iter_rows(named=True)
    ]


# --- endpoints ----------------------------------------------------------------------------------


@api.get("/reports/years", response=YearsOut, tags=["reports"], summary="Years with approved reports")
def years(request: HttpRequest) -> YearsOut:
    """Years with at least one approved periodic review round the caller may see, newest first."""
    return YearsOut(years=report_years(viewer=request.user))


@api.get(
    "/reports/summary",
    response={200: SummaryOut, **NOT_FOUND},
    tags=["reports"],
    summary="Poor and near-poor households (Biểu 01)",
)
def report_summary(request: HttpRequest, year: int | None = None, unit: str | None = None) -> SummaryOut:
    """Households, poor, near-poor, middle-living households and rates of ``unit`` (default: the
    caller's top unit) in ``year`` (default: the latest), the total and one row per sub-unit, with the
    subgroups — the figures of the dashboards and of Biểu 01."""
    scope = _scope(request.user, unit)
    chosen = _year(request.user, year)
    frame = _frame(request.user, scope, chosen)
    total = summary(frame).row(0, named=True)
    return SummaryOut(
        year=chosen,
        unit=_unit(scope),
        total=_row(None, scope.name, total),
        sub_units=_sub_units(frame, scope),
    )


@api.get(
    "/reports/deprivations",
    response={200: DeprivationsOut, **NOT_FOUND},
    tags=["reports"],
    summary="Deprivations of poor and near-poor households (Biểu 02)",
)
def report_deprivations(
    request: HttpRequest, year: int | None = None, unit: str | None = None
) -> DeprivationsOut:
    """Per indicator: poor and near-poor households deprived in it, out of how many, and the share in
    percent (indicators nobody is deprived in are absent)."""
    scope = _scope(request.user, unit)
    chosen = _year(request.user, year)
    table = deprivation_counts(_frame(request.user, scope, chosen))
    return DeprivationsOut(
        year=chosen,
        unit=_unit(scope),
        indicators=[
            DeprivationOut(
                id=r["indicator"],
                deprived_households=r["deprived_households"],
                households=r["households"],
                share=r["share"],
            )
            for r in table.iter_rows(named=True)
        ],
    )
