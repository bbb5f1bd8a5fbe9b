"""The REST API (``/api/v1/``, django-ninja, OpenAPI at ``/api/v1/openapi.json``): the report figures of
:mod:`giamngheo.reports` for programs, the same numbers as the report forms, the dashboards and the map.

Two ways in (:data:`AUTH`): the Django session (``django_auth``: people logged in on ``/login/``; ninja
checks the CSRF token on unsafe methods) or an API token (:class:`giamngheo.api.auth.TokenAuth`,
``Authorization: Bearer gn_…``, created on ``/api/tokens/``), which reads as its user. Every endpoint reads
as the caller: the unit is resolved by :func:`giamngheo.reports.forms.data.scope_for` (the forms' unit
keys, ``tinh-51``, ``huyen-123``, ``xa-23485``, ``thon-12``) and the figures are those of the unit's
:func:`giamngheo.reports.forms.data.form_context` — the forms' own context, through
:mod:`giamngheo.reports.aggregation`, the one aggregation path — so an endpoint's numbers are the
form's. The map endpoint reads as the map page does. A unit outside the caller's territory is not found
(404), as on the pages. Aggregates only: leaders may call every endpoint, and no endpoint returns a
household or a person.

The interactive docs (``/api/v1/docs``) use the Swagger UI files django-ninja ships in its package; it
serves them from its own static files only when ``"ninja"`` is an installed app (otherwise it would
load them from a CDN), so the docs page exists only then, with Swagger UI's online validator off —
nothing is ever fetched from the internet.
"""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

from giamngheo.accounts.models import User
from giamngheo.accounts.selectors import Viewer
from giamngheo.api.auth import TokenAuth
from giamngheo.api.schemas import (
    CauseOut,
    CausesOut,
    CoverageOut,
    CoverageRowOut,
    DeprivationOut,
    DeprivationsOut,
    ErrorOut,
    MapItemOut,
    MapOut,
    NeedGapOut,
    PolicyCoverageOut,
    SubgroupOut,
    SummaryOut,
    SummaryRowOut,
    TransitionRowOut,
    TransitionsOut,
    UnitOut,
    UnitRefOut,
    UnitsOut,
    YearsOut,
)
from giamngheo.geo.models import AdminUnit, Level
from giamngheo.geo.selectors import communes_visible_to
from giamngheo.reports.aggregation import (
    SUBGROUPS,
    TRANSITION_COLUMNS,
    cause_counts,
    deprivation_counts,
    rate_percent,
    summary,
    transition_summary,
    without_cause_counts,
)
from giamngheo.reports.forms.context import FormContext, by_unit
from giamngheo.reports.forms.data import (
    COMMUNE_PREFIX,
    PROVINCE_PREFIX,
    Scope,
    district_year_refusal,
    form_context,
    form_scopes,
    scope_for,
)
from giamngheo.reports.map_views import (
    MAP_GENERATION,
    Figures,
    figures_by,
    province_names,
    territory_provinces,
)
from giamngheo.reports.selectors import report_figures, report_years
from giamngheo.review.procedure import procedure
from giamngheo.support.coverage_selectors import coverage_unit, unit_overview
from giamngheo.support.models import Policy

#: The docs page only when ninja serves its Swagger UI files itself (see the module docstring).
DOCS_URL = "/docs" if "ninja" in settings.INSTALLED_APPS else None

DESCRIPTION = """Số liệu báo cáo giảm nghèo (tổng hợp, không có dữ liệu cá nhân): cùng số liệu với các biểu \
mẫu báo cáo, bảng điều khiển và bản đồ, trong phạm vi địa bàn của người gọi.

**Xác thực** — một trong hai cách:

1. *Phiên đăng nhập* (trình duyệt): đăng nhập tại `/login/`, sau đó gọi API trong cùng trình duyệt \
(cookie phiên; CSRF được kiểm tra với các yêu cầu thay đổi dữ liệu).
2. *Khóa truy cập API* (chương trình: kho dữ liệu của tỉnh, bảng điều khiển): tạo khóa tại `/api/tokens/`, \
rồi gửi trong tiêu đề `Authorization: Bearer gn_…`, ví dụ \
`curl -H "Authorization: Bearer gn_…" https://<máy chủ>/api/v1/reports/summary`. Khóa đọc số liệu với \
quyền của người tạo khóa, không hơn; khóa bị thu hồi, hết hạn, hoặc tài khoản bị khóa → 401.

Đơn vị ngoài địa bàn, hoặc chưa có đợt rà soát định kỳ được phê duyệt trong năm → 404 (`detail` tiếng Việt).
"""

#: Session first (a browser), then an API token (a program).
AUTH = [django_auth, TokenAuth()]

api = NinjaAPI(
    title="giamngheo API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=AUTH,
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


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """No session and no working token: 401, in Vietnamese (a wrong, revoked or expired token, or an
    inactive account, all look the same from outside)."""
    return api.create_response(
        request,
        {"detail": _("Cần đăng nhập, hoặc gửi khóa truy cập API còn hiệu lực (Authorization: Bearer …).")},
        status=401,
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


def _year(viewer: Viewer, year: int | None, scope: Scope | None = None) -> int:
    """``year``, or the latest year with an approved periodic round the viewer sees (for a district, the
    latest one a district form exists for, when there is one)."""
    if year is not None:
        return year
    years = report_years(viewer=viewer)
    if scope is not None:
        years = [y for y in years if district_year_refusal(scope, y) is None] or years
    if not years:
        raise HttpError(404, _("Chưa có đợt rà soát định kỳ nào được phê duyệt."))
    return years[0]


def _context(
    request: HttpRequest, unit: str | None, year: int | None, *, transitions: bool = False
) -> tuple[Scope, FormContext]:
    """The forms' context of ``unit`` and ``year`` (see :func:`_scope` and :func:`_year`); 404 for a
    district after 2024 and for a unit with no approved periodic round that year."""
    viewer = request.user
    scope = _scope(viewer, unit)
    chosen = _year(viewer, year, scope)
    refusal = district_year_refusal(scope, chosen)
    if refusal is not None:
        raise HttpError(404, refusal)
    context = form_context(
        viewer=viewer, scope=scope, year=chosen, day=timezone.localdate(), transitions=transitions
    )
    if context.frame.height == 0 and not context.unattributed:
        raise HttpError(
            404,
            _("{unit} chưa có đợt rà soát định kỳ được phê duyệt năm {year}.").format(
                unit=scope.name, year=chosen
            ),
        )
    return scope, context


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


def _sub_units(context: FormContext) -> list[SummaryRowOut]:
    """``summary`` per sub-unit of the context, in the forms' order (a sub-unit without figures: zeros,
    rates ``null``, as the form prints it)."""
    rows = by_unit(summary(context.frame, [context.by]), context.by)
    empty = summary(context.frame.head(0)).row(0, named=True)
    return [_row(unit.key or None, unit.name, rows.get(unit.id, empty)) for unit in context.units]


def _counts(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0


def _cause(cause_id: str | None, label: str, row: dict[str, Any], poor: int, near_poor: int) -> CauseOut:
    """One line of Biểu 03: counts and their shares of the unit's poor / near-poor households."""
    households, poor_count, near_count = (_counts(row.get(k)) for k in ("households", "poor", "near_poor"))
    return CauseOut(
        id=cause_id,
        label=label,
        households=households,
        poor=poor_count,
        near_poor=near_count,
        share=rate_percent(households, poor + near_poor),
        poor_share=rate_percent(poor_count, poor),
        near_poor_share=rate_percent(near_count, near_poor),
    )


def _transition_row(key: str | None, name: str, values: dict[str, int] | None) -> TransitionRowOut:
    counts: dict[str, int | None] = {c: None if values is None else values[c] for c in TRANSITION_COLUMNS}
    return TransitionRowOut(key=key, name=name, compared=values is not None, **counts)


MapIndicator = Literal["poor_rate", "near_poor_rate"]


def _map_item(key: str, code: str, name: str, figures: Figures, indicator: MapIndicator) -> MapItemOut:
    return MapItemOut(
        key=key,
        code=code,
        name=name,
        has_data=figures.has_data,
        households=figures.households,
        poor=figures.poor,
        near_poor=figures.near_poor,
        poor_rate=figures.poor_rate,
        near_poor_rate=figures.near_poor_rate,
        value=figures.poor_rate if indicator == "poor_rate" else figures.near_poor_rate,
    )


# --- endpoints ----------------------------------------------------------------------------------


@api.get("/reports/years", response=YearsOut, tags=["reports"], summary="Years with approved reports")
def years(request: HttpRequest) -> YearsOut:
    """Years with at least one approved periodic review round the caller may see, newest first."""
    return YearsOut(years=report_years(viewer=request.user))


@api.get("/reports/units", response=UnitsOut, tags=["reports"], summary="Units the caller may query")
def units(request: HttpRequest) -> UnitsOut:
    """The unit keys the caller may pass as ``unit``, with their level and name, in the order of the
    report forms page (the first one is the default unit). Villages of a commune are reachable too
    (their keys are in the commune's ``/reports/summary`` rows)."""
    return UnitsOut(units=[_unit(scope) for scope in form_scopes(request.user)])


@api.get(
    "/reports/summary",
    response={200: SummaryOut, **NOT_FOUND},
    tags=["reports"],
    summary="Poor and near-poor households (Biểu 01)",
)
def report_summary(request: HttpRequest, year: int | None = None, unit: str | None = None) -> SummaryOut:
    """Households, poor, near-poor, middle-living households and rates of ``unit`` in ``year``: the total
    and one row per sub-unit (the rows of Biểu 01), with the subgroups — the figures of Biểu 01 and the
    dashboards."""
    scope, context = _context(request, unit, year)
    total = summary(context.frame).row(0, named=True)
    return SummaryOut(
        year=context.year,
        unit=_unit(scope),
        total=_row(None, scope.name, total),
        sub_units=_sub_units(context),
        unattributed=context.unattributed,
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
    percent (indicators nobody is deprived in are absent) — Biểu 02's "poor and near-poor" columns."""
    scope, context = _context(request, unit, year)
    table = deprivation_counts(context.frame)
    return DeprivationsOut(
        year=context.year,
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


@api.get(
    "/reports/causes",
    response={200: CausesOut, **NOT_FOUND},
    tags=["reports"],
    summary="Causes of poverty (Biểu 03)",
)
def report_causes(request: HttpRequest, year: int | None = None, unit: str | None = None) -> CausesOut:
    """Per cause of poverty of the review procedure (id and Vietnamese label, in the list's order):
    poor and near-poor households giving it and their shares; the households with no cause recorded;
    the unit's poor and near-poor households (the denominators) — the figures of Biểu 03."""
    scope, context = _context(request, unit, year)
    totals = summary(context.frame).row(0, named=True)
    poor, near_poor = _counts(totals["poor"]), _counts(totals["near_poor"])
    counts = {row["cause"]: row for row in cause_counts(context.frame).iter_rows(named=True)}
    listed = {cause for cause, _label in context.causes}
    causes = [*context.causes, *((c, c) for c in sorted(set(counts) - listed))]
    unknown = without_cause_counts(context.frame).row(0, named=True)
    return CausesOut(
        year=context.year,
        unit=_unit(scope),
        poor=poor,
        near_poor=near_poor,
        causes=[_cause(c, label, counts.get(c, {}), poor, near_poor) for c, label in causes],
        without_cause=_cause(None, _("Chưa ghi nhận nguyên nhân"), unknown, poor, near_poor),
    )


@api.get(
    "/reports/transitions",
    response={200: TransitionsOut, **NOT_FOUND},
    tags=["reports"],
    summary="Transitions of poor and near-poor households (Biểu 04)",
)
def report_transitions(
    request: HttpRequest, year: int | None = None, unit: str | None = None
) -> TransitionsOut:
    """Per sub-unit: poor (near-poor) households at the earlier approved round, those who left the list,
    those who joined it, and those of this round, so that each row adds up (see the row schema); the
    total of the compared sub-units; the earlier rounds' years; the sub-units with no earlier round —
    the figures of Biểu 04."""
    scope, context = _context(request, unit, year, transitions=True)
    per_unit = (
        by_unit(transition_summary(context.transitions, [context.by]), context.by)
        if context.transitions is not None
        else {}
    )
    values: dict[int | None, dict[str, int]] = {
        u.id: {c: _counts(per_unit.get(u.id, {}).get(c)) for c in TRANSITION_COLUMNS}
        for u in context.units
        if u.id not in context.not_compared
    }
    total = {c: sum(v[c] for v in values.values()) for c in TRANSITION_COLUMNS} if values else None
    return TransitionsOut(
        year=context.year,
        unit=_unit(scope),
        previous_years=list(context.previous_years),
        total=_transition_row(None, scope.name, total),
        sub_units=[_transition_row(u.key or None, u.name, values.get(u.id)) for u in context.units],
        not_compared=[
            UnitRefOut(key=u.key or None, name=u.name) for u in context.units if u.id in context.not_compared
        ],
    )


@api.get(
    "/reports/map",
    response={200: MapOut, **NOT_FOUND},
    tags=["reports"],
    summary="Poor or near-poor rate by province, or by commune of a province (the map)",
)
def report_map(
    request: HttpRequest,
    year: int | None = None,
    indicator: MapIndicator = "poor_rate",
    province: str | None = None,
) -> MapOut:
    """Without ``province``: one item per 2025 province the caller sees at least part of, by code; with
    ``province`` (a 2-digit code the caller sees): one item per commune of it the caller sees, by code.
    Each with households, poor, near-poor, both rates and ``value``, the chosen ``indicator`` — the
    figures of the map page (``/bao-cao/ban-do/``) for the same year."""
    viewer = request.user
    assert isinstance(viewer, User)  # authenticated by AUTH
    available = report_years(viewer=viewer)
    chosen = _year(viewer, year)
    if chosen not in available:
        raise HttpError(
            404,
            _("Năm {year} chưa có đợt rà soát định kỳ được phê duyệt trong địa bàn của bạn.").format(
                year=chosen
            ),
        )
    territory = territory_provinces(viewer)
    code = (province or "").strip()
    if code and code not in territory:
        raise HttpError(
            404, _("Không có tỉnh, thành phố mã {code} trong địa bàn của bạn.").format(code=code[:10])
        )
    frame = report_figures(viewer=viewer, year=chosen)
    if not code:
        provinces = figures_by(frame, "province_code")
        names = province_names(territory)
        items = [
            _map_item(f"{PROVINCE_PREFIX}{c}", c, names.get(c, c), provinces.get(c, Figures()), indicator)
            for c in territory
        ]
        return MapOut(year=chosen, indicator=indicator, province=None, items=items)
    unit = AdminUnit.objects.filter(generation=MAP_GENERATION, level=Level.PROVINCE, code=code).first()
    communes = communes_visible_to(viewer, province=unit) if unit is not None else AdminUnit.objects.none()
    by_commune = figures_by(frame.filter(frame["province_code"] == code), "commune_id")
    items = [
        _map_item(f"{COMMUNE_PREFIX}{c.code}", c.code, c.name, by_commune.get(c.pk, Figures()), indicator)
        for c in communes
    ]
    return MapOut(year=chosen, indicator=indicator, province=code, items=items)


def _policy_coverage(policy: Policy, row: dict[str, Any] | None) -> PolicyCoverageOut:
    values = row or {}
    return PolicyCoverageOut(
        code=policy.code,
        name=policy.name,
        beneficiary=policy.beneficiary,  # type: ignore[arg-type]
        coverage_basis=policy.coverage_basis,  # type: ignore[arg-type]
        eligible=_counts(values.get("eligible")),
        covered=_counts(values.get("covered")),
        share=values.get("share"),
        records=_counts(values.get("records")),
        ineligible_records=_counts(values.get("ineligible_records")),
    )


@api.get(
    "/reports/coverage",
    response={200: CoverageOut, **NOT_FOUND},
    tags=["reports"],
    summary="Coverage of the support policies and unmet needs (Biểu 05)",
)
def report_coverage(request: HttpRequest, year: int | None = None, unit: str | None = None) -> CoverageOut:
    """Per support policy that applies in ``unit``: the eligible households or people of the year's
    approved periodic round, those covered by a record of the policy in the calendar year and the share,
    the year's records and those given outside the rule — for the unit and each sub-unit (Biểu 05, the
    coverage page ``/ho-tro/do-bao-phu/``); and per support need, the households that stated it and those
    with no support answering it. Not for pre-2025 districts."""
    viewer = request.user
    scope = _scope(viewer, unit)
    chosen = _year(viewer, year, scope)
    found = coverage_unit(viewer=viewer, scope=scope, year=chosen)
    if found is None:
        raise HttpError(404, _("Độ bao phủ chỉ tính cho tỉnh, xã và thôn (không tính theo huyện cũ)."))
    if not found.rounds:
        raise HttpError(
            404,
            _("{unit} chưa có đợt rà soát định kỳ được phê duyệt năm {year}.").format(
                unit=scope.name, year=chosen
            ),
        )
    overview = unit_overview(found)  # coverage and gap counts from one read of the records
    result, gaps = overview.coverage, overview.gaps
    labels = {item.id: item.vi for item in procedure().support_needs.items}
    return CoverageOut(
        year=chosen,
        unit=_unit(scope),
        policies=[_policy_coverage(p, row) for p, row in result.total_rows()],
        sub_units=[
            CoverageRowOut(
                key=sub.key or None, name=sub.name, policies=[_policy_coverage(p, row) for p, row in cells]
            )
            for sub, cells in result.sub_unit_rows()
        ],
        households_with_needs=gaps.stated,
        households_with_unmet_needs=gaps.unmet,
        needs=[
            NeedGapOut(
                id=row["need"],
                label=labels.get(row["need"], row["need"]),
                households=row["households"],
                unmet=row["unmet"],
            )
            for row in gaps.summary.iter_rows(named=True)
        ],
    )
