"""Pages of a unit's agencies (cơ quan, đơn vị): the list with aliases and successors, add and edit, the
starting list from the catalogue ("Tạo danh sách cơ quan mẫu") and the users who work for an agency.

The unit is in the query string (``?don_vi=tinh-51``, ``huyen-614`` …); a unit or agency outside the
viewer's territory is a 404. Province and commune officers of the unit and administrators change the
list (``planning.permissions.plan_edit_refusal``); everyone else reads it.
"""

from __future__ import annotations

from typing import Any, Final

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from giamngheo.accounts.models import User
from giamngheo.accounts.selectors import sees_everything
from giamngheo.geo.models import AdminUnit
from giamngheo.planning import forms as pf
from giamngheo.planning.models import Agency
from giamngheo.planning.permissions import plan_edit_refusal
from giamngheo.planning.selectors import agencies_visible_to, plan_units_visible_to, plans_visible_to
from giamngheo.planning.services import agencies as services
from giamngheo.planning.services.plans import plan_units_editable_by, unit_by_key, unit_key, unit_label
from giamngheo.site.forms import add_service_error

MAX_CHOOSER_UNITS: Final = 600


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


def _unit(request: HttpRequest) -> AdminUnit:
    key = request.GET.get("don_vi", "")
    unit = unit_by_key(key, plan_units_visible_to(_user(request))) if key else None
    if unit is None:
        raise Http404(_("Không có đơn vị này trong địa bàn của bạn."))
    return unit


def _editable(request: HttpRequest, unit: AdminUnit) -> None:
    refusal = plan_edit_refusal(_user(request), unit)
    if refusal is not None:
        raise PermissionDenied(refusal)


def _agency(request: HttpRequest, pk: int) -> Agency:
    agency = agencies_visible_to(_user(request)).select_related("unit", "unit__parent").filter(pk=pk).first()
    if agency is None:
        raise Http404(_("Không có cơ quan này trong địa bàn của bạn."))
    return agency


def _list_url(unit: AdminUnit) -> str:
    return f"{reverse('planning:agencies')}?don_vi={unit_key(unit)}"


def _chooser_units(user: User) -> list[AdminUnit]:
    """Units to choose from: those with agencies or plans the user sees, and those they may edit
    (unless that is the whole country: an administrator opens a unit from its plan)."""
    ids = set(agencies_visible_to(user).values_list("unit_id", flat=True))
    ids |= set(plans_visible_to(user).values_list("unit_id", flat=True))
    if not sees_everything(user):
        ids |= set(plan_units_editable_by(user).values_list("pk", flat=True)[:MAX_CHOOSER_UNITS])
    return list(
        AdminUnit.objects.filter(pk__in=ids)
        .select_related("parent", "parent__parent")
        .order_by("generation", "-level", "name")
    )


@login_required
@require_GET
def agencies(request: HttpRequest) -> HttpResponse:
    """/ke-hoach/co-quan/?don_vi=<unit>: the unit's agencies; without a unit, a chooser."""
    user = _user(request)
    if not request.GET.get("don_vi"):
        units = _chooser_units(user)
        return render(
            request,
            "planning/agencies/choose.html",
            {"form": pf.UnitChooserForm(units=units), "has_units": bool(units)},
        )
    unit = _unit(request)
    can_edit = plan_edit_refusal(user, unit) is None
    rows = list(services.agencies_of_unit(unit))
    return render(
        request,
        "planning/agencies/list.html",
        {
            "unit": unit,
            "unit_label": unit_label(unit),
            "unit_key": unit_key(unit),
            "rows": rows,
            "can_edit": can_edit,
            "seed_count": len(services.seeds_for(unit)),
        },
    )


def _agency_form_page(request: HttpRequest, unit: AdminUnit, agency: Agency | None) -> HttpResponse:
    """The form to add an agency to ``unit``'s list (``agency`` is ``None``) or to change ``agency``."""
    user = _user(request)
    _editable(request, unit)
    others = Agency.objects.filter(unit=unit)
    if agency is not None:
        others = others.exclude(pk=agency.pk)
    successors = list(others.order_by("name"))

    def save(**values: Any) -> Agency:
        if agency is None:
            return services.agency_create(unit=unit, **values)
        return services.agency_update(agency=agency, **values)

    if request.method == "POST":
        form = pf.AgencyForm(request.POST, successors=successors)
        if form.is_valid():
            data = form.cleaned_data
            try:
                save(
                    actor=user,
                    name=data["name"],
                    kind=data.get("kind") or "",
                    aliases=form.alias_list(),
                    successor=next((a for a in successors if a.pk == data.get("successor")), None),
                    valid_to=data.get("valid_to"),
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Đã lưu cơ quan.") if agency else _("Đã thêm cơ quan."))
                return redirect(_list_url(unit))
    else:
        form = pf.AgencyForm(initial=pf.agency_initial(agency) if agency else None, successors=successors)
    return render(
        request,
        "planning/agencies/form.html",
        {
            "form": form,
            "unit": unit,
            "unit_label": unit_label(unit),
            "list_url": _list_url(unit),
            "title": _("Sửa cơ quan") if agency else _("Thêm cơ quan"),
            "agency": agency,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_add(request: HttpRequest) -> HttpResponse:
    """/ke-hoach/co-quan/them/?don_vi=<unit>: add an agency to the unit's list."""
    return _agency_form_page(request, _unit(request), None)


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """/ke-hoach/co-quan/<pk>/sua/: change an agency."""
    agency = _agency(request, pk)
    return _agency_form_page(request, agency.unit, agency)


@login_required
@require_POST
def agencies_seed(request: HttpRequest) -> HttpResponse:
    """POST /ke-hoach/co-quan/mau/?don_vi=<unit>: add the unit's usual agencies that are missing."""
    unit = _unit(request)
    _editable(request, unit)
    created = services.agencies_seed(unit=unit, actor=_user(request))
    if created:
        messages.success(
            request,
            ngettext("Đã thêm {count} cơ quan mẫu.", "Đã thêm {count} cơ quan mẫu.", len(created)).format(
                count=len(created)
            ),
        )
    else:
        messages.info(request, _("Danh sách đã có đủ các cơ quan mẫu; không thêm gì."))
    return redirect(_list_url(unit))


@login_required
@require_http_methods(["GET", "POST"])
def agency_members(request: HttpRequest, pk: int) -> HttpResponse:
    """/ke-hoach/co-quan/<pk>/can-bo/: which agency viewers of the territory work for the agency."""
    user = _user(request)
    agency = _agency(request, pk)
    _editable(request, agency.unit)
    candidates = services.member_candidates(agency)
    current = list(agency.members.values_list("user_id", flat=True))
    if request.method == "POST":
        form = pf.AgencyMembersForm(request.POST, candidates=candidates)
        if form.is_valid():
            chosen = [u for u in candidates if u.pk in set(form.cleaned_data["users"])]
            try:
                services.agency_members_set(agency=agency, users=chosen, actor=user)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Đã lưu cán bộ của cơ quan."))
                return redirect(_list_url(agency.unit))
    else:
        form = pf.AgencyMembersForm(initial={"users": current}, candidates=candidates)
    return render(
        request,
        "planning/agencies/members.html",
        {
            "form": form,
            "agency": agency,
            "unit_label": unit_label(agency.unit),
            "list_url": _list_url(agency.unit),
            "has_candidates": bool(candidates),
        },
    )


__all__ = ["agencies", "agencies_seed", "agency_add", "agency_edit", "agency_members"]
