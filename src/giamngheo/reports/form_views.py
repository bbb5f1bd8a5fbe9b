"""Pages of the standard report forms (biểu mẫu báo cáo, ``/bao-cao/``): choose a form, a unit and a year,
see the table, download it as Excel, PDF or CSV.

Every page needs a signed-in user. Units come from ``reports.forms.data`` (scoped through
``accounts.selectors``): a unit outside the viewer's territory, or a year without an approved round the
viewer may see, is a 404. The forms carry counts and rates only, no personal data, so every role that
sees a unit — leaders included — may download its forms. The downloads are built in the request: the
four forms of a 1.5-million-household province take a few seconds (``benchmarks/reports.py``), so a
province's form page also offers each format as a background job (``reports.job_kinds``, "Lập trong
nền"), which keeps going when the page is closed.
"""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from giamngheo.accounts.models import User
from giamngheo.documents.report_pdf import Cell, TableForm, column_groups
from giamngheo.reports.forms.data import Scope, district_year_refusal, form_context, form_scopes, scope_for
from giamngheo.reports.forms.registry import FORMS, FormSpec
from giamngheo.reports.forms.render import FORMATS
from giamngheo.reports.forms.render import render as render_form
from giamngheo.reports.job_kinds import REPORT_FORM, form_job_params
from giamngheo.reports.selectors import report_years

FORMAT_LABELS = {
    "xlsx": gettext_lazy("Excel (.xlsx)"),
    "pdf": gettext_lazy("PDF"),
    "csv": gettext_lazy("CSV"),
}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class ChooseForm(forms.Form):
    """Which form, unit and year (GET parameters ``bieu``, ``don_vi``, ``nam``)."""

    bieu = forms.ChoiceField(
        label=gettext_lazy("Biểu mẫu"),
        error_messages={
            "required": gettext_lazy("Hãy chọn biểu mẫu."),
            "invalid_choice": gettext_lazy("Không có biểu mẫu này."),
        },
    )
    don_vi = forms.ChoiceField(
        label=gettext_lazy("Đơn vị"),
        error_messages={
            "required": gettext_lazy("Hãy chọn đơn vị."),
            "invalid_choice": gettext_lazy("Đơn vị này không thuộc địa bàn của bạn."),
        },
    )
    nam = forms.TypedChoiceField(
        label=gettext_lazy("Năm"),
        coerce=int,
        error_messages={
            "required": gettext_lazy("Hãy chọn năm."),
            "invalid_choice": gettext_lazy("Năm này chưa có đợt rà soát định kỳ được phê duyệt."),
        },
    )

    def __init__(self, *args: Any, scopes: list[Scope], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["bieu"].choices = [(code, spec.name) for code, spec in FORMS.items()]
        fields["don_vi"].choices = [(s.key, s.name) for s in scopes]
        fields["nam"].choices = [(y, str(y)) for y in years]
        self._scopes = {s.key: s for s in scopes}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scope = self._scopes.get(data.get("don_vi", ""))
        if scope is not None and data.get("nam") is not None:
            refusal = district_year_refusal(scope, int(data["nam"]))
            if refusal is not None:
                self.add_error("nam", refusal)
        return data


def _form_url(code: str, unit: str, year: int) -> str:
    return reverse("reports:form", kwargs={"code": code, "unit": unit, "year": year})


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Biểu mẫu báo cáo: the list of forms and the chooser; a complete choice opens the form."""
    user = _user(request)
    scopes = form_scopes(user)
    years = report_years(viewer=user)
    chosen = {k: request.GET[k] for k in ("bieu", "don_vi", "nam") if request.GET.get(k)}
    if chosen:
        chooser = ChooseForm(request.GET, scopes=scopes, years=years)
        if chooser.is_valid():
            data = chooser.cleaned_data
            return redirect(_form_url(data["bieu"], data["don_vi"], data["nam"]))
    else:
        initial = {"nam": years[0]} if years else {}
        chooser = ChooseForm(initial=initial, scopes=scopes, years=years)
    context = {"chooser": chooser, "forms": list(FORMS.values()), "years": years, "scopes": scopes}
    return render(request, "reports/index.html", context)


def _spec(code: str) -> FormSpec:
    spec = FORMS.get(code)
    if spec is None:
        raise Http404(_("Không có biểu mẫu này."))
    return spec


def _scope_and_year(request: HttpRequest, unit: str, year: int) -> Scope:
    user = _user(request)
    scope = scope_for(user, unit)
    if scope is None:
        raise Http404(_("Đơn vị này không thuộc địa bàn của bạn."))
    if year not in report_years(viewer=user):
        raise Http404(_("Năm này chưa có đợt rà soát định kỳ được phê duyệt."))
    refusal = district_year_refusal(scope, year)
    if refusal is not None:
        raise Http404(refusal)
    return scope


def _built(
    request: HttpRequest, code: str, unit: str, year: int
) -> tuple[FormSpec, Scope, TableForm, list[str]]:
    """The form, and for per-unit forms the link of each row to the same form of that sub-unit."""
    spec = _spec(code)
    scope = _scope_and_year(request, unit, year)
    context = form_context(
        viewer=_user(request),
        scope=scope,
        year=year,
        day=timezone.localdate(),
        transitions=spec.needs_transitions,
    )
    links = [_form_url(code, u.key, year) if u.key else "" for u in context.units] if spec.per_unit else []
    return spec, scope, spec.build(context), links


def _display(value: Cell, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if kind == "percent":
        return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return formats.number_format(int(value), use_l10n=True, force_grouping=True)


def _table(form: TableForm, links: list[str]) -> dict[str, Any]:
    """The table as the template shows it: two header rows, then rows of cells (text, number?, link)."""
    top = [
        {"text": g or form.columns[first].label, "colspan": last - first + 1, "rowspan": 1 if g else 2}
        for g, first, last in column_groups(form.columns)
    ]
    second = [c.label for c in form.columns if c.group]

    def cells(values: tuple[Cell, ...], link: str = "") -> list[dict[str, Any]]:
        return [
            {
                "text": _display(value, column.kind),
                "num": column.kind != "text",
                "link": link if index == 1 else "",
            }
            for index, (value, column) in enumerate(zip(values, form.columns, strict=True))
        ]

    rows = [cells(r, links[i] if i < len(links) else "") for i, r in enumerate(form.rows)]
    return {
        "top": top,
        "second": second,
        "rows": rows,
        "total": cells(form.total) if form.total is not None else None,
    }


@login_required
@require_GET
def form_preview(request: HttpRequest, code: str, unit: str, year: int) -> HttpResponse:
    """One form of one unit and year, as a table, with its downloads."""
    spec, scope, form, links = _built(request, code, unit, year)
    user = _user(request)
    chooser = ChooseForm(
        initial={"bieu": code, "don_vi": scope.key, "nam": year},
        scopes=_with(form_scopes(user), scope),
        years=report_years(viewer=user),
    )
    kwargs: dict[str, Any] = {"code": code, "unit": unit, "year": year}
    downloads = [
        (
            label,
            reverse("reports:form_download", kwargs={**kwargs, "fmt": ext}),
        )
        for ext, label in FORMAT_LABELS.items()
    ]
    background = (
        [
            (_("Lập trong nền: {format}").format(format=label), form_job_params(**kwargs, fmt=ext))
            for ext, label in FORMAT_LABELS.items()
        ]
        if scope.level == "province"
        else []
    )
    context = {
        "spec": spec,
        "scope": scope,
        "year": year,
        "form": form,
        "table": _table(form, links),
        "downloads": downloads,
        "background": background,
        "job_kind": REPORT_FORM,
        "chooser": chooser,
    }
    return render(request, "reports/form.html", context)


def _with(scopes: list[Scope], scope: Scope) -> list[Scope]:
    """The chooser's units, with the shown unit (a village reached from its commune) among them."""
    return scopes if any(s.key == scope.key for s in scopes) else [*scopes, scope]


@login_required
@require_GET
def form_download(request: HttpRequest, code: str, unit: str, year: int, fmt: str) -> FileResponse:
    """The form as ``xlsx``, ``pdf`` or ``csv``."""
    if fmt not in FORMATS:
        raise Http404(_("Không có định dạng này."))
    form = _built(request, code, unit, year)[2]
    content_type = FORMATS[fmt][0]
    return FileResponse(
        io.BytesIO(render_form(form, fmt)),
        as_attachment=True,
        filename=f"{form.subject}.{fmt}",
        content_type=content_type,
    )
