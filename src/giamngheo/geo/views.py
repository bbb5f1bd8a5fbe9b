"""Pages of the administrative map (địa bàn), mounted at ``/dia-ban/`` (namespace ``geo``).

Everyone signed in reads the units and villages of their territory (``accounts.selectors``); a
unit or village outside it is a 404. Adding, renaming and closing a village is for those who may
edit the commune (``accounts.permissions.edit_refusal``: commune and province officers, system
administrators); anyone else gets a 403 page with the reason. Views parse, call one service, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from giamngheo.accounts.models import User
from giamngheo.accounts.permissions import edit_refusal, ensure_can_edit
from giamngheo.geo import selectors
from giamngheo.geo.forms import VillageCloseForm, VillageCreateForm, VillageUpdateForm, add_service_error
from giamngheo.geo.models import AdminUnit, Level, Village
from giamngheo.geo.services import NOT_GIVEN, village_close, village_create, village_update


class AuthenticatedRequest(HttpRequest):
    user: User


def _commune_or_404(viewer: User, code: str) -> AdminUnit:
    commune = selectors.visible_unit(viewer, level=Level.COMMUNE, code=code)
    if commune is None:
        raise Http404(_("Không có xã, phường mã {code} trong địa bàn của bạn.").format(code=code))
    return commune


def _village_or_404(viewer: User, pk: int) -> Village:
    village = selectors.visible_village(viewer, pk)
    if village is None:
        raise Http404(_("Không có thôn này trong địa bàn của bạn."))
    return village


def _visible_province(viewer: User, unit: AdminUnit) -> AdminUnit | None:
    """The 2025 province of ``unit`` if the viewer sees the whole province (for the breadcrumb)."""
    return selectors.provinces_visible_to(viewer).filter(code=unit.province_code).first()


@login_required
@require_safe
def index(request: AuthenticatedRequest) -> HttpResponse:
    """Địa bàn: one province → its page; several → the list; none (a commune's staff) → the communes."""
    provinces = list(selectors.provinces_visible_to(request.user))
    if len(provinces) == 1:
        return redirect("geo:province", code=provinces[0].code)
    if provinces:
        return render(request, "geo/province_list.html", {"provinces": provinces})
    rows = selectors.commune_rows(request.user)
    return render(request, "geo/commune_list.html", {"rows": rows, "province": None})


@login_required
@require_safe
def province_detail(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """The communes of a 2025 province: name, type, area, number of villages, former communes."""
    province = selectors.visible_unit(request.user, level=Level.PROVINCE, code=code)
    if province is None:
        raise Http404(_("Không có tỉnh mã {code} trong địa bàn của bạn.").format(code=code))
    rows = selectors.commune_rows(request.user, province=province)
    several = selectors.provinces_visible_to(request.user)[:2].count() > 1
    return render(
        request, "geo/commune_list.html", {"rows": rows, "province": province, "several_provinces": several}
    )


@login_required
@require_safe
def commune_detail(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """A 2025 commune: its former communes and its villages with their validity and former commune;
    forms for editors."""
    commune = _commune_or_404(request.user, code)
    can_edit = edit_refusal(request.user, commune) is None
    context = {
        "commune": commune,
        "province": _visible_province(request.user, commune),
        "predecessors": selectors.commune_predecessor_list(request.user, commune),
        "villages": list(selectors.villages_of(request.user, commune)),
        "can_edit": can_edit,
        "form": VillageCreateForm(commune=commune) if can_edit else None,
    }
    return render(request, "geo/commune_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def village_add(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """Thêm thôn: the form (GET) and its submission (POST); back to the commune page when saved."""
    commune = _commune_or_404(request.user, code)
    ensure_can_edit(request.user, commune)
    form = VillageCreateForm(request.POST if request.method == "POST" else None, commune=commune)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            village = village_create(
                commune=commune,
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                valid_from=data["valid_from"],
                former_commune=data.get("former_commune"),  # absent when the commune has none
                actor=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Đã thêm {name}.").format(name=village.name))
            return redirect("geo:commune", code=commune.code)
    return _form_page(request, form, commune=commune, title=_("Thêm thôn, tổ dân phố"), submit=_("Thêm thôn"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def village_rename(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Đổi tên thôn (and its kind and former commune)."""
    village = _village_or_404(request.user, pk)
    ensure_can_edit(request.user, village.commune)
    form = VillageUpdateForm(request.POST if request.method == "POST" else None, village=village)
    if request.method == "POST" and form.is_valid():
        try:
            village_update(
                village=village,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                # absent (kept as it is) when the commune has no former commune to choose from
                former_commune=form.cleaned_data.get("former_commune", NOT_GIVEN),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Đã lưu {name}.").format(name=village.name))
            return redirect("geo:commune", code=village.commune.code)
    return _form_page(
        request,
        form,
        commune=village.commune,
        village=village,
        title=_("Đổi tên {name}").format(name=village.name),
        submit=_("Lưu"),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def village_close_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Đóng thôn: refused while active households still belong to it (the reason is shown)."""
    village = _village_or_404(request.user, pk)
    ensure_can_edit(request.user, village.commune)
    form = VillageCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            village_close(village=village, valid_to=form.cleaned_data["valid_to"], actor=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Đã đóng {name}.").format(name=village.name))
            return redirect("geo:commune", code=village.commune.code)
    return _form_page(
        request,
        form,
        commune=village.commune,
        village=village,
        title=_("Đóng {name}").format(name=village.name),
        submit=_("Đóng thôn"),
        lead=_(
            "Thôn đã đóng vẫn giữ lịch sử của các hộ từng thuộc thôn, nhưng không nhận hộ mới. "
            "Chỉ đóng được khi không còn hộ nào đang sinh sống thuộc thôn."
        ),
    )


def _form_page(
    request: AuthenticatedRequest,
    form: VillageCreateForm | VillageUpdateForm | VillageCloseForm,
    *,
    commune: AdminUnit,
    title: str,
    submit: str,
    village: Village | None = None,
    lead: str = "",
) -> HttpResponse:
    context = {
        "form": form,
        "commune": commune,
        "province": _visible_province(request.user, commune),
        "village": village,
        "title": title,
        "submit": submit,
        "lead": lead,
    }
    return render(request, "geo/village_form.html", context)
