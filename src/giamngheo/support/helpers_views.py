"""Pages of the helpers of poor households (người, đơn vị giúp đỡ hộ nghèo).

Views parse the request, read and write through ``support.services.helpers``. Who may open what:

- the lists (poor households and their helpers, households with no helper, the Excel export) are
  household lists: a leader or a user without a registry role gets a 403 page with the reason
  (``registry.permissions.registry_refusal``); everyone else sees the households of their territory;
- a helper's page and the visit form open for the helper's own account whatever its role ("my
  households"), otherwise as the lists do; an assignment outside the viewer's territory is a 404;
- assigning, replacing and ending a helper: whoever may edit the household's commune (403 otherwise,
  with the reason); recording a visit: the helper, the commune officer or the province officer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from giamngheo.accounts.models import User
from giamngheo.accounts.selectors import villages_visible_to
from giamngheo.documents import list_xlsx
from giamngheo.documents.formatting import date_short
from giamngheo.documents.xlsx import Column
from giamngheo.planning.models import Agency
from giamngheo.registry.forms import CommuneChoiceField, VillageChoiceField, commune_filter, village_filter
from giamngheo.registry.models import Household
from giamngheo.registry.permissions import registry_refusal
from giamngheo.registry.selectors import communes_visible_to, households_visible_to
from giamngheo.site.forms import DateField, call_service
from giamngheo.site.lists import list_response, paginated, xlsx_download
from giamngheo.site.pages import HtmxHttpRequest, guarded, refusal_page
from giamngheo.support.history import latest_approved_class
from giamngheo.support.models import HelperAssignment, HelperKind
from giamngheo.support.services import helpers as services

#: The page that says why something is refused (403 unless told), in Vietnamese.
refused = refusal_page("registry/refused.html")


def _household_lists_refusal(request: HttpRequest) -> str | None:
    return registry_refusal(request.user)


#: Sign-in required; a role that may not read household lists gets the 403 page with the reason; a
#: ``PermissionDenied`` raised below becomes the same page.
household_page = guarded(_household_lists_refusal, refused)
#: Sign-in required (the page decides the rest); ``PermissionDenied`` becomes the 403 page.
signed_in_page = guarded(None, refused)


# --- Lists ----------------------------------------------------------------------------------------------


class HelperFilterForm(forms.Form):
    """The filters of the helpers list (GET)."""

    commune = commune_filter()
    village = village_filter()
    helper = forms.ChoiceField(
        label=gettext_lazy("Người giúp đỡ"),
        required=False,
        choices=[
            (services.HELPER_ALL, gettext_lazy("Tất cả")),
            (services.HELPER_WITH, gettext_lazy("Đã có người giúp đỡ")),
            (services.HELPER_WITHOUT, gettext_lazy("Chưa có người giúp đỡ")),
        ],
    )
    not_visited = forms.BooleanField(
        label=gettext_lazy("Chưa được thăm trong %(days)d ngày qua") % {"days": services.VISIT_STALE_DAYS},
        required=False,
    )

    def __init__(self, data: Any = None, *, viewer: User) -> None:
        super().__init__(data)
        communes = communes_visible_to(viewer)
        commune_field = self.fields["commune"]
        village_field = self.fields["village"]
        assert isinstance(commune_field, CommuneChoiceField)
        assert isinstance(village_field, VillageChoiceField)
        commune_field.queryset = communes
        village_field.queryset = (
            villages_visible_to(viewer).select_related("commune").order_by("commune__name", "name")
        )
        village_field.with_commune = communes.count() > 1

    def filters(self) -> services.HelperFilters:
        if not self.is_bound or not self.is_valid():
            return services.HelperFilters()
        data = self.cleaned_data
        commune = data["commune"]
        village = data["village"]
        if village is not None and commune is not None and village.commune_id != commune.pk:
            village = None
        return services.HelperFilters(
            commune=commune, village=village, helper=data["helper"] or "", not_visited=data["not_visited"]
        )


@dataclass(frozen=True)
class HelperRow:
    """One poor household of the list, with its active helper (if any) and whether a visit is overdue."""

    household: Household
    helper: HelperAssignment | None
    last_visit: dt.date | None
    overdue: bool


def _rows(households: Any, today: dt.date) -> list[HelperRow]:
    since = today - dt.timedelta(days=services.VISIT_STALE_DAYS)
    rows = []
    for household in households:
        active = household.active_helpers
        helper = active[0] if active else None
        last = household.last_visit
        rows.append(
            HelperRow(
                household=household,
                helper=helper,
                last_visit=last,
                overdue=helper is not None and (last is None or last < since),
            )
        )
    return rows


@household_page
@require_safe
def helper_list(request: HtmxHttpRequest) -> HttpResponse:
    """Hộ nghèo và người giúp đỡ: the viewer's poor households with their helper, filtered, 50 per page.

    The same view renders the whole page or, for an htmx request (filters, pages), the table only."""
    today = timezone.localdate()
    form = HelperFilterForm(request.GET or None, viewer=request.user)
    filters = form.filters()
    listing = paginated(request, services.poor_households(viewer=request.user, filters=filters, today=today))
    total, helped = services.helper_counts(viewer=request.user, commune=filters.commune)
    context = {
        "form": form,
        **listing,
        "rows": _rows(listing["page"].object_list, today),
        "total": total,
        "helped": helped,
        "without": total - helped,
        "stale_days": services.VISIT_STALE_DAYS,
    }
    return list_response(
        request, context, page="support/helpers/list.html", table="support/helpers/_table.html"
    )


EXPORT_COLUMNS: Final = (
    (gettext_lazy("Xã, phường"), 24),
    (gettext_lazy("Thôn, tổ dân phố"), 20),
    (gettext_lazy("Mã hộ"), 12),
    (gettext_lazy("Chủ hộ"), 24),
    (gettext_lazy("Người, đơn vị giúp đỡ"), 28),
    (gettext_lazy("Loại"), 18),
    (gettext_lazy("Chức vụ, đơn vị công tác"), 28),
    (gettext_lazy("Điện thoại"), 14),
    (gettext_lazy("Giúp đỡ từ ngày"), 12),
    (gettext_lazy("Lần thăm gần nhất"), 12),
)


@household_page
@require_safe
def helper_export(request: HtmxHttpRequest) -> FileResponse:
    """xuat.xlsx: the filtered list of poor households and their helpers as an Excel workbook."""
    today = timezone.localdate()
    form = HelperFilterForm(request.GET or None, viewer=request.user)
    filters = form.filters()
    households = services.poor_households(viewer=request.user, filters=filters, today=today)
    columns = [Column(str(label), width) for label, width in EXPORT_COLUMNS]

    def rows() -> Any:
        for row in _rows(households.iterator(chunk_size=2000), today):
            household, helper = row.household, row.helper
            yield [
                household.commune.name,
                household.village.name if household.village else "",
                household.code,
                household.head.full_name if household.head else "",
                helper.name if helper else _("Chưa có người giúp đỡ"),
                helper.get_kind_display() if helper else "",
                helper.position if helper else "",
                helper.phone if helper else "",
                helper.started_on if helper else None,
                row.last_visit,
            ]

    place = filters.village.name if filters.village else (filters.commune.name if filters.commune else "")
    title = " — ".join(part for part in (_("Hộ nghèo và người giúp đỡ"), place, date_short(today)) if part)
    content = list_xlsx(columns, rows(), title=title, sheet_name=_("Người giúp đỡ"))
    return xlsx_download(content, f"nguoi-giup-do-{today:%Y%m%d}.xlsx")


@household_page
@require_safe
def without_helper(request: HtmxHttpRequest) -> HttpResponse:
    """Hộ nghèo chưa có người giúp đỡ: the viewer's poor households with no active helper."""
    households = services.households_without_helper(viewer=request.user)
    return render(request, "support/helpers/without.html", paginated(request, households))


@signed_in_page
@require_safe
def my_households(request: HtmxHttpRequest) -> HttpResponse:
    """Hộ tôi giúp đỡ: the households where the signed-in user is the active helper."""
    assignments = services.my_assignments(user=request.user)
    return render(request, "support/helpers/mine.html", {"assignments": assignments})


# --- Assign, end, visit ------------------------------------------------------------------------------


class AssignForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Người giúp đỡ là"),
        choices=HelperKind.choices,
        initial=HelperKind.PERSON,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=gettext_lazy("Họ tên người hoặc tên đơn vị giúp đỡ"), max_length=255)
    position = forms.CharField(label=gettext_lazy("Chức vụ, đơn vị công tác"), max_length=255, required=False)
    phone = forms.CharField(label=gettext_lazy("Điện thoại"), max_length=32, required=False)
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan (nếu có trong danh mục)"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=gettext_lazy("Không chọn"),
    )
    username = forms.CharField(
        label=gettext_lazy("Tài khoản của người giúp đỡ (tên đăng nhập, nếu có)"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Người có tài khoản tự ghi nhận được các lần thăm hộ."),
    )
    started_on = DateField(label=gettext_lazy("Giúp đỡ từ ngày"))
    replace = forms.BooleanField(
        label=gettext_lazy("Thay người giúp đỡ hiện tại (kết thúc vào ngày trước ngày bắt đầu ở trên)"),
        required=False,
    )

    def __init__(self, data: Any = None, *, household: Household, current: HelperAssignment | None) -> None:
        super().__init__(data, initial={"started_on": timezone.localdate()})
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(province_code=household.province_code).order_by("name")
        if current is None:
            del self.fields["replace"]

    def clean_username(self) -> User | None:
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise ValidationError(_("Không có tài khoản {name}.").format(name=username))
        return user


def _form_page(request: HttpRequest, form: forms.Form, **context: Any) -> HttpResponse:
    can_open_registry = registry_refusal(request.user) is None
    return render(
        request,
        "support/helpers/form.html",
        {"form": form, "can_open_registry": can_open_registry, **context},
    )


@household_page
@require_http_methods(["GET", "HEAD", "POST"])
def helper_assign(request: HtmxHttpRequest, household: int) -> HttpResponse:
    """Phân công người giúp đỡ cho một hộ nghèo (or replace the current helper)."""
    found = get_object_or_404(
        households_visible_to(request.user).select_related("commune", "village", "head"), pk=household
    )
    reason = services.assign_refusal(request.user, found)
    if reason is not None:
        return refused(request, reason)
    current = HelperAssignment.objects.filter(household=found, ended_on__isnull=True).first()
    form = AssignForm(request.POST or None, household=found, current=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assignment = call_service(
            form,
            lambda: services.helper_assign(
                household=found,
                kind=data["kind"],
                name=data["name"],
                position=data["position"],
                phone=data["phone"],
                agency=data["agency"],
                user=data["username"],
                started_on=data["started_on"],
                replace=data.get("replace", False),
                actor=request.user,
            ),
        )
        if assignment is not None:
            messages.success(
                request,
                _("Đã phân công {name} giúp đỡ hộ {code}.").format(name=assignment.name, code=found.code),
            )
            return redirect("support:helper_detail", pk=assignment.pk)
    klass = latest_approved_class(found)
    return _form_page(
        request,
        form,
        title=_("Phân công người giúp đỡ"),
        submit=_("Phân công"),
        household=found,
        current=current,
        klass=services.class_label(klass),
        is_poor=klass == "poor",
    )


def _visible_assignment(request: HtmxHttpRequest, pk: int) -> HelperAssignment | HttpResponse:
    """The assignment if the viewer may open it; else the 403 page (a role that reads no household
    list) or a 404 (outside the territory)."""
    assignment = services.assignment_visible(viewer=request.user, pk=pk)
    if assignment is not None and assignment.user_id == request.user.pk:
        return assignment  # the helper's own: whatever their role
    reason = registry_refusal(request.user)
    if reason is not None:
        return refused(request, reason)
    if assignment is None:
        raise Http404
    return assignment


@signed_in_page
@require_safe
def helper_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Trang người giúp đỡ: the helper, the household, the visits, and the household's earlier helpers."""
    found = _visible_assignment(request, pk)
    if isinstance(found, HttpResponse):
        return found
    household = found.household
    is_active = found.ended_on is None
    context = {
        "assignment": found,
        "household": household,
        "klass": services.class_label(latest_approved_class(household)),
        "visits": services.assignment_visits(assignment=found),
        "history": services.household_helpers(household=household).exclude(pk=found.pk),
        "is_active": is_active,
        "can_visit": services.visit_refusal(request.user, found) is None,
        "can_manage": registry_refusal(request.user) is None
        and services.assign_refusal(request.user, household) is None,
        "can_open_registry": registry_refusal(request.user) is None,
    }
    return render(request, "support/helpers/detail.html", context)


class VisitForm(forms.Form):
    visited_on = DateField(label=gettext_lazy("Ngày thăm"))
    note = forms.CharField(
        label=gettext_lazy("Nội dung (đã làm gì, thống nhất gì với hộ)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )


@signed_in_page
@require_http_methods(["GET", "HEAD", "POST"])
def helper_visit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Ghi nhận thăm hộ: by the helper, the commune officer or the province officer."""
    found = _visible_assignment(request, pk)
    if isinstance(found, HttpResponse):
        return found
    reason = services.visit_refusal(request.user, found)
    if reason is not None:
        return refused(request, reason)
    form = VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        visit = call_service(
            form,
            lambda: services.helper_visit_record(
                assignment=found,
                visited_on=form.cleaned_data["visited_on"],
                note=form.cleaned_data["note"],
                actor=request.user,
            ),
        )
        if visit is not None:
            messages.success(
                request,
                _("Đã ghi nhận lần thăm hộ {code} ngày {day}.").format(
                    code=found.household.code, day=date_short(visit.visited_on)
                ),
            )
            return redirect("support:helper_detail", pk=found.pk)
    return _form_page(
        request,
        form,
        title=_("Ghi nhận thăm hộ"),
        submit=_("Ghi nhận"),
        household=found.household,
        assignment=found,
    )


class EndForm(forms.Form):
    ended_on = DateField(label=gettext_lazy("Kết thúc ngày"))
    reason = forms.CharField(label=gettext_lazy("Lý do kết thúc"), max_length=255)


@household_page
@require_http_methods(["GET", "HEAD", "POST"])
def helper_end(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Kết thúc việc giúp đỡ (the household escaped poverty, the helper moved …)."""
    found = _visible_assignment(request, pk)
    if isinstance(found, HttpResponse):
        return found
    reason = services.assign_refusal(request.user, found.household)
    if reason is not None:
        return refused(request, reason)
    form = EndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        ended = call_service(
            form,
            lambda: services.helper_end(
                assignment=found,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            ),
        )
        if ended is not None:
            messages.success(
                request,
                _("Đã kết thúc việc giúp đỡ hộ {code} của {name}.").format(
                    code=found.household.code, name=found.name
                ),
            )
            return redirect("support:helper_detail", pk=found.pk)
    return _form_page(
        request,
        form,
        title=_("Kết thúc giúp đỡ"),
        submit=_("Kết thúc"),
        household=found.household,
        assignment=found,
    )
