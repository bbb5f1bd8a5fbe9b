"""Pages of a plan's funding (nguồn vốn): the lines by year, source and project with their totals and the
reconciliation box, and the form to add or change a line.

A plan the viewer may not see is a 404; the form and its POST need the right to edit the plan (else 403
with the reason). Amounts are typed and shown the Vietnamese way (``5.440.412``; ``1.234,5``), in
million VND.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from giamngheo.documents.formatting import number
from giamngheo.geo.models import AdminUnit
from giamngheo.planning.models import FundingLine, FundingSource, Plan
from giamngheo.planning.permissions import plan_edit_refusal
from giamngheo.planning.selectors import plan_units_visible_to
from giamngheo.planning.services import budget as services
from giamngheo.planning.tasks_views import editable_plan, planning_page, visible_plan
from giamngheo.site.forms import NameChoiceField, add_service_error
from giamngheo.site.pages import HtmxHttpRequest


class AmountField(forms.CharField):
    """An amount in million VND written the Vietnamese way (``5.440.412``, ``1.234,5``)."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        try:
            return services.parse_amount(text or "")
        except ValueError:
            raise ValidationError(
                _("“{value}” không phải số tiền (ví dụ 5.440.412 hoặc 1.234,5).").format(value=text)
            ) from None


def _plan_units(viewer: Any, plan: Plan) -> QuerySet[AdminUnit]:
    """The plan's unit and the units under it (two levels) that the viewer sees."""
    under = Q(pk=plan.unit_id) | Q(parent_id=plan.unit_id) | Q(parent__parent_id=plan.unit_id)
    return plan_units_visible_to(viewer).filter(under).order_by("level", "name")


class FundingForm(forms.Form):
    unit = NameChoiceField(label=gettext_lazy("Đơn vị"), queryset=AdminUnit.objects.none())
    year = forms.IntegerField(
        label=gettext_lazy("Năm"),
        required=False,
        help_text=gettext_lazy("Để trống nếu cho cả giai đoạn của kế hoạch."),
    )
    source = forms.ChoiceField(label=gettext_lazy("Nguồn vốn"), choices=FundingSource.choices)
    project = forms.CharField(
        label=gettext_lazy("Dự án"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"list": "programme-projects"}),
        help_text=gettext_lazy("Dự án thành phần của Chương trình mục tiêu quốc gia, hoặc tên dự án khác."),
    )
    label = forms.CharField(label=gettext_lazy("Nội dung"), required=False, max_length=500)
    planned = AmountField(label=gettext_lazy("Kế hoạch (triệu đồng)"))
    allocated = AmountField(label=gettext_lazy("Đã phân bổ (triệu đồng)"), required=False)
    disbursed = AmountField(label=gettext_lazy("Đã giải ngân (triệu đồng)"), required=False)

    def __init__(self, *args: Any, viewer: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, NameChoiceField)
        field.queryset = _plan_units(viewer, plan)
        field.empty_label = None


def _line_initial(line: FundingLine | None, plan: Plan) -> dict[str, Any]:
    if line is None:
        return {"unit": plan.unit, "source": FundingSource.CENTRAL}
    return {
        "unit": line.unit,
        "year": line.year,
        "source": line.source,
        "project": line.project,
        "label": line.label,
        "planned": services.amount_text(line.planned),
        "allocated": services.amount_text(line.allocated),
        "disbursed": services.amount_text(line.disbursed),
    }


@planning_page
@require_safe
def budget(request: HtmxHttpRequest, plan_pk: int) -> HttpResponse:
    """nguon-von/: the plan's funding lines by year × source × project; totals per source, year, unit and
    overall; disbursement rates; what does not reconcile, against the plan's own total
    (``Plan.funding_total``) or the total given in ``?tong=``."""
    plan = visible_plan(request, plan_pk)
    declared_text = request.GET.get("tong", "").strip()
    declared: Decimal | None = plan.funding_total
    declared_error = ""
    if declared_text:
        try:
            declared = services.parse_amount(declared_text)
        except ValueError:
            declared_error = _("“{value}” không phải số tiền.").format(value=declared_text)
    lines = (
        FundingLine.objects.filter(plan=plan)
        .select_related("unit")
        .order_by("year", "source", "project", "pk")
    )
    summary = services.funding_summary(lines, declared)
    flagged = {issue.line.pk for issue in summary.issues if issue.line is not None}
    context = {
        "plan": plan,
        "summary": summary,
        "rows": [_line_row(line, line.pk in flagged) for line in summary.lines],
        "by_source": [_totals_row(str(FundingSource(s).label), t) for s, t in summary.by_source],
        "breakdowns": [
            (
                _("Theo năm"),
                _("Năm"),
                [_totals_row(str(y) if y else _("Cả giai đoạn"), t) for y, t in summary.by_year],
            ),
            (_("Theo đơn vị"), _("Đơn vị"), [_totals_row(u.name, t) for u, t in summary.by_unit]),
            (
                _("Theo dự án"),
                _("Dự án"),
                [_totals_row(p or _("(Không ghi dự án)"), t) for p, t in summary.by_project],
            ),
        ],
        "total": _totals_row(_("Tổng cộng"), summary.total),
        "declared_text": declared_text or services.amount_text(plan.funding_total),
        "declared_from_plan": not declared_text and plan.funding_total is not None,
        "declared": services.amount_text(declared),
        "declared_error": declared_error,
        "can_edit": plan_edit_refusal(request.user, plan.unit) is None,
    }
    return render(request, "planning/budget/index.html", context)


def _rate_text(value: Decimal | None) -> str:
    return "" if value is None else number(value, 2)


def _line_row(line: FundingLine, flagged: bool) -> dict[str, Any]:
    totals = services.Totals()
    totals.add(line)
    return {
        "line": line,
        "year": str(line.year) if line.year else _("Cả giai đoạn"),
        "source": line.get_source_display(),
        "planned": services.amount_text(line.planned),
        "allocated": services.amount_text(line.allocated),
        "disbursed": services.amount_text(line.disbursed),
        "rate": _rate_text(totals.rate),
        "flagged": flagged,
    }


def _totals_row(label: str, totals: services.Totals) -> dict[str, Any]:
    return {
        "label": label,
        "planned": services.amount_text(totals.planned),
        "allocated": services.amount_text(totals.allocated),
        "disbursed": services.amount_text(totals.disbursed),
        "rate": _rate_text(totals.rate),
        "lines": totals.lines,
    }


def _funding_form_page(request: HtmxHttpRequest, plan: Plan, line: FundingLine | None) -> HttpResponse:
    form = FundingForm(
        request.POST or None, viewer=request.user, plan=plan, initial=_line_initial(line, plan)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.funding_save(
                plan=plan,
                actor=request.user,
                line=line,
                unit=data["unit"],
                year=data["year"],
                source=data["source"],
                project=data["project"],
                label=data["label"],
                planned=data["planned"],
                allocated=data["allocated"],
                disbursed=data["disbursed"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Đã lưu nguồn vốn."))
            return redirect("planning:budget", plan_pk=plan.pk)
    context = {
        "plan": plan,
        "line": line,
        "form": form,
        "title": _("Sửa nguồn vốn") if line is not None else _("Thêm nguồn vốn"),
        "projects": services.PROGRAMME_PROJECTS,
    }
    return render(request, "planning/budget/form.html", context, status=400 if form.errors else 200)


@planning_page
@require_http_methods(["GET", "HEAD", "POST"])
def funding_add(request: HtmxHttpRequest, plan_pk: int) -> HttpResponse:
    return _funding_form_page(request, editable_plan(request, plan_pk), None)


@planning_page
@require_http_methods(["GET", "HEAD", "POST"])
def funding_edit(request: HtmxHttpRequest, plan_pk: int, pk: int) -> HttpResponse:
    plan = editable_plan(request, plan_pk)
    line = get_object_or_404(FundingLine.objects.filter(plan=plan), pk=pk)
    return _funding_form_page(request, plan, line)
