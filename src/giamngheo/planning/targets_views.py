"""Pages of a plan's targets (chỉ tiêu): the table with progress and consistency warnings, the forms to add,
edit, delete and split (phân bổ) a target.

Views parse the request, call one service or read (``planning.services.targets``) and render. A plan the
viewer may not see (``plans_visible_to``) is a 404; a viewer who may not edit it
(``planning.permissions.plan_edit_refusal``: leaders, agency viewers, other territories) sees no buttons,
and any form or POST gets a 403 with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from giamngheo.accounts.models import User
from giamngheo.geo.models import AdminUnit
from giamngheo.planning import progress as calc
from giamngheo.planning.models import Plan, Target, TargetKind
from giamngheo.planning.permissions import plan_edit_refusal
from giamngheo.planning.selectors import plans_visible_to
from giamngheo.planning.services import targets as services
from giamngheo.site.forms import add_service_error
from giamngheo.site.standards.presentation import number

# --- helpers --------------------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


def _plan(request: HttpRequest, plan_pk: int) -> Plan:
    plan = plans_visible_to(_user(request)).select_related("unit").filter(pk=plan_pk).first()
    if plan is None:
        raise Http404(_("Không có kế hoạch này trong địa bàn của bạn."))
    return plan


def _editable_plan(request: HttpRequest, plan_pk: int) -> Plan:
    plan = _plan(request, plan_pk)
    refusal = plan_edit_refusal(_user(request), plan.unit)
    if refusal is not None:
        raise PermissionDenied(refusal)
    return plan


def _target(plan: Plan, pk: int) -> Target:
    return get_object_or_404(Target.objects.select_related("unit", "plan__unit"), plan=plan, pk=pk)


def _optional_url(name: str, *args: Any) -> str:
    """The URL of ``name`` if that page exists (the plan pages are another part of the app)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _plan_links(plan: Plan) -> dict[str, str]:
    return {
        "plans_url": _optional_url("planning:plans"),
        "plan_url": _optional_url("planning:plan_detail", plan.pk),
        "targets_url": reverse("planning:targets", args=[plan.pk]),
    }


def year_text(year: int | None) -> str:
    return str(year) if year is not None else _("Cả thời kỳ (mỗi năm)")


# --- the table ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowView:
    """A row of the targets table, ready to display."""

    pk: int
    depth: int
    year: str
    unit: str
    label: str
    value: str
    baseline: str
    actual: str
    projection: str
    end_rate_projection: str
    status: str
    status_label: str
    status_css: str
    share_method: str
    edit_url: str = ""
    delete_url: str = ""
    cascade_url: str = ""

    @property
    def off_track(self) -> bool:
        return self.status == calc.OFF_TRACK


def _baseline_text(target: Target, p: calc.Progress) -> str:
    if p.baseline is None or p.baseline_year is None:
        return "–"
    measure = calc.REDUCTIONS.get(target.kind) or calc.LEVELS.get(target.kind, "")
    shown = (
        _("{value} hộ nghèo").format(value=number(p.baseline))
        if measure == "poor"
        else _("{value} %").format(value=number(p.baseline, 2))
    )
    return _("{value} (năm {year})").format(value=shown, year=p.baseline_year)


def _actual_text(target: Target, p: calc.Progress) -> str:
    if p.actual is None:
        return "–"
    text = services.measure_text(target.kind, p.actual)
    if target.year is None and target.kind in calc.REDUCTIONS and p.baseline_year is not None:
        return _("{value}/năm ({start}–{end})").format(value=text, start=p.baseline_year, end=p.year)
    if p.year is not None and not p.final:
        return _("{value} (năm {year})").format(value=text, year=p.year)
    return text


def _projection_text(target: Target, p: calc.Progress) -> str:
    if p.projection_note == calc.NOT_ENOUGH_YEARS and target.kind in (*calc.REDUCTIONS, *calc.LEVELS):
        return _("Chưa đủ số năm để dự báo")
    if p.projection is None:
        return "–"
    text = services.measure_text(target.kind, p.projection)
    if target.kind in calc.REDUCTIONS:
        return _("{value}/năm theo xu hướng").format(value=text)
    return _("{value} vào năm {year}").format(value=text, year=p.projection_year)


def _row(plan: Plan, row: services.TargetRow, can_edit: bool) -> RowView:
    target, p = row.target, row.progress
    urls: dict[str, str] = {}
    if can_edit:
        urls = {
            "edit_url": reverse("planning:target_edit", args=[plan.pk, target.pk]),
            "delete_url": reverse("planning:target_delete", args=[plan.pk, target.pk]),
        }
        if row.can_cascade:
            urls["cascade_url"] = reverse("planning:targets_cascade", args=[plan.pk, target.pk])
    method = dict(services.ShareMethod.CHOICES).get(target.share_method, "") if row.depth else ""
    return RowView(
        pk=target.pk,
        depth=row.depth,
        year=year_text(target.year),
        unit=target.unit.name,
        label=services.target_label(target),
        value=services.value_text(target),
        baseline=_baseline_text(target, p),
        actual=_actual_text(target, p),
        projection=_projection_text(target, p),
        end_rate_projection=(
            _("{value} %").format(value=number(p.end_rate_projection, 2))
            if p.end_rate_projection is not None
            else "–"
        ),
        status=p.status,
        status_label=str(services.STATUS_LABELS[p.status]),
        status_css=services.STATUS_CSS[p.status],
        share_method=str(method),
        **urls,
    )


def disagreement_text(d: calc.Disagreement, units: dict[int, AdminUnit], targets: dict[int, Target]) -> str:
    """One consistency problem in words, with its numbers."""
    unit = units[d.unit_id].name if d.unit_id in units else str(d.unit_id)
    where = _("{unit}, {year}").format(
        unit=unit, year=_("năm {year}").format(year=d.year) if d.year else _("cả thời kỳ")
    )
    difference = number(abs(d.difference), 0 if d.code == "children_sum" else 1)
    more = d.difference > 0
    if d.code == "children_sum":
        text = (
            _("các đơn vị cấp dưới cộng lại {found} hộ, nhiều hơn chỉ tiêu {expected} hộ {difference} hộ.")
            if more
            else _("các đơn vị cấp dưới cộng lại {found} hộ, ít hơn chỉ tiêu {expected} hộ {difference} hộ.")
        )
        return f"{where}: " + text.format(
            found=number(d.found), expected=number(d.expected), difference=difference
        )
    if d.code == "children_points":
        return f"{where}: " + _(
            "phân bổ điểm % cho các đơn vị cấp dưới tương ứng {found} hộ, còn chỉ tiêu tương ứng {expected} "
            "hộ trên {base} hộ: lệch {difference} hộ (cho phép {tolerance} hộ)."
        ).format(
            found=number(d.found, 1),
            expected=number(d.expected, 1),
            base=number(d.base or 0),
            difference=difference,
            tolerance=number(d.tolerance, 1),
        )
    rate = targets.get(d.other_ids[0]) if d.other_ids else None
    points = number(float(rate.value), 2) if rate is not None else "?"
    return f"{where}: " + _(
        "giảm {points} điểm % trên {base} hộ là khoảng {expected} hộ, nhưng chỉ tiêu số hộ thoát nghèo là "
        "{found} hộ: lệch {difference} hộ (cho phép {tolerance} hộ)."
    ).format(
        points=points,
        base=number(d.base or 0),
        expected=number(d.expected, 1),
        found=number(d.found),
        difference=difference,
        tolerance=number(d.tolerance, 1),
    )


@login_required
@require_GET
def targets(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """/ke-hoach/<plan>/chi-tieu/: the plan's targets by year and unit with their progress."""
    user = _user(request)
    plan = _plan(request, plan_pk)
    table = services.plan_targets(viewer=user, plan=plan)
    can_edit = plan_edit_refusal(user, plan.unit) is None
    by_id = {row.target.pk: row.target for row in table.rows}
    rows = [_row(plan, row, can_edit) for row in table.rows]
    return render(
        request,
        "planning/targets/list.html",
        {
            "plan": plan,
            "rows": rows,
            "warnings": [disagreement_text(d, table.units, by_id) for d in table.disagreements],
            "warning_targets": {d.target_id for d in table.disagreements},
            "off_track": [r for r in rows if r.off_track],
            "years": table.years,
            "can_edit": can_edit,
            "add_url": reverse("planning:target_add", args=[plan.pk]) if can_edit else "",
            "tolerance_percent": number(100 * calc.RATE_COUNT_TOLERANCE, 1),
            **_plan_links(plan),
        },
    )


# --- forms ------------------------------------------------------------------------------------------


class TargetForm(forms.Form):
    """A target: unit (the plan's unit or a sub-unit), year of the plan's period, kind, value."""

    unit = forms.TypedChoiceField(label=gettext_lazy("Đơn vị"), coerce=int)
    year = forms.TypedChoiceField(
        label=gettext_lazy("Năm"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=gettext_lazy("Để trống nếu chỉ tiêu áp dụng cho mỗi năm của kế hoạch."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Loại chỉ tiêu"), choices=TargetKind.choices)
    value = forms.CharField(
        label=gettext_lazy("Giá trị"),
        max_length=20,
        help_text=gettext_lazy("Điểm % với chỉ tiêu giảm tỷ lệ, số hộ với chỉ tiêu số hộ, % với tỷ lệ."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 12}),
    )
    value_max = forms.CharField(
        label=gettext_lazy("Giá trị tối đa (nếu là khoảng)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 12}),
    )
    subject = forms.CharField(
        label=gettext_lazy("Đối tượng bao phủ"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Với chỉ tiêu bao phủ, ví dụ: hộ nghèo có thẻ bảo hiểm y tế."),
    )
    text = forms.CharField(
        label=gettext_lazy("Nội dung (theo văn bản)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in services.target_units(plan)}
        self.fields["unit"].choices = [(u.pk, u.name) for u in self.units.values()]  # type: ignore[attr-defined]
        years = range(plan.period_start.year, plan.period_end.year + 1)
        self.fields["year"].choices = [("", year_text(None)), *((y, str(y)) for y in years)]  # type: ignore[attr-defined]


def _initial(target: Target) -> dict[str, Any]:
    def plain(value: Any) -> str:
        if value is None:
            return ""
        text = format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
        return text.replace(".", ",")

    return {
        "unit": target.unit_id,
        "year": target.year or "",
        "kind": target.kind,
        "value": plain(target.value),
        "value_max": plain(target.value_max),
        "subject": target.subject,
        "text": target.text,
    }


def _save_form(request: HttpRequest, plan: Plan, target: Target | None) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        form = TargetForm(request.POST, plan=plan)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.target_save(
                    plan=plan,
                    actor=user,
                    unit=form.units[data["unit"]],
                    year=data["year"],
                    kind=data["kind"],
                    value=data["value"],
                    value_max=data["value_max"] or None,
                    subject=data["subject"],
                    text=data["text"],
                    target=target,
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Đã lưu chỉ tiêu."))
                return redirect("planning:targets", plan_pk=plan.pk)
    else:
        form = TargetForm(initial=_initial(target) if target else None, plan=plan)
    title = _("Sửa chỉ tiêu") if target else _("Thêm chỉ tiêu")
    return render(
        request,
        "planning/targets/form.html",
        {"plan": plan, "form": form, "title": title, "target": target, **_plan_links(plan)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_add(request: HttpRequest, plan_pk: int) -> HttpResponse:
    return _save_form(request, _editable_plan(request, plan_pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, plan_pk: int, pk: int) -> HttpResponse:
    plan = _editable_plan(request, plan_pk)
    return _save_form(request, plan, _target(plan, pk))


@login_required
@require_http_methods(["GET", "POST"])
def target_delete(request: HttpRequest, plan_pk: int, pk: int) -> HttpResponse:
    plan = _editable_plan(request, plan_pk)
    target = _target(plan, pk)
    if request.method == "POST":
        services.target_delete(target=target, actor=_user(request))
        messages.success(request, _("Đã xoá chỉ tiêu."))
        return redirect("planning:targets", plan_pk=plan.pk)
    return render(
        request,
        "planning/targets/delete.html",
        {
            "plan": plan,
            "target": target,
            "label": services.target_label(target),
            "value": services.value_text(target),
            "year": year_text(target.year),
            "children": target.children.count(),
            **_plan_links(plan),
        },
    )


class CascadeForm(forms.Form):
    """How to split a target: proportionally, or by hand with one value per sub-unit."""

    method = forms.ChoiceField(
        label=gettext_lazy("Cách phân bổ"),
        choices=services.ShareMethod.CHOICES,
        widget=forms.RadioSelect,
        initial=services.ShareMethod.PROPORTIONAL,
    )

    def __init__(self, *args: Any, target: Target, proposal: services.CascadeProposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.share_names: dict[int, str] = {}
        for unit in proposal.units:
            name = f"share_{unit.pk}"
            self.share_names[unit.pk] = name
            value = proposal.values.get(unit.pk)
            self.fields[name] = forms.CharField(
                label=unit.name,
                required=False,
                initial="" if value is None else services.amount_text(target.kind, value),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 10}),
            )

    def shares(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(name) or "" for pk, name in self.share_names.items()}


@login_required
@require_http_methods(["GET", "POST"])
def targets_cascade(request: HttpRequest, plan_pk: int, pk: int) -> HttpResponse:
    """/ke-hoach/<plan>/chi-tieu/<target>/phan-bo/: split a target over the plan unit's sub-units."""
    user = _user(request)
    plan = _editable_plan(request, plan_pk)
    target = _target(plan, pk)
    refusal = services.cascade_refusal(target)
    if refusal is not None:
        raise PermissionDenied(refusal)
    proposal = services.cascade_proposal(viewer=user, target=target)
    if request.method == "POST":
        form = CascadeForm(request.POST, target=target, proposal=proposal)
        if form.is_valid():
            try:
                children = services.targets_cascade(
                    parent_target=target,
                    actor=user,
                    method=form.cleaned_data["method"],
                    shares=form.shares(),
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("Đã phân bổ chỉ tiêu cho {count} đơn vị cấp dưới.").format(count=len(children)),
                )
                return redirect("planning:targets", plan_pk=plan.pk)
    else:
        form = CascadeForm(target=target, proposal=proposal)
    return render(
        request,
        "planning/targets/cascade.html",
        {
            "plan": plan,
            "target": target,
            "form": form,
            "proposal": proposal,
            "label": services.target_label(target),
            "value": services.value_text(target),
            "year": year_text(target.year),
            "share_rows": [
                (
                    form[form.share_names[unit.pk]],
                    number(proposal.poor[unit.pk]) if unit.pk in proposal.poor else "–",
                )
                for unit in proposal.units
            ],
            "unit_measure": _("hộ") if target.kind in calc.COUNT_KINDS else _("điểm %"),
            **_plan_links(plan),
        },
    )


__all__ = [
    "CascadeForm",
    "TargetForm",
    "disagreement_text",
    "target_add",
    "target_delete",
    "target_edit",
    "targets",
    "targets_cascade",
]
