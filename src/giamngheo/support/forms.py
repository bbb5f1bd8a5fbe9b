"""Forms of the support records and policy pages: Vietnamese labels, errors on the field.

Forms parse what was typed; the services decide what is allowed (eligibility, duplicates, who may record)
and write. A service's ``ValidationError`` goes back on the form with
``site.forms.add_service_error``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamngheo.accounts.models import Role, User
from giamngheo.accounts.selectors import Viewer, sees_everything, units_visible_to
from giamngheo.geo.models import AdminUnit, Generation, Level
from giamngheo.planning.models import Agency
from giamngheo.planning.selectors import agencies_of, agencies_visible_to
from giamngheo.registry.forms import CommuneChoiceField, VillageChoiceField, commune_filter, village_filter
from giamngheo.registry.models import Household, Member
from giamngheo.registry.selectors import communes_visible_to, household_villages_visible_to
from giamngheo.review.procedure import STATUSES, procedure
from giamngheo.site.forms import DATE_FORMATS, DateField
from giamngheo.support.models import Beneficiary, CoverageBasis, Policy, SupportPeriod
from giamngheo.support.selectors import policies_visible_to
from giamngheo.support.services.policies import PolicyInput
from giamngheo.support.services.records import MIN_REASON_LENGTH
from giamngheo.support.services.uploads import MAX_UPLOAD_BYTES, parse_number


def eligible_choices() -> list[tuple[str, str]]:
    return [
        ("poor", _("Hộ nghèo")),
        ("near_poor", _("Hộ cận nghèo")),
        ("newly_escaped", _("Hộ mới thoát nghèo")),
        ("middle_living", _("Hộ có mức sống trung bình (nông, lâm, ngư, diêm nghiệp)")),
    ]


def citation_choices() -> list[tuple[str, str]]:
    labels = {
        "confirmed": _("Đã đối chiếu văn bản"),
        "best_reading": _("Cách đọc tốt nhất (chưa đối chiếu toàn văn)"),
        "unconfirmed": _("Chưa xác minh"),
    }
    return [(status, labels[status]) for status in STATUSES]


def need_choices() -> list[tuple[str, str]]:
    return [("", _("Không gắn nhu cầu"))] + [(i.id, i.vi) for i in procedure().support_needs.items]


def area_choices() -> list[tuple[str, str]]:
    return [("", _("Mọi khu vực")), ("rural", _("Nông thôn")), ("urban", _("Thành thị"))]


class VndField(forms.CharField):
    """An amount in đồng written the Vietnamese way (``1.500.000``) or as a plain number."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        number = parse_number(text)
        if number is None:
            raise ValidationError(_("Hãy nhập một số, ví dụ 1.500.000."), code="invalid")
        return number


# --- policies -----------------------------------------------------------------------------------------


class PolicyFilterForm(forms.Form):
    """The filters of the policy list (GET)."""

    q = forms.CharField(label=gettext_lazy("Tìm theo tên hoặc mã"), required=False, max_length=100)
    klass = forms.ChoiceField(label=gettext_lazy("Diện được hưởng"), required=False)
    need = forms.ChoiceField(label=gettext_lazy("Nhu cầu hỗ trợ"), required=False)
    scope = forms.ChoiceField(
        label=gettext_lazy("Cấp ban hành"),
        required=False,
        choices=[
            ("", gettext_lazy("Tất cả")),
            ("national", gettext_lazy("Trung ương")),
            ("local", gettext_lazy("Địa phương")),
        ],
    )
    state = forms.ChoiceField(
        label=gettext_lazy("Hiệu lực"),
        required=False,
        choices=[
            ("", gettext_lazy("Đang có hiệu lực")),
            ("all", gettext_lazy("Tất cả")),
            ("ended", gettext_lazy("Hết hiệu lực hoặc ngừng áp dụng")),
        ],
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        klass = self.fields["klass"]
        need = self.fields["need"]
        assert isinstance(klass, forms.ChoiceField) and isinstance(need, forms.ChoiceField)
        klass.choices = [("", _("Tất cả")), *eligible_choices()]
        need.choices = [("", _("Tất cả")), *need_choices()[1:]]

    def filter(self, policies: QuerySet[Policy], today: dt.date) -> list[Policy]:
        """The policies the filters keep, by name (the catalogue is small: read once, filtered here)."""
        data = self.cleaned_data if self.is_valid() else {}
        q = str(data.get("q") or "").strip().casefold()
        in_force = Q(active=True, valid_from__lte=today) & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        state = data.get("state") or ""
        if state == "":
            policies = policies.filter(in_force)
        elif state == "ended":
            policies = policies.exclude(in_force)
        if data.get("scope") == "national":
            policies = policies.filter(unit__isnull=True)
        elif data.get("scope") == "local":
            policies = policies.filter(unit__isnull=False)
        if data.get("need"):
            policies = policies.filter(need=data["need"])
        found = list(policies.select_related("unit", "agency").order_by("name"))
        if data.get("klass"):
            found = [p for p in found if data["klass"] in p.eligible]
        if q:
            found = [p for p in found if q in p.name.casefold() or q in p.code]
        return found


class PolicyForm(forms.Form):
    """Add or change a policy (a province's own; national ones for administrators)."""

    code = forms.SlugField(
        label=gettext_lazy("Mã chính sách"),
        required=False,
        max_length=64,
        help_text=gettext_lazy(
            "Chữ không dấu, số và dấu gạch ngang; để trống để lấy theo tên. Không đổi được."
        ),
    )
    name = forms.CharField(label=gettext_lazy("Tên chính sách"), max_length=255)
    unit = CommuneChoiceField(
        label=gettext_lazy("Đơn vị ban hành"),
        queryset=AdminUnit.objects.none(),
        required=False,
        empty_label=gettext_lazy("Trung ương"),
    )
    legal_basis = forms.CharField(
        label=gettext_lazy("Căn cứ pháp lý"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Văn bản, điều, khoản quy định chính sách."),
    )
    citation_status = forms.ChoiceField(label=gettext_lazy("Mức xác minh căn cứ"))
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan phụ trách"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=gettext_lazy("(ghi tên ở ô dưới)"),
    )
    agency_text = forms.CharField(
        label=gettext_lazy("Cơ quan phụ trách (tên)"), max_length=255, required=False
    )
    beneficiary = forms.ChoiceField(
        label=gettext_lazy("Đối tượng nhận"), choices=Beneficiary.choices, widget=forms.RadioSelect
    )
    eligible = forms.MultipleChoiceField(
        label=gettext_lazy("Diện được hưởng"), widget=forms.CheckboxSelectMultiple
    )
    escaped_within_years = forms.IntegerField(
        label=gettext_lazy("Hộ mới thoát nghèo trong vòng (năm)"), required=False, min_value=1, max_value=10
    )
    ethnic_minority_only = forms.BooleanField(label=gettext_lazy("Chỉ hộ dân tộc thiểu số"), required=False)
    area = forms.ChoiceField(label=gettext_lazy("Khu vực"), required=False)
    need = forms.ChoiceField(label=gettext_lazy("Nhu cầu hỗ trợ tương ứng"), required=False)
    coverage_basis = forms.ChoiceField(
        label=gettext_lazy("Cách tính độ bao phủ"), choices=CoverageBasis.choices
    )
    period = forms.ChoiceField(label=gettext_lazy("Tần suất"), choices=SupportPeriod.choices)
    unit_label = forms.CharField(label=gettext_lazy("Đơn vị tính"), max_length=32, initial="lần")
    default_amount = VndField(label=gettext_lazy("Mức hỗ trợ (đồng)"), required=False)
    valid_from = DateField(label=gettext_lazy("Hiệu lực từ ngày"), input_formats=DATE_FORMATS)
    valid_to = DateField(
        label=gettext_lazy("Hiệu lực đến ngày"),
        input_formats=DATE_FORMATS,
        required=False,
    )
    active = forms.BooleanField(label=gettext_lazy("Đang áp dụng"), required=False, initial=True)

    def __init__(self, data: Any = None, *, viewer: User, policy: Policy | None = None) -> None:
        initial: dict[str, Any] = {}
        if policy is not None:
            initial = {
                name: getattr(policy, name)
                for name in (
                    "code",
                    "name",
                    "legal_basis",
                    "citation_status",
                    "agency_text",
                    "beneficiary",
                    "eligible",
                    "escaped_within_years",
                    "ethnic_minority_only",
                    "area",
                    "need",
                    "coverage_basis",
                    "period",
                    "unit_label",
                    "valid_from",
                    "valid_to",
                    "active",
                )
            }
            initial["unit"] = policy.unit_id
            initial["agency"] = policy.agency_id
            initial["default_amount"] = (
                f"{policy.default_amount:.0f}" if policy.default_amount is not None else ""
            )
        super().__init__(data, initial=initial)
        self.policy = policy
        fields = self.fields
        assert isinstance(fields["citation_status"], forms.ChoiceField)
        assert isinstance(fields["eligible"], forms.ChoiceField)
        assert isinstance(fields["area"], forms.ChoiceField)
        assert isinstance(fields["need"], forms.ChoiceField)
        assert isinstance(fields["unit"], CommuneChoiceField)
        assert isinstance(fields["agency"], forms.ModelChoiceField)
        fields["citation_status"].choices = citation_choices()
        fields["eligible"].choices = eligible_choices()
        fields["area"].choices = area_choices()
        fields["need"].choices = need_choices()
        units = units_visible_to(viewer).filter(
            generation=Generation.Y2025, level__in=(Level.PROVINCE, Level.COMMUNE)
        )
        fields["unit"].queryset = units.order_by("level", "name")
        if not sees_everything(viewer):
            fields["unit"].required = True  # a province officer adds their own policies only
            fields["unit"].empty_label = None
        fields["agency"].queryset = agencies_visible_to(viewer).order_by("name")
        if policy is not None:
            fields["code"].disabled = True

    def clean_default_amount(self) -> Decimal | None:
        value = self.cleaned_data.get("default_amount")
        return value if isinstance(value, Decimal) else None

    def data_input(self) -> PolicyInput:
        data = self.cleaned_data
        return PolicyInput(
            code=self.policy.code if self.policy is not None else data.get("code") or "",
            name=data["name"],
            legal_basis=data["legal_basis"],
            citation_status=data["citation_status"],
            unit=data.get("unit"),
            agency=data.get("agency"),
            agency_text=data.get("agency_text") or "",
            beneficiary=data["beneficiary"],
            eligible=list(data.get("eligible") or []),
            escaped_within_years=data.get("escaped_within_years"),
            ethnic_minority_only=bool(data.get("ethnic_minority_only")),
            area=data.get("area") or "",
            need=data.get("need") or "",
            coverage_basis=data["coverage_basis"],
            period=data["period"],
            unit_label=data.get("unit_label") or "lần",
            default_amount=data.get("default_amount"),
            valid_from=data["valid_from"],
            valid_to=data.get("valid_to"),
            active=bool(data.get("active")),
        )


# --- records -------------------------------------------------------------------------------------------


RECORD_STATES = ("", "eligible", "overridden", "cancelled")


class RecordFilterForm(forms.Form):
    """The filters of the records list (GET)."""

    commune = commune_filter()
    village = village_filter()
    policy = forms.ModelChoiceField(
        label=gettext_lazy("Chính sách"),
        queryset=Policy.objects.none(),
        required=False,
        empty_label=gettext_lazy("Tất cả"),
    )
    date_from = DateField(label=gettext_lazy("Từ ngày"), required=False, input_formats=DATE_FORMATS)
    date_to = DateField(label=gettext_lazy("Đến ngày"), required=False, input_formats=DATE_FORMATS)
    state = forms.ChoiceField(
        label=gettext_lazy("Tình trạng"),
        required=False,
        choices=[
            ("", gettext_lazy("Còn hiệu lực (chưa huỷ)")),
            ("eligible", gettext_lazy("Đúng đối tượng")),
            ("overridden", gettext_lazy("Cho phép ngoài điều kiện")),
            ("cancelled", gettext_lazy("Đã huỷ")),
        ],
    )

    def __init__(self, data: Any = None, *, viewer: Viewer) -> None:
        super().__init__(data)
        commune = self.fields["commune"]
        village = self.fields["village"]
        policy = self.fields["policy"]
        assert isinstance(commune, CommuneChoiceField) and isinstance(village, VillageChoiceField)
        assert isinstance(policy, forms.ModelChoiceField)
        commune.queryset = communes_visible_to(viewer)
        village.queryset = household_villages_visible_to(viewer)
        policy.queryset = policies_visible_to(viewer).order_by("name")

    def values(self) -> dict[str, Any]:
        return self.cleaned_data if self.is_valid() else {}


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Tìm hộ theo mã hộ, tên thành viên hoặc số định danh"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True}),
    )


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Member) -> str:
        return obj.full_name


class RecordForm(forms.Form):
    """Record support given to one household (chosen before) or one of its members."""

    policy = forms.ModelChoiceField(label=gettext_lazy("Chính sách"), queryset=Policy.objects.none())
    member = MemberChoiceField(
        label=gettext_lazy("Người nhận (với chính sách hỗ trợ từng người)"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=gettext_lazy("— Cả hộ —"),
    )
    given_on = DateField(label=gettext_lazy("Ngày hỗ trợ"), input_formats=DATE_FORMATS)
    quantity = forms.DecimalField(
        label=gettext_lazy("Số lượng"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2, initial=1
    )
    amount = VndField(label=gettext_lazy("Số tiền (đồng)"), required=False)
    reference = forms.CharField(label=gettext_lazy("Số chứng từ"), max_length=64, required=False)
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan thực hiện"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=gettext_lazy("—"),
    )
    override_reason = forms.CharField(
        label=gettext_lazy("Lý do cho phép hỗ trợ ngoài điều kiện"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Chỉ cán bộ tỉnh hoặc quản trị hệ thống; lý do được ghi vào nhật ký. "
            "Ví dụ: số quyết định cho phép."
        ),
    )

    def __init__(self, data: Any = None, *, viewer: User, household: Household, supervisor: bool) -> None:
        super().__init__(data, initial={"given_on": timezone.localdate(), "quantity": 1})
        self.household = household
        fields = self.fields
        policy = fields["policy"]
        member = fields["member"]
        agency = fields["agency"]
        assert isinstance(policy, forms.ModelChoiceField) and isinstance(member, MemberChoiceField)
        assert isinstance(agency, forms.ModelChoiceField)
        units = (
            Q(unit__isnull=True)
            | Q(unit_id=household.commune_id)
            | Q(unit__level=Level.PROVINCE, unit__province_code=household.province_code)
        )
        policy.queryset = policies_visible_to(viewer).filter(units, active=True).order_by("name")
        member.queryset = household.members.order_by("pk")
        if viewer.role == Role.AGENCY_VIEWER and not sees_everything(viewer):
            agency.queryset = agencies_of(viewer).order_by("name")
            agency.empty_label = None
        else:
            agency.queryset = (
                agencies_visible_to(viewer).filter(province_code=household.province_code).order_by("name")
            )
        if not supervisor:
            del fields["override_reason"]
        else:
            fields["override_reason"].help_text = _(
                "Chỉ điền khi hỗ trợ bị từ chối và có căn cứ cho phép; ít nhất {n} ký tự, "
                "được ghi vào nhật ký."
            ).format(n=MIN_REASON_LENGTH)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do huỷ"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=MIN_REASON_LENGTH,
    )


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label=gettext_lazy("Tệp danh sách hỗ trợ đã điền (.xlsx)"),
        error_messages={"required": gettext_lazy("Hãy chọn tệp Excel đã điền theo mẫu.")},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan thực hiện"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=gettext_lazy("—"),
    )

    def __init__(self, data: Any = None, files: Any = None, *, viewer: User) -> None:
        super().__init__(data, files)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        if viewer.role == Role.AGENCY_VIEWER and not sees_everything(viewer):
            agency.queryset = agencies_of(viewer).order_by("name")
            agency.empty_label = None
        else:
            agency.queryset = agencies_visible_to(viewer).order_by("name")

    def clean_workbook(self) -> Any:
        upload = self.cleaned_data["workbook"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("Tệp quá lớn; chỉ nhận tệp đến {limit} MB.").format(
                    limit=MAX_UPLOAD_BYTES // (1024 * 1024)
                ),
                code="too_large",
            )
        return upload


__all__ = [
    "CancelForm",
    "HouseholdSearchForm",
    "PolicyFilterForm",
    "PolicyForm",
    "RecordFilterForm",
    "RecordForm",
    "UploadForm",
    "VndField",
    "area_choices",
    "citation_choices",
    "eligible_choices",
    "need_choices",
]
