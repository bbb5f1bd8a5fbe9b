"""Pages of the policy catalogue and of support records: lists, forms, the live eligibility check, the
Excel upload, and the household's support section.

Views parse the request, read through ``support.selectors`` and write through ``support.services``. Who may
open what:

- the policy pages: anyone signed in with a role (policies are public rules, not personal data), scoped by
  ``policies_visible_to``; adding and changing: ``permissions.policy_edit_refusal``;
- the records pages list households' support: the roles that may open the registry
  (``permissions.pages_refusal``; a leader gets a 403 page with the reason); a record or household
  outside the viewer's territory is a 404; recording, cancelling and uploading follow
  ``permissions.record_refusal`` (403 with the reason); the override field is shown to supervisors only;
- personal ID numbers are never shown on these pages (records name the member).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from giamngheo.accounts.models import AuditEvent, Role, User
from giamngheo.accounts.selectors import sees_everything
from giamngheo.documents import Column, list_xlsx
from giamngheo.documents.formatting import date_short
from giamngheo.registry.history import action_label
from giamngheo.registry.models import Household
from giamngheo.registry.selectors import communes_visible_to, household_search, households_visible_to
from giamngheo.review.procedure import procedure
from giamngheo.site.forms import add_service_error
from giamngheo.site.lists import list_response, paginated, xlsx_download
from giamngheo.site.pages import HtmxHttpRequest, View, guarded, refusal_page
from giamngheo.site.standards.presentation import Badge, class_name, number, status_badge
from giamngheo.support import forms as support_forms
from giamngheo.support.eligibility import class_on, rule_in_words
from giamngheo.support.history import class_histories, class_history
from giamngheo.support.models import Beneficiary, Policy, SupportAuditAction, SupportPeriod, SupportRecord
from giamngheo.support.permissions import (
    pages_refusal,
    policy_edit_refusal,
    record_refusal,
    recording_refusal,
    supervisor_refusal,
)
from giamngheo.support.selectors import policies_visible_to, records_visible_to
from giamngheo.support.services.policies import policy_save
from giamngheo.support.services.records import (
    cancel_refusal,
    data_errors,
    period_label,
    policy_rule,
    reason_text,
    support_cancel,
    support_check,
    support_record,
)
from giamngheo.support.services.uploads import UploadError, UploadRejected, support_upload, upload_template


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


def _english() -> bool:
    return (translation.get_language() or "vi").startswith("en")


#: The page that says why something is refused, in Vietnamese.
refused = refusal_page("support/records/refused.html")


def _guarded(refusal: Callable[[User], str | None]) -> Callable[[View], View]:
    return guarded(lambda request: refusal(_user(request)), refused)


def _policies_refusal(user: User) -> str | None:
    if not user.is_active:
        return _("Tài khoản của bạn đã bị khóa.")
    if not user.role and not user.is_superuser:
        return _("Tài khoản của bạn chưa được gán vai trò.")
    return None


records_page = _guarded(pages_refusal)
policies_page = _guarded(_policies_refusal)


# --- policies ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyRow:
    """A policy as the list and the detail page show it."""

    policy: Policy
    who: str
    scope: str
    in_force: bool
    badge: Badge
    need: str
    period: str
    beneficiary: str
    amount: str

    @classmethod
    def of(cls, policy: Policy, today: dt.date) -> PolicyRow:
        rule = policy_rule(policy)
        vi, en = rule_in_words(rule)
        return cls(
            policy=policy,
            who=(en if _english() else vi[:1].upper() + vi[1:]),
            scope=policy.unit.name if policy.unit is not None else _("Trung ương"),
            in_force=policy.active and rule.in_force(today),
            badge=citation_badge(policy.citation_status),
            need=procedure().support_needs.label(policy.need) if policy.need else "",
            period=str(SupportPeriod(policy.period).label) if policy.period in SupportPeriod.values else "",
            beneficiary=str(Beneficiary(policy.beneficiary).label)
            if policy.beneficiary in Beneficiary.values
            else "",
            amount=_("{amount} đ/{unit}").format(
                amount=number(float(policy.default_amount)), unit=policy.unit_label
            )
            if policy.default_amount is not None
            else "",
        )


def citation_badge(status: str) -> Badge:
    """The verification status of a policy's legal basis, as the standards pages show theirs."""
    badge = status_badge(status)
    hints = {
        "confirmed": _("Đã đối chiếu với văn bản pháp luật."),
        "best_reading": _(
            "Cách hiểu văn bản tốt nhất hiện có, chưa đối chiếu toàn văn; sửa được trên trang này."
        ),
    }
    return Badge(
        badge.css, badge.icon, badge.text, hints.get(status, _("Chưa đối chiếu với văn bản pháp luật."))
    )


def _may_add_policy(user: User) -> bool:
    return policy_edit_refusal(user, None) is None or (user.is_active and user.role == Role.PROVINCE_OFFICER)


@policies_page
@require_safe
def policy_list(request: HtmxHttpRequest) -> HttpResponse:
    """Danh mục chính sách: the national policies and the viewer's units' own, filtered."""
    user = _user(request)
    today = timezone.localdate()
    form = support_forms.PolicyFilterForm(request.GET or None)
    rows = [PolicyRow.of(p, today) for p in form.filter(policies_visible_to(user), today)]
    context = {"form": form, "rows": rows, "can_add": _may_add_policy(user)}
    return list_response(
        request, context, page="support/policies/list.html", table="support/policies/_table.html"
    )


def _visible_policy(user: User, pk: int) -> Policy:
    return get_object_or_404(policies_visible_to(user).select_related("unit", "agency"), pk=pk)


@policies_page
@require_safe
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A policy: legal basis with its verification status, who is eligible in words, the rest."""
    user = _user(request)
    policy = _visible_policy(user, pk)
    citation, _sep, note = policy.legal_basis.partition("\n\n")
    records = None
    if pages_refusal(user) is None:
        records = records_visible_to(user).filter(policy=policy, cancelled_at__isnull=True).count()
    context = {
        "row": PolicyRow.of(policy, timezone.localdate()),
        "policy": policy,
        "citation": citation,
        "note": note,
        "records": records,
        "records_url": f"{reverse('support:records')}?policy={policy.pk}",
        "can_edit": policy_edit_refusal(user, policy.unit) is None,
    }
    return render(request, "support/policies/detail.html", context)


def _policy_form_page(request: HttpRequest, form: support_forms.PolicyForm, *, title: str) -> HttpResponse:
    return render(
        request, "support/policies/form.html", {"form": form, "title": title, "policy": form.policy}
    )


@policies_page
@require_http_methods(["GET", "POST"])
def policy_add(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not _may_add_policy(user):
        return refused(
            request,
            _("Chỉ cán bộ tỉnh (chính sách của địa phương) hoặc quản trị hệ thống mới thêm được chính sách."),
        )
    form = support_forms.PolicyForm(request.POST or None, viewer=user)
    if request.method == "POST" and form.is_valid():
        try:
            policy = policy_save(actor=user, data=form.data_input())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Đã thêm chính sách “{name}”.").format(name=policy.name))
            return redirect("support:policy_detail", pk=policy.pk)
    return _policy_form_page(request, form, title=_("Thêm chính sách hỗ trợ"))


@policies_page
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    policy = _visible_policy(user, pk)
    refusal = policy_edit_refusal(user, policy.unit)
    if refusal is not None:
        return refused(request, refusal)
    form = support_forms.PolicyForm(request.POST or None, viewer=user, policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            saved = policy_save(actor=user, data=form.data_input(), policy=policy)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Đã lưu chính sách “{name}”.").format(name=saved.name))
            return redirect("support:policy_detail", pk=saved.pk)
    return _policy_form_page(request, form, title=_("Sửa chính sách: {name}").format(name=policy.name))


# --- the records list and export ---------------------------------------------------------------------------


def record_table(*, viewer: User, values: dict[str, Any]) -> QuerySet[SupportRecord]:
    """The records the viewer sees, narrowed by the list's filters, newest first."""
    records = records_visible_to(viewer)
    if values.get("commune") is not None:
        records = records.filter(commune=values["commune"])
    if values.get("village") is not None:
        records = records.filter(village=values["village"])
    if values.get("policy") is not None:
        records = records.filter(policy=values["policy"])
    if values.get("date_from"):
        records = records.filter(given_on__gte=values["date_from"])
    if values.get("date_to"):
        records = records.filter(given_on__lte=values["date_to"])
    state = values.get("state") or ""
    if state == "cancelled":
        records = records.filter(cancelled_at__isnull=False)
    else:
        records = records.filter(cancelled_at__isnull=True)
    if state == "eligible":
        records = records.filter(eligible=True, override_reason="")
    elif state == "overridden":
        records = records.exclude(override_reason="")
    return records.select_related("policy", "household", "member", "commune", "village", "agency").order_by(
        "-given_on", "-pk"
    )


def state_of(record: SupportRecord) -> tuple[str, str]:
    """(css, words) of a record's state."""
    if record.cancelled_at is not None:
        return "inactive", _("Đã huỷ")
    if record.override_reason:
        return "override", _("Cho phép ngoài điều kiện")
    return "active", _("Đúng đối tượng")


@dataclass(frozen=True)
class RecordRow:
    record: SupportRecord
    klass: str
    state_css: str
    state: str
    amount: str
    quantity: str

    @classmethod
    def of(cls, record: SupportRecord) -> RecordRow:
        css, words = state_of(record)
        quantity = float(record.quantity)
        return cls(
            record=record,
            klass=class_name(record.klass) if record.klass else _("Chưa có kết quả rà soát"),
            state_css=css,
            state=words,
            amount=number(float(record.amount)) if record.amount is not None else "",
            quantity=number(quantity, 0 if quantity.is_integer() else 2),
        )


@records_page
@require_safe
def records(request: HtmxHttpRequest) -> HttpResponse:
    """Hỗ trợ đã thực hiện: the records of the viewer's territory, filtered, 50 per page."""
    user = _user(request)
    form = support_forms.RecordFilterForm(request.GET or None, viewer=user)
    listing = paginated(request, record_table(viewer=user, values=form.values()))
    context = {
        "form": form,
        **listing,
        "rows": [RecordRow.of(r) for r in listing["page"].object_list],
        "can_record": recording_refusal(user) is None,
    }
    return list_response(
        request, context, page="support/records/list.html", table="support/records/_table.html"
    )


def _export_rows(records: QuerySet[SupportRecord]) -> Iterator[Sequence[object]]:
    for record in records.iterator(chunk_size=2000):
        _css, state = state_of(record)
        yield (
            record.given_on,
            record.commune.name,
            record.village.name if record.village is not None else "",
            record.household.code,
            record.member.full_name if record.member is not None else "",
            record.policy.code,
            record.policy.name,
            class_name(record.klass) if record.klass else "",
            record.eligible,
            record.quantity,
            record.policy.unit_label,
            record.amount,
            record.reference,
            record.agency.name if record.agency is not None else "",
            record.override_reason,
            state,
        )


@records_page
@require_safe
def records_export(request: HttpRequest) -> FileResponse:
    """xuat.xlsx: the filtered records as an Excel workbook (no personal ID numbers)."""
    user = _user(request)
    form = support_forms.RecordFilterForm(request.GET or None, viewer=user)
    columns = [
        Column(_("Ngày hỗ trợ")),
        Column(_("Xã, phường")),
        Column(_("Thôn")),
        Column(_("Mã hộ")),
        Column(_("Người nhận")),
        Column(_("Mã chính sách")),
        Column(_("Chính sách")),
        Column(_("Diện của hộ khi hỗ trợ")),
        Column(_("Đúng đối tượng")),
        Column(_("Số lượng")),
        Column(_("Đơn vị tính")),
        Column(_("Số tiền (đồng)")),
        Column(_("Số chứng từ")),
        Column(_("Cơ quan thực hiện")),
        Column(_("Lý do cho phép ngoài điều kiện")),
        Column(_("Tình trạng")),
    ]
    content = list_xlsx(
        columns,
        _export_rows(record_table(viewer=user, values=form.values())),
        title=" — ".join([_("Hỗ trợ đã thực hiện"), date_short(timezone.localdate())]),
        sheet_name=_("Hỗ trợ"),
    )
    return xlsx_download(content, f"ho-tro-{timezone.localdate():%Y%m%d}.xlsx")


# --- recording one ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HouseholdChoice:
    household: Household
    klass: str


def _class_today(household_ids: Sequence[int]) -> dict[int, str]:
    today = timezone.localdate()
    histories = class_histories(household_ids)
    found = {}
    for pk, history in histories.items():
        current = class_on(history, today)
        found[pk] = class_name(current.klass) if current is not None else _("Chưa có kết quả rà soát")
    return found


def _choose_household(request: HttpRequest, user: User) -> HttpResponse:
    form = support_forms.HouseholdSearchForm(request.GET or None)
    query = str(form.cleaned_data.get("q") or "") if form.is_valid() else ""
    choices: list[HouseholdChoice] = []
    if query.strip():
        found = list(household_search(viewer=user, query=query)[:30])
        classes = _class_today([h.pk for h in found])
        choices = [HouseholdChoice(h, classes[h.pk]) for h in found]
    return render(
        request,
        "support/records/choose.html",
        {"form": form, "choices": choices, "searched": bool(query.strip())},
    )


def _household(user: User, pk: Any) -> Household:
    try:
        key = int(pk)
    except (TypeError, ValueError) as error:
        raise Http404 from error
    return get_object_or_404(households_visible_to(user).select_related("commune", "village", "head"), pk=key)


@dataclass(frozen=True)
class CheckView:
    """The live eligibility check, ready to display."""

    ready: bool
    eligible: bool = False
    reason: str = ""
    problems: tuple[str, ...] = ()
    duplicate: str = ""
    refused: bool = False
    overridable: bool = False
    show_override: bool = False
    override_value: str = ""
    period: str = ""


def _check_view(form: support_forms.RecordForm, household: Household, *, supervisor: bool) -> CheckView:
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    policy, given_on, member = data.get("policy"), data.get("given_on"), data.get("member")
    if policy is None or given_on is None:
        return CheckView(ready=False)
    problems = data_errors(
        policy=policy,
        household=household,
        member=member,
        given_on=given_on,
        quantity=data.get("quantity") or Decimal(1),
        amount=None,
        reference="",
    )
    if policy.beneficiary == Beneficiary.MEMBER and member is None:
        problems.pop("member", None)  # not chosen yet: the check still says whether the household qualifies
    check = support_check(policy=policy, household=household, member=member, given_on=given_on)
    override = form.data.get("override_reason", "") if form.is_bound else ""
    return CheckView(
        ready=True,
        eligible=check.decision.eligible,
        reason=reason_text(check.decision),
        problems=tuple(problems.values()),
        duplicate=check.duplicate_message,
        refused=check.refused,
        overridable=check.overridable,
        show_override=supervisor and check.overridable,
        override_value=str(override),
        period=period_label(check.period_key),
    )


def _live(form: support_forms.RecordForm, household: Household) -> None:
    """Make the fields that decide eligibility re-check it (htmx) when they change."""
    url = f"{reverse('support:record_check')}?ho={household.pk}"
    for name in ("policy", "member", "given_on"):
        form.fields[name].widget.attrs.update(
            {"hx-post": url, "hx-target": "#decision", "hx-include": "closest form", "hx-trigger": "change"}
        )


def _without_refusals(error: ValidationError) -> ValidationError:
    """The service's errors less the eligibility and duplicate refusals, which the decision box shows."""
    if not hasattr(error, "error_dict"):
        return error
    kept = {
        field: [e for e in errors if e.code not in ("ineligible", "duplicate")]
        for field, errors in error.error_dict.items()
    }
    return ValidationError({field: errors for field, errors in kept.items() if errors})


@records_page
@require_http_methods(["GET", "POST"])
def record_add(request: HttpRequest) -> HttpResponse:
    """Ghi nhận hỗ trợ: choose the household (by code or search), then the form with the live check."""
    user = _user(request)
    refusal = recording_refusal(user)
    if refusal is not None:
        return refused(request, refusal)
    if not request.GET.get("ho"):
        return _choose_household(request, user)
    household = _household(user, request.GET["ho"])
    refusal = record_refusal(user, household)
    if refusal is not None:
        return refused(request, refusal)
    supervisor = supervisor_refusal(user, household) is None
    form = support_forms.RecordForm(
        request.POST or None, viewer=user, household=household, supervisor=supervisor
    )
    _live(form, household)
    check = CheckView(ready=False)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                record = support_record(
                    policy=data["policy"],
                    household=household,
                    member=data.get("member"),
                    given_on=data["given_on"],
                    quantity=data["quantity"],
                    amount=data.get("amount"),
                    reference=data.get("reference") or "",
                    agency=data.get("agency"),
                    actor=user,
                    override_reason=data.get("override_reason") or "",
                )
            except ValidationError as error:
                add_service_error(form, _without_refusals(error))
            else:
                messages.success(
                    request,
                    _("Đã ghi nhận “{policy}” cho hộ {code}.").format(
                        policy=record.policy.name, code=household.code
                    ),
                )
                return redirect("support:record_detail", pk=record.pk)
        check = _check_view(form, household, supervisor=supervisor)
    history = class_history(household)
    current = class_on(history, timezone.localdate())
    context = {
        "household": household,
        "form": form,
        "check": check,
        "supervisor": supervisor,
        "class_today": class_name(current.klass) if current is not None else "",
        "class_round": current.label_vi if current is not None else "",
        "recent": [RecordRow.of(r) for r in _household_records(user, household)[:10]],
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "support/records/form.html", context, status=status)


@records_page
@require_POST
def record_check(request: HttpRequest) -> HttpResponse:
    """The live check (htmx): whether the household qualifies on the day, and any earlier record."""
    user = _user(request)
    household = _household(user, request.GET.get("ho"))
    supervisor = supervisor_refusal(user, household) is None
    form = support_forms.RecordForm(request.POST, viewer=user, household=household, supervisor=supervisor)
    return render(
        request, "support/records/_check.html", {"check": _check_view(form, household, supervisor=supervisor)}
    )


def _visible_record(user: User, pk: int) -> SupportRecord:
    return get_object_or_404(
        records_visible_to(user).select_related(
            "policy",
            "household",
            "member",
            "commune",
            "village",
            "agency",
            "review_round",
            "override_by",
            "recorded_by",
            "batch",
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class EventRow:
    when: dt.datetime
    actor: str
    action: str
    note: str


def _events(record: SupportRecord) -> list[EventRow]:
    events = AuditEvent.objects.filter(
        target_type=SupportRecord._meta.label_lower, target_id=str(record.pk)
    ).select_related("actor")
    rows = []
    for event in events.order_by("created_at", "pk"):
        after = event.after or {}
        note = str(after.get("override_reason") or after.get("reason") or "")
        rows.append(
            EventRow(
                when=event.created_at,
                actor=event.actor.get_full_name() if event.actor is not None else _("Hệ thống"),
                action=action_label(SupportAuditAction, event.action),
                note=note,
            )
        )
    return rows


@records_page
@require_safe
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    record = _visible_record(user, pk)
    context = {
        "row": RecordRow.of(record),
        "record": record,
        "period": period_label(record.period_key),
        "events": _events(record),
        "can_cancel": record.cancelled_at is None and cancel_refusal(user, record) is None,
    }
    return render(request, "support/records/detail.html", context)


@records_page
@require_http_methods(["GET", "POST"])
def record_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    record = _visible_record(user, pk)
    refusal = cancel_refusal(user, record)
    if refusal is not None:
        return refused(request, refusal)
    if record.cancelled_at is not None:
        return refused(request, _("Bản ghi này đã bị huỷ."), status=409)
    form = support_forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            support_cancel(record=record, actor=user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Đã huỷ bản ghi hỗ trợ."))
            return redirect("support:record_detail", pk=record.pk)
    return render(
        request, "support/records/cancel.html", {"form": form, "record": record, "row": RecordRow.of(record)}
    )


# --- the Excel upload -----------------------------------------------------------------------------------


@records_page
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Nhập danh sách hỗ trợ từ Excel: all rows or none, every problem listed."""
    user = _user(request)
    refusal = recording_refusal(user)
    if refusal is not None:
        return refused(request, refusal)
    form = support_forms.UploadForm(request.POST or None, request.FILES or None, viewer=user)
    errors: Sequence[UploadError] = ()
    summary = ""
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["workbook"]
        try:
            batch = support_upload(
                data=upload_file.read(),
                file_name=upload_file.name or "",
                actor=user,
                agency=form.cleaned_data.get("agency"),
            )
        except UploadRejected as error:
            errors, summary = error.errors, error.message
        else:
            messages.success(
                request,
                _("Đã nhập {rows} lần hỗ trợ từ tệp {name} (lô số {pk}).").format(
                    rows=number(batch.rows), name=batch.file_name, pk=batch.pk
                ),
            )
            return redirect("support:records")
    context = {"form": form, "errors": errors, "summary": summary}
    return render(request, "support/records/upload.html", context, status=422 if errors else 200)


@records_page
@require_safe
def upload_template_view(request: HttpRequest) -> FileResponse:
    user = _user(request)
    today = timezone.localdate()
    policies = [
        p
        for p in policies_visible_to(user).filter(active=True).order_by("name")
        if policy_rule(p).in_force(today)
    ]
    content = upload_template(policies=policies, communes=communes_visible_to(user))
    return xlsx_download(content, "mau-nhap-ho-tro.xlsx")


# --- the household's support (for the household page) -------------------------------------------------------


def _household_records(user: User, household: Household) -> QuerySet[SupportRecord]:
    return (
        records_visible_to(user)
        .filter(household=household)
        .select_related("policy", "member", "agency")
        .order_by("-given_on", "-pk")
    )


@records_page
@require_safe
def household_support(request: HttpRequest, pk: int) -> HttpResponse:
    """The household's support history (a section of the household page, loaded with htmx)."""
    user = _user(request)
    household = _household(user, pk)
    history = class_history(household)
    current = class_on(history, timezone.localdate())
    context = {
        "household": household,
        "rows": [RecordRow.of(r) for r in _household_records(user, household)[:200]],
        "class_today": class_name(current.klass) if current is not None else "",
        "class_round": current.label_vi if current is not None else "",
        "can_record": record_refusal(user, household) is None,
        "sees_everything": sees_everything(user),
    }
    return render(request, "support/records/_household_support.html", context)
