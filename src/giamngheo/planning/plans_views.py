"""Pages of the plans (kế hoạch): the list, create, detail (with the chain of plans and the source text),
edit, and the import of a plan document (upload or paste → draft → confirm → result).

Views parse the request, call one service or read and render. A plan the viewer may not see
(``plans_visible_to``) is a 404; a viewer who may not edit it gets no buttons and a 403 with the reason
on the forms. The import keeps its draft in the session (a plan text is at most 2 MB) under a random
token, at most :data:`MAX_DRAFTS` drafts per session.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.forms import BaseFormSet, BoundField, Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from giamngheo.accounts.models import User
from giamngheo.geo.models import AdminUnit
from giamngheo.planning import forms as pf
from giamngheo.planning.models import Agency, Plan
from giamngheo.planning.parsing.text import clean_line, nfc
from giamngheo.planning.permissions import plan_edit_refusal
from giamngheo.planning.selectors import plan_units_visible_to, plans_visible_to
from giamngheo.planning.services import importing
from giamngheo.planning.services import plans as services
from giamngheo.site.forms import add_service_error
from giamngheo.site.lists import paginated

MAX_DRAFTS: Final = 3
DRAFTS_KEY: Final = "planning_import_drafts"
RESULTS_KEY: Final = "planning_import_results"
QUOTE_CHARS: Final = 240

# --- helpers ------------------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


def _plan(request: HttpRequest, pk: int) -> Plan:
    plan = (
        plans_visible_to(_user(request))
        .select_related("unit", "unit__parent", "unit__parent__parent", "parent", "parent__unit")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404(_("Không có kế hoạch này trong địa bàn của bạn."))
    return plan


def _editable_units(user: User) -> list[AdminUnit]:
    """The units the user may make plans for; a 403 with the reason when there is none."""
    units = list(
        services.plan_units_editable_by(user)
        .select_related("parent", "parent__parent")
        .order_by("generation", "-level", "name", "code")
    )
    if not units:
        seen = plan_units_visible_to(user).first()
        reason = plan_edit_refusal(user, seen) if seen is not None else None
        raise PermissionDenied(reason or _("Bạn chưa được giao địa bàn nào để lập kế hoạch."))
    return units


def _parent_choices(user: User, exclude: Plan | None = None) -> list[Plan]:
    plans = plans_visible_to(user).select_related("unit").order_by("-period_start", "title")
    if exclude is not None:
        plans = plans.exclude(pk=exclude.pk)
    return list(plans)


def source_lines(text: str) -> list[tuple[int, str]]:
    """The source text as numbered lines, numbered as the parser numbers them."""
    return list(enumerate(nfc(text).splitlines(), start=1))


def _header_values(form: pf.PlanHeaderForm) -> dict[str, Any]:
    data = form.cleaned_data
    parent = None
    if data.get("parent"):
        parent = Plan.objects.select_related("unit").filter(pk=data["parent"]).first()  # a visible choice
    return {
        "title": data["title"],
        "number": data.get("number") or "",
        "issuer": data.get("issuer") or "",
        "issued_on": data.get("issued_on"),
        "legal_basis": data.get("legal_basis") or "",
        "period_start": data["period_start"],
        "period_end": data["period_end"],
        "parent": parent,
        "parent_reference": data.get("parent_reference") or "",
        "status": data["status"],
        "funding_total": importing.parse_total(data.get("funding_total") or ""),
    }


# --- list, create, detail, edit -----------------------------------------------------------------------


@login_required
@require_GET
def plans(request: HttpRequest) -> HttpResponse:
    """/ke-hoach/: the plans the viewer sees, with filters by unit, status and year."""
    user = _user(request)
    units = services.plan_list_units(user)
    form = pf.PlanFilterForm(request.GET or None, units=units)
    unit = status = year = None
    if form.is_bound and form.is_valid():
        key = form.cleaned_data.get("don_vi") or ""
        unit = next((u for u in units if services.unit_key(u) == key), None)
        status = form.cleaned_data.get("trang_thai") or ""
        year = form.cleaned_data.get("nam")
    listing = paginated(request, services.plan_list(viewer=user, unit=unit, status=status or "", year=year))
    can_create = services.plan_units_editable_by(user).exists()
    return render(
        request,
        "planning/plans/list.html",
        {
            "form": form,
            **listing,
            "rows": [
                (plan, services.unit_label(plan.unit), services.period_text(plan)) for plan in listing["page"]
            ],
            "can_create": can_create,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    """/ke-hoach/moi/: a new plan, typed in."""
    user = _user(request)
    units = _editable_units(user)
    parents = _parent_choices(user)
    if request.method == "POST":
        form = pf.PlanForm(request.POST, units=units, parents=parents)
        if form.is_valid():
            unit = next(u for u in units if services.unit_key(u) == form.cleaned_data["unit"])
            try:
                plan = services.plan_create(unit=unit, actor=user, **_header_values(form))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Đã tạo kế hoạch."))
                return redirect("planning:plan_detail", pk=plan.pk)
    else:
        initial = {"status": "active"}
        wanted = request.GET.get("don_vi")
        if wanted:
            initial["unit"] = wanted
        form = pf.PlanForm(initial=initial, units=units, parents=parents)
    return render(request, "planning/plans/form.html", {"form": form, "title": _("Lập kế hoạch mới")})


@dataclass(frozen=True)
class SummaryLink:
    """One of the plan's parts with its count and the page it is on (``url_name`` built by others)."""

    label: str
    count: int
    url_name: str


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """/ke-hoach/<pk>/: the plan's header, the chain of plans, its parts and its source text."""
    user = _user(request)
    plan = _plan(request, pk)
    counts = services.plan_counts(plan)
    can_edit = plan_edit_refusal(user, plan.unit) is None
    return render(
        request,
        "planning/plans/detail.html",
        {
            "plan": plan,
            "unit_label": services.unit_label(plan.unit),
            "period": services.period_text(plan),
            "chain": services.plan_chain(viewer=user, plan=plan),
            "counts": counts,
            "parts": [
                SummaryLink(_("Chỉ tiêu"), counts.targets, "planning:targets"),
                SummaryLink(_("Nhiệm vụ"), counts.tasks, "planning:tasks"),
                SummaryLink(_("Nguồn vốn"), counts.funding, "planning:budget"),
            ],
            "funding_planned": services.amount_text(counts.funding_planned),
            "funding_total": services.amount_text(plan.funding_total)
            if plan.funding_total is not None
            else "",
            "funding_warning": services.funding_total_warning(plan, counts),
            "deadlines": list(plan.deadlines.order_by("pk")),
            "basis_lines": [line for line in plan.legal_basis.splitlines() if line.strip()],
            "lines": source_lines(plan.source_text),
            "can_edit": can_edit,
            "agencies_url": f"{reverse('planning:agencies')}?don_vi={services.unit_key(plan.unit)}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """/ke-hoach/<pk>/sua/: change the plan's header."""
    user = _user(request)
    plan = _plan(request, pk)
    refusal = plan_edit_refusal(user, plan.unit)
    if refusal is not None:
        raise PermissionDenied(refusal)
    parents = _parent_choices(user, exclude=plan)
    if request.method == "POST":
        form = pf.PlanHeaderForm(request.POST, parents=parents)
        if form.is_valid():
            try:
                services.plan_update(plan=plan, actor=user, **_header_values(form))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Đã lưu kế hoạch."))
                return redirect("planning:plan_detail", pk=plan.pk)
    else:
        form = pf.PlanHeaderForm(initial=pf.header_initial(plan), parents=parents)
    return render(
        request,
        "planning/plans/form.html",
        {
            "form": form,
            "title": _("Sửa kế hoạch"),
            "plan": plan,
            "unit_label": services.unit_label(plan.unit),
        },
    )


# --- import -------------------------------------------------------------------------------------------


def _drafts(request: HttpRequest) -> dict[str, Any]:
    drafts = request.session.get(DRAFTS_KEY)
    return drafts if isinstance(drafts, dict) else {}


def _store_draft(request: HttpRequest, draft: importing.ImportDraft) -> str:
    drafts = _drafts(request)
    while len(drafts) >= MAX_DRAFTS:
        drafts.pop(next(iter(drafts)))
    token = secrets.token_urlsafe(12)
    drafts[token] = draft.as_json()
    request.session[DRAFTS_KEY] = drafts
    return token


def _load_draft(request: HttpRequest, token: str) -> importing.ImportDraft:
    data = _drafts(request).get(token)
    if data is None:
        raise Http404(_("Bản nháp này không còn (đã lưu hoặc đã hết phiên làm việc). Hãy nhập lại văn bản."))
    return importing.ImportDraft.from_json(data)


def _drop_draft(request: HttpRequest, token: str) -> None:
    drafts = _drafts(request)
    drafts.pop(token, None)
    request.session[DRAFTS_KEY] = drafts


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest) -> HttpResponse:
    """/ke-hoach/nhap/: choose the unit, paste or upload the plan, optionally its parent plan."""
    user = _user(request)
    units = _editable_units(user)
    parents = _parent_choices(user)
    if request.method == "POST":
        form = pf.ImportForm(request.POST, request.FILES, units=units, parents=parents)
        if form.is_valid():
            unit = next(u for u in units if services.unit_key(u) == form.cleaned_data["unit"])
            parent_pk = form.cleaned_data.get("parent")
            parent = next((p for p in parents if p.pk == parent_pk), None)
            draft = importing.draft_from_text(
                unit=unit, text=form.document_text, source_name=form.document_name, parent=parent
            )
            token = _store_draft(request, draft)
            return redirect("planning:plan_import_draft", token=token)
    else:
        initial = {"unit": request.GET["don_vi"]} if request.GET.get("don_vi") else None
        form = pf.ImportForm(initial=initial, units=units, parents=parents)
    return render(request, "planning/plans/import.html", {"form": form, "max_mb": 2})


@dataclass
class DraftRow:
    """A row of a draft table: its form, its source line and the line's text quoted."""

    form: Form
    line: int | None
    quote: str
    note: str = ""
    assignment_line: int | None = None
    assignment: str = ""

    @property
    def wide(self) -> list[BoundField]:
        """The long text field, on its own line."""
        return [f for f in self.form if f.name == "text"]

    @property
    def narrow(self) -> list[BoundField]:
        """The other fields, side by side."""
        return [f for f in self.form if f.name not in ("keep", "text")]


def _cut(text: str) -> str:
    text = clean_line(text)[0]
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def _rows(formset: BaseFormSet[Any], rows: Sequence[Any], lines: list[tuple[int, str]]) -> list[DraftRow]:
    by_number = dict(lines)
    out = []
    for form, row in zip(formset.forms, rows, strict=False):
        line = row.source_line
        quote = by_number.get(line, "") if line else ""
        extra = ""
        if isinstance(row, importing.TargetRow) and row.scope:
            extra = _("Phạm vi trong văn bản: {scope}").format(scope=row.scope)
        if isinstance(row, importing.TaskRow) and row.timeframe_text:
            extra = _("Thời gian theo văn bản: {text}").format(text=row.timeframe_text)
        row_view = DraftRow(form=form, line=line, quote=_cut(quote), note=extra)
        if isinstance(row, importing.TaskRow) and row.assignment_line and row.assignment_line != line:
            row_view.assignment_line = row.assignment_line
            row_view.assignment = _cut(by_number.get(row.assignment_line, ""))
        out.append(row_view)
    return out


def _initial_rows(rows: Sequence[Any], names: Sequence[str]) -> list[dict[str, Any]]:
    return [{name: getattr(row, name) for name in names} for row in rows]


_TARGET_FIELDS: Final = ("keep", "kind", "value", "value_max", "year", "unit", "subject")
_TASK_FIELDS: Final = (
    "keep",
    "text",
    "lead",
    "coordinating",
    "timeframe_kind",
    "month",
    "day",
    "year",
    "every_months",
)
_DEADLINE_FIELDS: Final = ("keep", "text", "kind", "month", "day", "year", "every_months")
_FUNDING_FIELDS: Final = ("keep", "source", "label", "amount", "year")


def _header_initial(draft: importing.ImportDraft) -> dict[str, Any]:
    h = draft.header
    return {
        "title": h.title,
        "number": h.number,
        "issuer": h.issuer,
        "issued_on": h.issued_on,
        "period_start": h.period_start,
        "period_end": h.period_end,
        "parent": h.parent or "",
        "parent_reference": h.parent_reference,
        "legal_basis": h.legal_basis,
        "status": h.status,
        "funding_total": h.funding_total,
    }


@dataclass
class DraftForms:
    header: pf.ImportHeaderForm
    targets: BaseFormSet[Any]
    tasks: BaseFormSet[Any]
    deadlines: BaseFormSet[Any]
    funding: BaseFormSet[Any]

    def all_valid(self) -> bool:
        results = [self.header.is_valid()] + [fs.is_valid() for fs in self.formsets()]
        return all(results)

    def formsets(self) -> list[BaseFormSet[Any]]:
        return [self.targets, self.tasks, self.deadlines, self.funding]


def _draft_forms(
    data: Any, draft: importing.ImportDraft, units: list[AdminUnit], parents: list[Plan]
) -> DraftForms:
    """The draft's forms, bound to ``data`` (a POST) or showing the draft (``None``)."""
    return DraftForms(
        header=pf.ImportHeaderForm(data, initial=_header_initial(draft), parents=parents, prefix="h"),
        targets=pf.TargetRowFormSet(
            data,
            initial=_initial_rows(draft.targets, _TARGET_FIELDS),
            prefix="t",
            form_kwargs={"units": units},
        ),
        tasks=pf.TaskRowFormSet(data, initial=_initial_rows(draft.tasks, _TASK_FIELDS), prefix="k"),
        deadlines=pf.DeadlineRowFormSet(
            data, initial=_initial_rows(draft.deadlines, _DEADLINE_FIELDS), prefix="d"
        ),
        funding=pf.FundingRowFormSet(data, initial=_initial_rows(draft.funding, _FUNDING_FIELDS), prefix="f"),
    )


def _edited(draft: importing.ImportDraft, forms: DraftForms) -> importing.ImportDraft:
    """The draft with the person's corrections (the rows keep what the form does not show)."""
    h = forms.header.cleaned_data

    def merged(rows: Sequence[Any], formset: BaseFormSet[Any], names: Sequence[str]) -> list[Any]:
        out = []
        for row, form in zip(rows, formset.forms, strict=True):
            values = {name: form.cleaned_data.get(name) for name in names}
            for name in names:
                if isinstance(getattr(row, name), str) and values[name] is None:
                    values[name] = ""
            out.append(type(row)(**{**_row_dict(row), **values}))
        return out

    header = importing.ImportHeader(
        title=h["title"],
        period_start=h["period_start"],
        period_end=h["period_end"],
        number=h.get("number") or "",
        issuer=h.get("issuer") or "",
        issued_on=h.get("issued_on"),
        legal_basis=h.get("legal_basis") or "",
        parent=h.get("parent"),
        parent_reference=h.get("parent_reference") or "",
        status=h["status"],
        funding_total=h.get("funding_total") or "",
    )
    return importing.ImportDraft(
        unit=draft.unit,
        source_name=draft.source_name,
        source_text=draft.source_text,
        header=header,
        targets=merged(draft.targets, forms.targets, _TARGET_FIELDS),
        tasks=merged(draft.tasks, forms.tasks, _TASK_FIELDS),
        deadlines=merged(draft.deadlines, forms.deadlines, _DEADLINE_FIELDS),
        funding=merged(draft.funding, forms.funding, _FUNDING_FIELDS),
    )


def _row_dict(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in row.__slots__}


@dataclass(frozen=True)
class Problem:
    """A refusal in the summary above the draft: where (a row, with a link to it) and why."""

    message: str
    where: str = ""
    anchor: str = ""


_TABLES: Final = {
    "targets": ("target", gettext_lazy("Chỉ tiêu")),
    "tasks": ("task", gettext_lazy("Nhiệm vụ")),
    "deadlines": ("deadline", gettext_lazy("Thời hạn")),
    "funding": ("funding", gettext_lazy("Nguồn vốn")),
}


def _place_errors(forms: DraftForms, draft: importing.ImportDraft, error: ValidationError) -> list[Problem]:
    """Put the service's messages on the header's fields and the rows; return them all for the summary."""
    summary: list[Problem] = []
    formsets = {
        "targets": forms.targets,
        "tasks": forms.tasks,
        "deadlines": forms.deadlines,
        "funding": forms.funding,
    }
    rows: dict[str, Sequence[Any]] = {
        "targets": draft.targets,
        "tasks": draft.tasks,
        "deadlines": draft.deadlines,
        "funding": draft.funding,
    }
    for key, errors in error.message_dict.items():
        table, _sep, index = key.partition("-")
        if table in formsets and index.isdigit() and int(index) < len(formsets[table].forms):
            i = int(index)
            formsets[table].forms[i].add_error(None, errors)
            kind, label = _TABLES[table]
            line = rows[table][i].source_line
            where = (
                _("{label} {number} (dòng {line})").format(label=label, number=i + 1, line=line)
                if line
                else _("{label} {number}").format(label=label, number=i + 1)
            )
            summary.extend(Problem(message, where, f"draft-{kind}-{i}") for message in errors)
        else:
            field = key if key in forms.header.fields else None
            forms.header.add_error(field, errors)
            name = str(forms.header.fields[key].label) if field else ""
            summary.extend(Problem(message, name, f"id_h-{key}" if field else "") for message in errors)
    return summary


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_draft(request: HttpRequest, token: str) -> HttpResponse:
    """/ke-hoach/nhap/<token>/: the draft to check, correct and confirm."""
    user = _user(request)
    draft = _load_draft(request, token)
    unit = services.plan_units_editable_by(user).select_related("parent").filter(pk=draft.unit).first()
    if unit is None:
        raise PermissionDenied(_("Bạn không còn được lập kế hoạch cho đơn vị của bản nháp này."))
    units = [unit, *importing.sub_units(unit)]
    parents = _parent_choices(user)
    forms = _draft_forms(request.POST if request.method == "POST" else None, draft, units, parents)
    problems: list[Problem] = []
    if request.method == "POST":
        counts_match = [fs.total_form_count() for fs in forms.formsets()] == [
            len(draft.targets),
            len(draft.tasks),
            len(draft.deadlines),
            len(draft.funding),
        ]
        if not counts_match:
            problems.append(Problem(_("Bản nháp đã thay đổi; hãy kiểm tra lại các dòng rồi lưu.")))
            forms = _draft_forms(None, draft, units, parents)
        elif forms.all_valid():
            edited = _edited(draft, forms)
            try:
                result = importing.plan_import_save(
                    unit=unit,
                    actor=user,
                    header=edited.header,
                    targets=edited.targets,
                    tasks=edited.tasks,
                    deadlines=edited.deadlines,
                    funding=edited.funding,
                    source_name=draft.source_name,
                    source_text=draft.source_text,
                    accept_total_mismatch=bool(forms.header.cleaned_data.get("accept_total_mismatch")),
                )
            except ValidationError as error:
                problems = _place_errors(forms, draft, error)
            else:
                _drop_draft(request, token)
                results = request.session.get(RESULTS_KEY) or {}
                results = dict(list(results.items())[-(MAX_DRAFTS - 1) :]) if results else {}
                results[token] = {
                    "plan": result.plan.pk,
                    "counts": result.counts,
                    "new_agencies": [a.pk for a in result.new_agencies],
                }
                request.session[RESULTS_KEY] = results
                return redirect("planning:plan_import_result", token=token)
        else:
            problems.append(Problem(_("Một số ô chưa hợp lệ; hãy sửa các ô được đánh dấu.")))
    lines = source_lines(draft.source_text)
    same = Q(number=draft.header.number) if draft.header.number else Q(pk__in=[])
    if draft.source_name:
        same |= Q(source_name=draft.source_name)
    existing = list(plans_visible_to(user).filter(same, unit=unit).order_by("pk")[:5])
    return render(
        request,
        "planning/plans/import_draft.html",
        {
            "token": token,
            "draft": draft,
            "unit_label": services.unit_label(unit),
            "forms": forms,
            "problems": problems,
            "target_rows": _rows(forms.targets, draft.targets, lines),
            "task_rows": _rows(forms.tasks, draft.tasks, lines),
            "deadline_rows": _rows(forms.deadlines, draft.deadlines, lines),
            "funding_rows": _rows(forms.funding, draft.funding, lines),
            "lines": lines,
            "kept": draft.kept(),
            "existing": existing,
        },
        status=400 if problems else 200,
    )


@login_required
@require_GET
def plan_import_result(request: HttpRequest, token: str) -> HttpResponse:
    """/ke-hoach/nhap/<token>/ket-qua/: what the import saved and the agencies it added."""
    data = (request.session.get(RESULTS_KEY) or {}).get(token)
    if data is None:
        raise Http404(_("Không có kết quả nhập này."))
    plan = _plan(request, int(data["plan"]))
    counts = services.plan_counts(plan)
    new_agencies = list(Agency.objects.filter(pk__in=data["new_agencies"], unit=plan.unit).order_by("name"))
    return render(
        request,
        "planning/plans/import_result.html",
        {
            "plan": plan,
            "saved": data["counts"],
            "new_agencies": new_agencies,
            "funding_warning": services.funding_total_warning(plan, counts),
            "agencies_url": f"{reverse('planning:agencies')}?don_vi={services.unit_key(plan.unit)}",
        },
    )


__all__ = [
    "plan_create",
    "plan_detail",
    "plan_edit",
    "plan_import",
    "plan_import_draft",
    "plan_import_result",
    "plans",
    "source_lines",
]
