"""Pages of jobs matching (kết nối việc làm): job seekers, job openings, ranked matches, placements and
the placement rate.

Views parse the request, read and write through ``support.services.jobs``. Who may open what:

- job seekers (their list, page, registration form) and placements are personal data of households: a
  leader or a user without a registry role gets a 403 page with the reason
  (``registry.permissions.registry_refusal``); a seeker outside the viewer's territory is a 404;
- job openings are public facts of a province: every role reads the openings of its provinces (and
  those abroad), leaders included; an opening's ranked seekers are shown only to roles that read
  household lists; posting an opening needs the right to edit its commune or province;
- the placement rate is an aggregate: every role may read it for its territory.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from giamngheo.accounts.models import User
from giamngheo.accounts.permissions import edit_refusal
from giamngheo.accounts.selectors import province_codes_visible_to, sees_everything
from giamngheo.geo.models import AdminUnit, Generation, Level
from giamngheo.registry.forms import CommuneChoiceField, commune_filter
from giamngheo.registry.models import Household, Member
from giamngheo.registry.permissions import registry_refusal
from giamngheo.registry.selectors import communes_visible_to, households_visible_to
from giamngheo.site.forms import DateField, call_service
from giamngheo.site.lists import list_response, paginated
from giamngheo.site.pages import HtmxHttpRequest, guarded, refusal_page
from giamngheo.support.history import latest_approved_class
from giamngheo.support.models import JobOpening, JobSeeker, OpeningStatus, SeekerStatus
from giamngheo.support.selectors import openings_visible_to, seekers_visible_to
from giamngheo.support.services import jobs as services
from giamngheo.support.services.helpers import class_label

#: The page that says why something is refused (403 unless told), in Vietnamese.
refused = refusal_page("registry/refused.html")


def aggregate_refusal(viewer: Any) -> str | None:
    """Why ``viewer`` may read nothing of the jobs pages (no role, locked account), or ``None``."""
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return _("Hãy đăng nhập.")
    if not viewer.is_active:
        return _("Tài khoản của bạn đã bị khóa.")
    if not viewer.role and not sees_everything(viewer):
        return _("Tài khoản của bạn chưa được gán vai trò.")
    return None


def _household_data_refusal(request: HttpRequest) -> str | None:
    return registry_refusal(request.user)


def _any_role_refusal(request: HttpRequest) -> str | None:
    return aggregate_refusal(request.user)


#: A page with personal data of households: leaders and users without a registry role get a 403.
household_page = guarded(_household_data_refusal, refused)
#: A page every role may read for its territory (openings, the placement rate).
any_role_page = guarded(_any_role_refusal, refused)


def _wage_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, localize=True)


def _search_field(placeholder: Any) -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Tìm kiếm (có dấu hoặc không dấu)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": placeholder, "autocomplete": "off"}),
    )


# --- Job seekers ----------------------------------------------------------------------------------------


class SeekerFilterForm(forms.Form):
    q = _search_field(gettext_lazy("Ví dụ: nguyen van, may"))
    status = forms.ChoiceField(
        label=gettext_lazy("Tình trạng"),
        required=False,
        choices=[("", gettext_lazy("Tất cả")), *SeekerStatus.choices],
    )
    commune = commune_filter()

    def __init__(self, data: Any = None, *, viewer: User) -> None:
        super().__init__(data)
        commune = self.fields["commune"]
        assert isinstance(commune, CommuneChoiceField)
        commune.queryset = communes_visible_to(viewer)

    def values(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {"query": "", "status": "", "commune": None}
        data = self.cleaned_data
        return {"query": data["q"], "status": data["status"], "commune": data["commune"]}


@household_page
@require_safe
def seeker_list(request: HtmxHttpRequest) -> HttpResponse:
    """Người tìm việc: the viewer's job seekers, searched with or without diacritics, 50 per page."""
    form = SeekerFilterForm(request.GET or None, viewer=request.user)
    values = form.values()
    context = {
        "form": form,
        **paginated(request, services.seeker_list(viewer=request.user, **values)),
        "searching": bool(values["query"].strip()),
    }
    return list_response(
        request, context, page="support/jobs/seekers.html", table="support/jobs/_seekers_table.html"
    )


class HouseholdPickForm(forms.Form):
    """Step one of registering a job seeker: find the household by its code."""

    commune = commune_filter()
    code = forms.CharField(label=gettext_lazy("Mã hộ"), max_length=32)

    def __init__(self, data: Any = None, *, viewer: User) -> None:
        super().__init__(data)
        self.viewer = viewer
        commune = self.fields["commune"]
        assert isinstance(commune, CommuneChoiceField)
        commune.queryset = communes_visible_to(viewer)

    def household(self) -> Household | None:
        """The one visible household with this code (in the commune, if chosen), or ``None`` with an error
        on the form."""
        if not self.is_valid():
            return None
        households = households_visible_to(self.viewer).filter(code__iexact=self.cleaned_data["code"].strip())
        if self.cleaned_data["commune"] is not None:
            households = households.filter(commune=self.cleaned_data["commune"])
        found = list(households[:2])
        if len(found) == 1:
            return found[0]
        if not found:
            self.add_error("code", _("Không tìm thấy hộ có mã này trên địa bàn của bạn."))
        else:
            self.add_error("commune", _("Có nhiều hộ cùng mã này; hãy chọn xã."))
        return None


class SeekerForm(forms.Form):
    member = forms.ModelChoiceField(
        label=gettext_lazy("Người lao động"), queryset=Member.objects.none(), empty_label=None
    )
    skills = forms.CharField(
        label=gettext_lazy("Kỹ năng"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy("Cách nhau bằng dấu phẩy, ví dụ: may mặc, lái xe, chăn nuôi."),
    )
    training = forms.CharField(label=gettext_lazy("Trình độ, đào tạo"), required=False, max_length=255)
    wishes = forms.CharField(
        label=gettext_lazy("Nguyện vọng"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    wants_abroad = forms.BooleanField(label=gettext_lazy("Muốn đi làm việc ở nước ngoài"), required=False)
    desired_wage = _wage_field(gettext_lazy("Mức lương mong muốn (đồng/tháng)"))

    def __init__(
        self, data: Any = None, *, household: Household | None, seeker: JobSeeker | None = None
    ) -> None:
        initial: dict[str, Any] = {}
        if seeker is not None:
            initial = {
                "skills": ", ".join(seeker.skills),
                "training": seeker.training,
                "wishes": seeker.wishes,
                "wants_abroad": seeker.wants_abroad,
                "desired_wage": int(seeker.desired_wage) if seeker.desired_wage is not None else None,
            }
        super().__init__(data, initial=initial)
        if household is None:
            del self.fields["member"]
        else:
            member = self.fields["member"]
            assert isinstance(member, forms.ModelChoiceField)
            member.queryset = services.eligible_members(household=household)


def _form_page(request: HttpRequest, form: forms.Form, **context: Any) -> HttpResponse:
    return render(request, "support/jobs/form.html", {"form": form, **context})


@household_page
@require_http_methods(["GET", "HEAD", "POST"])
def seeker_add(request: HtmxHttpRequest) -> HttpResponse:
    """Đăng ký người tìm việc: find the household (by code), then choose the member and fill in the rest."""
    household_pk = request.GET.get("ho", "")
    if not household_pk.isdigit():
        pick = HouseholdPickForm(request.GET if "code" in request.GET else None, viewer=request.user)
        if pick.is_bound:
            found = pick.household()
            if found is not None:
                return redirect(f"{reverse('support:seeker_add')}?ho={found.pk}")
        return render(request, "support/jobs/seeker_pick.html", {"form": pick})
    household = get_object_or_404(
        households_visible_to(request.user).select_related("commune", "village", "head"), pk=int(household_pk)
    )
    reason = edit_refusal(request.user, household.territory)
    if reason is not None:
        return refused(request, reason)
    klass = latest_approved_class(household)
    form = SeekerForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        seeker = call_service(
            form,
            lambda: services.job_seeker_save(
                member=data["member"],
                skills=data["skills"],
                training=data["training"],
                wishes=data["wishes"],
                wants_abroad=data["wants_abroad"],
                desired_wage=data["desired_wage"],
                actor=request.user,
            ),
        )
        if seeker is not None:
            warning = services.seeker_age_warning(seeker.member)
            if warning:
                messages.warning(request, warning)
            messages.success(
                request, _("Đã đăng ký tìm việc cho {name}.").format(name=seeker.member.full_name)
            )
            return redirect("support:seeker_detail", pk=seeker.pk)
    return _form_page(
        request,
        form,
        title=_("Đăng ký người tìm việc"),
        submit=_("Đăng ký"),
        household=household,
        klass=class_label(klass),
        eligible_class=klass in services.SEEKER_CLASSES,
        cancel=reverse("support:seekers"),
    )


def _visible_seeker(request: HtmxHttpRequest, pk: int) -> JobSeeker:
    return get_object_or_404(
        seekers_visible_to(request.user).select_related(
            "member", "household", "household__village", "household__head", "commune"
        ),
        pk=pk,
    )


@household_page
@require_safe
def seeker_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Trang người tìm việc: the seeker, their placements and the openings that suit them best."""
    seeker = _visible_seeker(request, pk)
    today = timezone.localdate()
    can_edit = edit_refusal(request.user, seeker.household.territory) is None
    context = {
        "seeker": seeker,
        "placements": services.seeker_placements(viewer=request.user, seeker=seeker),
        "matches": services.openings_for_seeker(viewer=request.user, seeker=seeker, today=today)
        if seeker.status == SeekerStatus.SEEKING
        else [],
        "can_edit": can_edit,
        "is_seeking": seeker.status == SeekerStatus.SEEKING,
    }
    return render(request, "support/jobs/seeker_detail.html", context)


@household_page
@require_http_methods(["GET", "HEAD", "POST"])
def seeker_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Sửa hồ sơ người tìm việc (skills, training, wishes, wage)."""
    seeker = _visible_seeker(request, pk)
    reason = edit_refusal(request.user, seeker.household.territory)
    if reason is not None:
        return refused(request, reason)
    form = SeekerForm(request.POST or None, household=None, seeker=seeker)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = call_service(
            form,
            lambda: services.job_seeker_save(
                member=seeker.member,
                skills=data["skills"],
                training=data["training"],
                wishes=data["wishes"],
                wants_abroad=data["wants_abroad"],
                desired_wage=data["desired_wage"],
                actor=request.user,
                seeker=seeker,
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu hồ sơ của {name}.").format(name=seeker.member.full_name))
            return redirect("support:seeker_detail", pk=seeker.pk)
    return _form_page(
        request,
        form,
        title=_("Sửa hồ sơ người tìm việc"),
        submit=_("Lưu"),
        household=seeker.household,
        lead=seeker.member.full_name,
        cancel=reverse("support:seeker_detail", args=[seeker.pk]),
    )


# --- Job openings ---------------------------------------------------------------------------------------


class OpeningFilterForm(forms.Form):
    q = _search_field(gettext_lazy("Ví dụ: may, cong nhan, nhat ban"))
    status = forms.ChoiceField(
        label=gettext_lazy("Tình trạng"),
        required=False,
        choices=[("", gettext_lazy("Tất cả")), *OpeningStatus.choices],
    )
    where = forms.ChoiceField(
        label=gettext_lazy("Nơi làm việc"),
        required=False,
        choices=[
            ("", gettext_lazy("Tất cả")),
            ("trong-nuoc", gettext_lazy("Trong nước")),
            ("nuoc-ngoai", gettext_lazy("Nước ngoài (xuất khẩu lao động)")),
        ],
    )

    def values(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {"query": "", "status": "", "abroad": None}
        data = self.cleaned_data
        abroad = {"trong-nuoc": False, "nuoc-ngoai": True}.get(data["where"])
        return {"query": data["q"], "status": data["status"], "abroad": abroad}


def _may_post_openings(user: User) -> str | None:
    """Why ``user`` may post no opening at all, or ``None``."""
    commune = communes_visible_to(user).first()
    if commune is None:
        return _("Bạn chưa được giao địa bàn nào.")
    return edit_refusal(user, commune)


@any_role_page
@require_safe
def opening_list(request: HtmxHttpRequest) -> HttpResponse:
    """Việc làm: the openings of the viewer's provinces and those abroad, searched, 50 per page."""
    form = OpeningFilterForm(request.GET or None)
    values = form.values()
    context = {
        "form": form,
        **paginated(request, services.opening_list(viewer=request.user, **values)),
        "searching": bool(values["query"].strip()),
        "can_post": _may_post_openings(request.user) is None,
        "can_see_seekers": registry_refusal(request.user) is None,
    }
    return list_response(
        request, context, page="support/jobs/openings.html", table="support/jobs/_openings_table.html"
    )


class OpeningForm(forms.Form):
    province = forms.ModelChoiceField(
        label=gettext_lazy("Tỉnh đăng tin"), queryset=AdminUnit.objects.none(), empty_label=None
    )
    commune = CommuneChoiceField(
        label=gettext_lazy("Xã nơi làm việc (nếu trong tỉnh)"),
        queryset=AdminUnit.objects.none(),
        required=False,
        empty_label=gettext_lazy("Không chọn"),
    )
    employer = forms.CharField(label=gettext_lazy("Đơn vị tuyển dụng"), max_length=255)
    title = forms.CharField(label=gettext_lazy("Vị trí cần tuyển"), max_length=255)
    place = forms.CharField(label=gettext_lazy("Nơi làm việc"), max_length=255)
    abroad = forms.BooleanField(
        label=gettext_lazy("Làm việc ở nước ngoài (xuất khẩu lao động)"), required=False
    )
    country = forms.CharField(label=gettext_lazy("Nước đến làm việc"), max_length=64, required=False)
    skills = forms.CharField(
        label=gettext_lazy("Kỹ năng cần có"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy("Cách nhau bằng dấu phẩy, ví dụ: may công nghiệp, đóng gói."),
    )
    requirements = forms.CharField(
        label=gettext_lazy("Yêu cầu khác"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    wage_min = _wage_field(gettext_lazy("Lương từ (đồng/tháng)"))
    wage_max = _wage_field(gettext_lazy("Lương đến (đồng/tháng)"))
    positions = forms.IntegerField(label=gettext_lazy("Số lượng cần tuyển"), min_value=1, initial=1)
    deadline = DateField(label=gettext_lazy("Hạn nộp hồ sơ"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Tình trạng"), choices=OpeningStatus.choices)

    def __init__(self, data: Any = None, *, viewer: User, opening: JobOpening | None = None) -> None:
        initial: dict[str, Any] = {}
        provinces = AdminUnit.objects.filter(
            level=Level.PROVINCE,
            generation=Generation.Y2025,
            code__in=sorted(province_codes_visible_to(viewer)),
        ).order_by("name")
        if opening is not None:
            initial = {
                "province": provinces.filter(code=opening.province_code).first(),
                "commune": opening.commune,
                "employer": opening.employer,
                "title": opening.title,
                "place": opening.place,
                "abroad": opening.abroad,
                "country": opening.country,
                "skills": ", ".join(opening.skills),
                "requirements": opening.requirements,
                "wage_min": int(opening.wage_min) if opening.wage_min is not None else None,
                "wage_max": int(opening.wage_max) if opening.wage_max is not None else None,
                "positions": opening.positions,
                "deadline": opening.deadline,
                "status": opening.status,
            }
        else:
            initial = {"province": provinces.first()}
        super().__init__(data, initial=initial)
        province = self.fields["province"]
        commune = self.fields["commune"]
        assert isinstance(province, forms.ModelChoiceField)
        assert isinstance(commune, CommuneChoiceField)
        province.queryset = provinces
        commune.queryset = communes_visible_to(viewer)
        if opening is None:
            del self.fields["status"]


def _opening_call(request: HtmxHttpRequest, form: OpeningForm, opening: JobOpening | None) -> Any:
    data = form.cleaned_data
    return call_service(
        form,
        lambda: services.job_opening_save(
            province_code=data["province"].code,
            commune=data["commune"],
            employer=data["employer"],
            title=data["title"],
            place=data["place"],
            abroad=data["abroad"],
            country=data["country"],
            skills=data["skills"],
            requirements=data["requirements"],
            wage_min=data["wage_min"],
            wage_max=data["wage_max"],
            positions=data["positions"],
            deadline=data["deadline"],
            status=data.get("status") or OpeningStatus.OPEN,
            actor=request.user,
            opening=opening,
        ),
    )


@household_page
@require_http_methods(["GET", "HEAD", "POST"])
def opening_add(request: HtmxHttpRequest) -> HttpResponse:
    """Đăng việc làm cần tuyển (at home or abroad)."""
    reason = _may_post_openings(request.user)
    if reason is not None:
        return refused(request, reason)
    form = OpeningForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        opening = _opening_call(request, form, None)
        if opening is not None:
            messages.success(request, _("Đã đăng việc làm {title}.").format(title=opening.title))
            return redirect("support:opening_detail", pk=opening.pk)
    return _form_page(
        request, form, title=_("Đăng việc làm"), submit=_("Đăng"), cancel=reverse("support:openings")
    )


def _visible_opening(request: HtmxHttpRequest, pk: int) -> JobOpening:
    return get_object_or_404(openings_visible_to(request.user).select_related("commune"), pk=pk)


@any_role_page
@require_safe
def opening_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Trang việc làm: the opening, the placements recorded and the seekers who suit it best (for the
    roles that read household lists)."""
    opening = _visible_opening(request, pk)
    today = timezone.localdate()
    can_see_seekers = registry_refusal(request.user) is None
    left = services.positions_left(opening)
    context = {
        "opening": opening,
        "positions_left": left,
        "deadline_passed": opening.deadline is not None and opening.deadline < today,
        "can_see_seekers": can_see_seekers,
        "placements": services.opening_placements(viewer=request.user, opening=opening)
        if can_see_seekers
        else [],
        "matches": services.seekers_for_opening(viewer=request.user, opening=opening, today=today)
        if can_see_seekers
        else [],
        "can_edit": services.opening_edit_refusal(
            request.user, province_code=opening.province_code, commune=opening.commune
        )
        is None,
    }
    return render(request, "support/jobs/opening_detail.html", context)


@household_page
@require_http_methods(["GET", "HEAD", "POST"])
def opening_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Sửa việc làm (or close it: status "Đã đóng")."""
    opening = _visible_opening(request, pk)
    reason = services.opening_edit_refusal(
        request.user, province_code=opening.province_code, commune=opening.commune
    )
    if reason is not None:
        return refused(request, reason)
    form = OpeningForm(request.POST or None, viewer=request.user, opening=opening)
    if request.method == "POST" and form.is_valid():
        saved = _opening_call(request, form, opening)
        if saved is not None:
            messages.success(request, _("Đã lưu việc làm {title}.").format(title=saved.title))
            return redirect("support:opening_detail", pk=saved.pk)
    return _form_page(
        request,
        form,
        title=_("Sửa việc làm"),
        submit=_("Lưu"),
        lead=str(opening),
        cancel=reverse("support:opening_detail", args=[opening.pk]),
    )


# --- Placements -----------------------------------------------------------------------------------------


class PlacementForm(forms.Form):
    placed_on = DateField(label=gettext_lazy("Ngày nhận việc"))
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def _pk(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


@household_page
@require_http_methods(["GET", "HEAD", "POST"])
def placement_add(request: HtmxHttpRequest) -> HttpResponse:
    """Ghi nhận nhận việc: ``?seeker=…&opening=…``; shows the match and its reasons, records on POST."""
    seeker = _visible_seeker(request, _pk(request.GET.get("seeker")))
    opening = _visible_opening(request, _pk(request.GET.get("opening")))
    reason = edit_refusal(request.user, seeker.household.territory)
    if reason is not None:
        return refused(request, reason)
    form = PlacementForm(request.POST or None, initial={"placed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        placement = call_service(
            form,
            lambda: services.placement_record(
                seeker=seeker,
                opening=opening,
                placed_on=form.cleaned_data["placed_on"],
                note=form.cleaned_data["note"],
                actor=request.user,
            ),
        )
        if placement is not None:
            messages.success(
                request,
                _("Đã ghi nhận {name} nhận việc tại {opening}.").format(
                    name=seeker.member.full_name, opening=str(opening)
                ),
            )
            return redirect("support:seeker_detail", pk=seeker.pk)
    context = {
        "form": form,
        "seeker": seeker,
        "opening": opening,
        "match": services.match_of(seeker, opening),
    }
    return render(request, "support/jobs/placement.html", context)


# --- Placement rate -------------------------------------------------------------------------------------


class RateForm(forms.Form):
    date_from = DateField(label=gettext_lazy("Từ ngày"))
    date_to = DateField(label=gettext_lazy("Đến ngày"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Đến ngày phải sau hoặc bằng từ ngày."))
        return data


@any_role_page
@require_safe
def placement_rate(request: HtmxHttpRequest) -> HttpResponse:
    """Tỷ lệ có việc làm: per commune and province, the job seekers registered in the period and the share
    of them placed in a job in the period."""
    today = timezone.localdate()
    default = {"date_from": dt.date(today.year, 1, 1), "date_to": today}
    bound = "date_from" in request.GET or "date_to" in request.GET
    form = RateForm(request.GET if bound else None, initial=default)
    period = default
    if bound and form.is_valid():
        period = {"date_from": form.cleaned_data["date_from"], "date_to": form.cleaned_data["date_to"]}
    table = services.placement_rates(viewer=request.user, **period)
    return render(request, "support/jobs/rate.html", {"form": form, "table": table})
