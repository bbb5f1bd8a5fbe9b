"""Pages of the household registry (sổ hộ): list, search, export, household page, history, forms.

Views parse the request, read through ``registry.selectors`` and write through ``registry.services``.
Who may open what:

- a leader, or a user without a role, gets a 403 page with the reason (``registry.permissions``);
- a household outside the viewer's territory (including another village, for a village surveyor)
  is a 404: it is not in ``households_visible_to``;
- a form or a POST by someone who may not edit the household (agency viewer, surveyor of a commune-
  level household …) gets a 403 page with the reason from ``accounts.permissions.edit_refusal``;
- citizen IDs and dates of birth are replaced by a mask unless ``can_see_personal_ids``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Final

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import trigger_client_event

from giamngheo.accounts.models import User
from giamngheo.accounts.permissions import edit_refusal
from giamngheo.accounts.selectors import villages_visible_to
from giamngheo.documents import list_xlsx
from giamngheo.documents.formatting import date_short
from giamngheo.registry import forms as registry_forms
from giamngheo.registry import services
from giamngheo.registry.ethnicity import Ethnicity
from giamngheo.registry.exports import household_export_columns, household_export_rows
from giamngheo.registry.history import history_rows
from giamngheo.registry.models import Household, HouseholdStatus, Member, MemberStatus
from giamngheo.registry.permissions import can_see_personal_ids, mask_citizen_id, registry_refusal
from giamngheo.registry.selectors import (
    FLAG_FIELDS,
    CitizenIdDuplicates,
    HouseholdFilters,
    citizen_id_duplicates,
    citizen_id_duplicates_of,
    communes_visible_to,
    household_audit_events,
    household_events,
    household_members,
    household_table,
    members_visible_to,
)
from giamngheo.registry.selectors import (
    household_detail as household_detail_queryset,
)
from giamngheo.site.forms import add_service_error, call_service
from giamngheo.site.lists import list_response, paginated, xlsx_download
from giamngheo.site.pages import HtmxHttpRequest, guarded, refusal_page

#: The page that says why something is refused (403 unless told), in Vietnamese, with a link to the list.
refused = refusal_page("registry/refused.html")


def _edit_anywhere_refusal(user: User) -> str | None:
    """Why ``user`` may edit nothing in the registry (by role or territory), or ``None``."""
    candidates = [villages_visible_to(user).first(), communes_visible_to(user).first()]
    reasons = [edit_refusal(user, target) for target in candidates if target is not None]
    if not reasons:
        return _("Bạn chưa được giao địa bàn nào.")
    if any(reason is None for reason in reasons):
        return None
    return reasons[0]


def _page_refusal(request: HttpRequest) -> str | None:
    """A role that may not open the registry; a POST from a role that may edit nothing."""
    reason = registry_refusal(request.user)
    if reason is None and request.method == "POST":
        assert isinstance(request.user, User)
        reason = _edit_anywhere_refusal(request.user)
    return reason


#: Sign-in required; refuse (403 with the reason) a role that may not open the registry, and any POST
#: from a role that may edit nothing; a ``PermissionDenied`` raised below becomes the same page.
registry_page = guarded(_page_refusal, refused)


# --- List, search, export ---------------------------------------------------------------------------


@registry_page
@require_safe
def household_list(request: HtmxHttpRequest) -> HttpResponse:
    """Danh sách hộ: the viewer's households, filtered and searched, 50 per page.

    The same view renders the whole page or, for an htmx request (filters, pages), the table only.
    """
    form = registry_forms.HouseholdFilterForm(request.GET or None, viewer=request.user)
    filters = form.filters()
    context = {
        "form": form,
        **paginated(request, household_table(viewer=request.user, filters=filters)),
        "searching": bool(filters.query.strip()),
        "can_create": _edit_anywhere_refusal(request.user) is None,
        "flag_fields": FLAG_FIELDS,
        "dropped_village": form.dropped_village_message,
    }
    return list_response(
        request, context, page="registry/household_list.html", table="registry/_household_table.html"
    )


VILLAGES_LOADED: Final = "villages-loaded"


@registry_page
@require_safe
def village_options(request: HtmxHttpRequest) -> HttpResponse:
    """thon/?commune=…&village=…: the ``<option>``s of the list's village filter for the chosen
    commune (all visible villages when none is chosen or the commune is not visible), keeping the chosen
    village if it is in that commune. Fires ``villages-loaded`` so that the list reloads once the village
    dropdown is right."""
    form = registry_forms.HouseholdFilterForm(request.GET or None, viewer=request.user)
    response = render(request, "registry/_village_options.html", {"options": form.village_options()})
    return trigger_client_event(response, VILLAGES_LOADED, after="settle")


def _flag_labels(household: Household) -> list[str]:
    return [
        str(Household._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
        for name in FLAG_FIELDS
        if getattr(household, name)
    ]


def _export_title(viewer: User, filters: HouseholdFilters) -> str:
    """ "Danh sách hộ — Thôn 1, Xã Đăk Kôi — 27/11/2026": the place is the village and/or commune
    filtered on, else the viewer's only commune; left out when the list spans several communes."""
    if filters.village is not None:
        place = f"{filters.village.name}, {filters.village.commune.name}"
    elif filters.commune is not None:
        place = filters.commune.name
    else:
        communes = list(communes_visible_to(viewer)[:2])
        place = communes[0].name if len(communes) == 1 else ""
    parts = [_("Danh sách hộ"), place, date_short(timezone.localdate())]
    return " — ".join(part for part in parts if part)


@registry_page
@require_safe
def household_export(request: HtmxHttpRequest) -> FileResponse:
    """xuat.xlsx: the filtered list as an Excel workbook (``documents.list_xlsx``), with a title row.

    Dates are real Excel dates shown dd/mm/yyyy; the head's citizen ID and date of birth are only
    there for roles that may read them.
    """
    form = registry_forms.HouseholdFilterForm(request.GET or None, viewer=request.user)
    filters = form.filters()
    households = household_table(viewer=request.user, filters=filters)
    personal = can_see_personal_ids(request.user)
    content = list_xlsx(
        household_export_columns(personal=personal),
        household_export_rows(households, personal=personal),
        title=_export_title(request.user, filters),
        sheet_name=_("Danh sách hộ"),
    )
    return xlsx_download(content, f"danh-sach-ho-{timezone.localdate():%Y%m%d}.xlsx")


# --- Household page and history ---------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    member: Member
    citizen_id: str
    date_of_birth: datetime.date | None
    ethnicity: str
    is_head: bool
    duplicate: bool
    duplicate_elsewhere: list[Member]


def _member_rows(user: User, household: Household, *, personal: bool) -> list[MemberRow]:
    members = list(household_members(household=household))
    duplicates = citizen_id_duplicates_of(viewer=user, members=members) if personal else {}
    rows = []
    for member in members:
        found = duplicates.get(member.pk, CitizenIdDuplicates(exists=False))
        duplicate, elsewhere = found.exists, found.members
        rows.append(
            MemberRow(
                member=member,
                citizen_id=(member.citizen_id or "") if personal else mask_citizen_id(member.citizen_id),
                date_of_birth=member.date_of_birth if personal else None,
                ethnicity=Ethnicity(member.ethnicity).label if member.ethnicity in Ethnicity.values else "",
                is_head=member.pk == household.head_id,
                duplicate=duplicate,
                duplicate_elsewhere=elsewhere,
            )
        )
    return rows


def _visible_household(request: HtmxHttpRequest, pk: int) -> Household:
    return get_object_or_404(household_detail_queryset(viewer=request.user), pk=pk)


@registry_page
@require_safe
def household_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Trang hộ: details, flags, members, events, and the actions the viewer may take."""
    household = _visible_household(request, pk)
    personal = can_see_personal_ids(request.user)
    can_edit = edit_refusal(request.user, household.territory) is None
    context = {
        "household": household,
        "flags": _flag_labels(household),
        "members": _member_rows(request.user, household, personal=personal),
        "events": household_events(household=household)[:100],
        "personal": personal,
        "can_edit": can_edit,
        "is_active": household.status == HouseholdStatus.ACTIVE,
    }
    return render(request, "registry/household_detail.html", context)


@registry_page
@require_safe
def household_history(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Lịch sử thay đổi: every audit event on the household and its members, newest first."""
    household = _visible_household(request, pk)
    events = household_audit_events(viewer=request.user, household=household)
    rows = history_rows(events, personal=can_see_personal_ids(request.user))
    return render(request, "registry/household_history.html", {"household": household, "rows": rows})


# --- Forms --------------------------------------------------------------------------------------------


def _form_page(
    request: HtmxHttpRequest,
    form: Any,
    *,
    title: str,
    submit: str,
    household: Household | None = None,
    member: Member | None = None,
    lead: str = "",
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "submit": submit,
        "household": household,
        "member": member,
        "lead": lead,
        "relations": registry_forms.RELATION_SUGGESTIONS,
    }
    return render(request, "registry/form.html", context)


def _editable(request: HtmxHttpRequest, household: Household) -> HttpResponse | None:
    """The refusal page if the viewer may not change this household, or ``None``."""
    reason = edit_refusal(request.user, household.territory)
    if reason is not None:
        return refused(request, reason)
    if household.status != HouseholdStatus.ACTIVE:
        return refused(
            request,
            _("Hộ {code} không còn sinh sống ({status}); chỉ xem được lịch sử.").format(
                code=household.code, status=household.get_status_display()
            ),
            status=409,
        )
    return None


def _done(request: HttpRequest, household: Household, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("registry:detail", pk=household.pk)


@registry_page
@require_http_methods(["GET", "HEAD", "POST"])
def household_create(request: HtmxHttpRequest) -> HttpResponse:
    """Lập hộ mới, in a commune (and village) of the viewer's territory."""
    reason = _edit_anywhere_refusal(request.user)
    if reason is not None:
        return refused(request, reason)
    form = registry_forms.HouseholdCreateForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = call_service(
            form,
            lambda: services.household_create(
                commune=data["commune"],
                code=data["code"],
                area=data["area"] or None,
                actor=request.user,
                **form.household_values(),
            ),
        )
        if household is not None:
            return _done(request, household, _("Đã lập hộ {code}.").format(code=household.code))
    return _form_page(request, form, title=_("Lập hộ mới"), submit=_("Lập hộ"))


@registry_page
@require_http_methods(["GET", "HEAD", "POST"])
def household_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Sửa thông tin hộ, refused if someone else saved in between (optimistic locking)."""
    household = _visible_household(request, pk)
    refusal = _editable(request, household)
    if refusal is not None:
        return refusal
    form = registry_forms.HouseholdEditForm(request.POST or None, viewer=request.user, household=household)
    if request.method == "POST" and form.is_valid():
        updated = call_service(
            form,
            lambda: services.household_update(
                household=household,
                expected_version=form.cleaned_data["version"],
                actor=request.user,
                **form.changes(),
            ),
        )
        if updated is not None:
            return _done(request, updated, _("Đã lưu thông tin hộ {code}.").format(code=updated.code))
    return _form_page(request, form, title=_("Sửa thông tin hộ"), submit=_("Lưu"), household=household)


@registry_page
@require_http_methods(["GET", "HEAD", "POST"])
def member_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Thêm nhân khẩu vào hộ."""
    household = _visible_household(request, pk)
    refusal = _editable(request, household)
    if refusal is not None:
        return refusal
    initial = {} if household.head_id else {"is_head": True, "relation_to_head": "Chủ hộ"}
    form = registry_forms.MemberAddForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = call_service(
            form,
            lambda: services.member_add(
                household=household,
                full_name=data["full_name"],
                sex=data["sex"],
                date_of_birth=data["date_of_birth"],
                ethnicity=data["ethnicity"],
                citizen_id=data["citizen_id"] or None,
                relation_to_head=data["relation_to_head"],
                is_head=data["is_head"],
                actor=request.user,
            ),
        )
        if member is not None:
            _warn_duplicate_citizen_id(request, member)
            return _done(request, household, _("Đã thêm {name} vào hộ.").format(name=member.full_name))
    return _form_page(
        request, form, title=_("Thêm nhân khẩu"), submit=_("Thêm nhân khẩu"), household=household
    )


def _warn_duplicate_citizen_id(request: HtmxHttpRequest, member: Member) -> None:
    """A warning if the member's citizen ID is recorded for another member too (not refused)."""
    if (
        member.citizen_id
        and citizen_id_duplicates(
            viewer=request.user, citizen_id=member.citizen_id, exclude_member=member
        ).exists
    ):
        messages.warning(
            request,
            _("Số định danh của {name} đã có ở một nhân khẩu khác; hãy kiểm tra lại.").format(
                name=member.full_name
            ),
        )


@dataclass(frozen=True)
class SavedValue:
    label: str
    value: str


def _saved_values(member: Member, *, personal: bool) -> list[SavedValue]:
    """What is saved now for ``member``: shown next to a stale form so that the user can compare."""
    values = [
        SavedValue(_("Họ và tên"), member.full_name),
        SavedValue(_("Giới tính"), member.get_sex_display()),
    ]
    if personal:
        born = member.date_of_birth.strftime("%d/%m/%Y") if member.date_of_birth else "—"
        values += [
            SavedValue(_("Ngày sinh"), born),
            SavedValue(_("Số định danh cá nhân"), member.citizen_id or "—"),
        ]
    ethnicity = Ethnicity(member.ethnicity).label if member.ethnicity in Ethnicity.values else "—"
    values += [
        SavedValue(_("Dân tộc"), str(ethnicity)),
        SavedValue(_("Quan hệ với chủ hộ"), member.relation_to_head or "—"),
    ]
    return values


@registry_page
@require_http_methods(["GET", "HEAD", "POST"])
def member_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Sửa thông tin nhân khẩu (name, sex, date of birth, ethnicity, citizen ID, relation to the head).

    Optimistic locking on the household's version: if someone changed the household or its members
    since the form was opened, the save is refused with a message, the user's input stays in the form,
    the saved values are shown beside it, and the form now carries the current version, so that saving
    again (after checking) applies the user's input.
    """
    member = _visible_member(request, pk)
    household = member.household
    refusal = _editable(request, household)
    if refusal is not None:
        return refusal
    personal = can_see_personal_ids(request.user)
    form = registry_forms.MemberEditForm(
        request.POST or None, member=member, household=household, personal=personal
    )
    saved: list[SavedValue] = []
    stale = False
    if request.method == "POST":
        if form.is_valid() and not form.has_edits():
            messages.info(request, _("Không có thay đổi nào để lưu."))
            return redirect("registry:detail", pk=household.pk)
        if form.is_valid():
            try:
                updated = services.member_update(
                    member=member,
                    expected_version=form.cleaned_data["version"],
                    actor=request.user,
                    **form.changes(),
                )
            except ValidationError as error:
                add_service_error(form, error)
                stale = getattr(error, "code", None) == "stale"
            else:
                _warn_duplicate_citizen_id(request, updated)
                return _done(
                    request, household, _("Đã lưu thông tin của {name}.").format(name=updated.full_name)
                )
        if stale or form.has_error(NON_FIELD_ERRORS, "stale"):
            household.refresh_from_db(fields=["version"])
            data = request.POST.copy()
            data["version"] = str(household.version)
            data["household"] = str(household.pk)
            form.data = data  # rendered with the user's input and the current version
            saved = _saved_values(member, personal=personal)
    context = {
        "form": form,
        "title": _("Sửa thông tin nhân khẩu"),
        "submit": _("Lưu"),
        "household": household,
        "member": member,
        "lead": "",
        "relations": registry_forms.RELATION_SUGGESTIONS,
        "saved": saved,
    }
    return render(request, "registry/form.html", context)


@registry_page
@require_http_methods(["GET", "HEAD", "POST"])
def household_set_head(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Đổi chủ hộ: choose among the present members."""
    household = _visible_household(request, pk)
    refusal = _editable(request, household)
    if refusal is not None:
        return refusal
    form = registry_forms.SetHeadForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        done = call_service(
            form,
            lambda: services.household_set_head(household=household, member=member, actor=request.user),
        )
        if done is not None:
            return _done(request, household, _("{name} là chủ hộ.").format(name=member.full_name))
    return _form_page(request, form, title=_("Đổi chủ hộ"), submit=_("Lưu"), household=household)


@registry_page
@require_http_methods(["GET", "HEAD", "POST"])
def household_split(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Tách hộ: chosen members leave to form a new household with a new code and head."""
    household = _visible_household(request, pk)
    refusal = _editable(request, household)
    if refusal is not None:
        return refusal
    form = registry_forms.HouseholdSplitForm(request.POST or None, viewer=request.user, household=household)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = call_service(
            form,
            lambda: services.household_split(
                household=household,
                members=list(data["members"]),
                new_head=data["new_head"],
                new_code=data["new_code"],
                village=data["village"],
                address=data["address"],
                note=data["note"],
                actor=request.user,
            ),
        )
        if new is not None:
            return _done(
                request, new, _("Đã tách hộ {code} từ hộ {old}.").format(code=new.code, old=household.code)
            )
    return _form_page(
        request,
        form,
        title=_("Tách hộ"),
        submit=_("Tách hộ"),
        household=household,
        lead=_("Những người được chọn rời hộ này để lập một hộ mới; phải còn ít nhất một người ở lại."),
    )


@registry_page
@require_http_methods(["GET", "HEAD", "POST"])
def household_merge(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Nhập hộ: this household's members join another household of the commune."""
    household = _visible_household(request, pk)
    refusal = _editable(request, household)
    if refusal is not None:
        return refusal
    form = registry_forms.HouseholdMergeForm(request.POST or None, viewer=request.user, household=household)
    if request.method == "POST" and form.is_valid():
        into = form.other
        assert into is not None
        done = call_service(
            form,
            lambda: services.household_merge(
                household=household, into=into, note=form.cleaned_data["note"], actor=request.user
            ),
        )
        if done is not None:
            return _done(
                request,
                done,
                _("Đã nhập hộ {code} vào hộ {into}.").format(code=household.code, into=done.code),
            )
    return _form_page(
        request,
        form,
        title=_("Nhập hộ"),
        submit=_("Nhập hộ"),
        household=household,
        lead=_(
            "Mọi nhân khẩu đang ở trong hộ này chuyển sang hộ kia; hộ này được giữ lại "
            "với tình trạng “đã nhập”."
        ),
    )


@registry_page
@require_http_methods(["GET", "HEAD", "POST"])
def household_moved_out(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Ghi nhận cả hộ chuyển đi khỏi xã."""
    household = _visible_household(request, pk)
    refusal = _editable(request, household)
    if refusal is not None:
        return refusal
    form = registry_forms.HouseholdMovedOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            lambda: services.household_record_moved_out(
                household=household,
                date=form.cleaned_data["date"],
                note=form.cleaned_data["note"],
                actor=request.user,
            ),
        )
        if done is not None:
            return _done(
                request, household, _("Đã ghi nhận hộ {code} chuyển đi.").format(code=household.code)
            )
    return _form_page(
        request, form, title=_("Ghi nhận hộ chuyển đi"), submit=_("Ghi nhận"), household=household
    )


def _visible_member(request: HtmxHttpRequest, pk: int) -> Member:
    return get_object_or_404(members_visible_to(request.user), pk=pk)


def _member_action(request: HtmxHttpRequest, pk: int) -> tuple[Member, Household, HttpResponse | None]:
    member = _visible_member(request, pk)
    household = member.household
    refusal = _editable(request, household)
    if refusal is None and member.status != MemberStatus.PRESENT:
        refusal = refused(
            request,
            _("{name} không còn ở trong hộ ({status}).").format(
                name=member.full_name, status=member.get_status_display()
            ),
            status=409,
        )
    return member, household, refusal


@registry_page
@require_http_methods(["GET", "HEAD", "POST"])
def member_move(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Chuyển nhân khẩu sang một hộ khác cùng xã (tìm theo mã hộ)."""
    member, household, refusal = _member_action(request, pk)
    if refusal is not None:
        return refusal
    form = registry_forms.MemberMoveForm(request.POST or None, viewer=request.user, household=household)
    if request.method == "POST" and form.is_valid():
        to = form.other
        assert to is not None
        done = call_service(
            form,
            lambda: services.member_move(
                member=member,
                to_household=to,
                relation_to_head=form.cleaned_data["relation_to_head"],
                note=form.cleaned_data["note"],
                actor=request.user,
            ),
        )
        if done is not None:
            return _done(
                request,
                household,
                _("Đã chuyển {name} sang hộ {code}.").format(name=member.full_name, code=to.code),
            )
    return _form_page(
        request,
        form,
        title=_("Chuyển nhân khẩu sang hộ khác"),
        submit=_("Chuyển"),
        household=household,
        member=member,
    )


@registry_page
@require_http_methods(["GET", "HEAD", "POST"])
def member_death(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Ghi nhận nhân khẩu qua đời."""
    member, household, refusal = _member_action(request, pk)
    if refusal is not None:
        return refusal
    form = registry_forms.MemberDeathForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            lambda: services.member_record_death(
                member=member,
                date=form.cleaned_data["date"],
                note=form.cleaned_data["note"],
                actor=request.user,
            ),
        )
        if done is not None:
            return _done(request, household, _("Đã ghi nhận {name} qua đời.").format(name=member.full_name))
    return _form_page(
        request,
        form,
        title=_("Ghi nhận nhân khẩu qua đời"),
        submit=_("Ghi nhận"),
        household=household,
        member=member,
    )


@registry_page
@require_http_methods(["GET", "HEAD", "POST"])
def member_migration(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Ghi nhận nhân khẩu di cư (chuyển đi khỏi địa bàn)."""
    member, household, refusal = _member_action(request, pk)
    if refusal is not None:
        return refusal
    form = registry_forms.MemberMigrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = call_service(
            form,
            lambda: services.member_record_migration(
                member=member,
                date=data["date"],
                destination=data["destination"],
                note=data["note"],
                actor=request.user,
            ),
        )
        if done is not None:
            return _done(request, household, _("Đã ghi nhận {name} chuyển đi.").format(name=member.full_name))
    return _form_page(
        request,
        form,
        title=_("Ghi nhận nhân khẩu di cư"),
        submit=_("Ghi nhận"),
        household=household,
        member=member,
    )
