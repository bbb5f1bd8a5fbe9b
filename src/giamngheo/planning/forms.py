"""Forms of the plan, import and agency pages. They parse input only; every rule is in the services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy

from giamngheo.accounts.models import User
from giamngheo.geo.models import AdminUnit
from giamngheo.planning.models import (
    Agency,
    DeadlineKind,
    FundingSource,
    Plan,
    PlanStatus,
    TargetKind,
    TimeframeKind,
)
from giamngheo.planning.services import importing
from giamngheo.planning.services.agencies import kind_choices
from giamngheo.planning.services.plans import period_text, unit_key, unit_label
from giamngheo.site.forms import DateField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _date_field(label: StrOrPromise, *, required: bool = True) -> forms.DateField:
    return DateField(
        label=label,
        required=required,
        error_messages={
            "required": gettext_lazy("Hãy nhập ngày."),
            "invalid": gettext_lazy("Ngày không hợp lệ; nhập theo dạng 31/12/2030."),
        },
    )


def _small_int(label: StrOrPromise, low: int, high: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        widget=forms.NumberInput(attrs={"size": 4}),
    )


def unit_choices(units: Sequence[AdminUnit]) -> list[tuple[str, str]]:
    """Units as (key, label) choices; the units' parents must be selected."""
    return [(unit_key(u), unit_label(u)) for u in units]


def plan_choice_label(plan: Plan) -> str:
    return f"{plan} — {plan.unit.name} ({period_text(plan)})"


# --- Plans --------------------------------------------------------------------------------------------


class PlanHeaderForm(forms.Form):
    """A plan's header (the create and edit forms, and the header of an imported draft)."""

    title = forms.CharField(label=gettext_lazy("Tên kế hoạch"), max_length=500)
    number = forms.CharField(label=gettext_lazy("Số, ký hiệu"), max_length=64, required=False)
    issuer = forms.CharField(label=gettext_lazy("Cơ quan ban hành"), max_length=255, required=False)
    issued_on = _date_field(gettext_lazy("Ngày ban hành"), required=False)
    period_start = _date_field(gettext_lazy("Từ ngày"))
    period_end = _date_field(gettext_lazy("Đến ngày"))
    parent = forms.TypedChoiceField(
        label=gettext_lazy("Thực hiện kế hoạch cấp trên"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=gettext_lazy("Kế hoạch của tỉnh (hoặc đơn vị chứa đơn vị này) mà kế hoạch này thực hiện."),
    )
    parent_reference = forms.CharField(
        label=gettext_lazy("Văn bản cấp trên (nếu chưa có trong hệ thống)"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("Ví dụ: Chỉ thị số 05-CT/TW ngày 23/6/2021 của Ban Bí thư."),
    )
    legal_basis = forms.CharField(
        label=gettext_lazy("Căn cứ"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(label=gettext_lazy("Trạng thái"), choices=PlanStatus.choices)
    funding_total = forms.CharField(
        label=gettext_lazy("Tổng nguồn vốn theo kế hoạch (triệu đồng)"),
        max_length=30,
        required=False,
        help_text=gettext_lazy(
            "Để trống nếu kế hoạch không nêu tổng; các nguồn vốn phải cộng đúng bằng số này."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 16}),
    )

    def __init__(self, *args: Any, parents: Sequence[Plan] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, str]] = [("", "—")]
        choices.extend((p.pk, plan_choice_label(p)) for p in parents)
        self.fields["parent"].choices = choices  # type: ignore[attr-defined]

    def clean_funding_total(self) -> str:
        text: str = self.cleaned_data.get("funding_total") or ""
        try:
            importing.parse_total(text)
        except ValueError:
            raise forms.ValidationError(
                gettext_lazy("Không đọc được số; nhập theo dạng 5.440.412 hoặc 1.234,5.")
            ) from None
        return text.strip()


class PlanForm(PlanHeaderForm):
    """A new plan: its unit first."""

    unit = forms.ChoiceField(
        label=gettext_lazy("Đơn vị"),
        error_messages={"invalid_choice": gettext_lazy("Bạn không được lập kế hoạch cho đơn vị này.")},
    )

    def __init__(self, *args: Any, units: Sequence[AdminUnit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units)  # type: ignore[attr-defined]
        self.order_fields(["unit"])


class PlanFilterForm(forms.Form):
    """Filters of the plans list (GET: ``don_vi``, ``trang_thai``, ``nam``)."""

    don_vi = forms.ChoiceField(label=gettext_lazy("Đơn vị"), required=False)
    trang_thai = forms.ChoiceField(
        label=gettext_lazy("Trạng thái"),
        required=False,
        choices=[("", gettext_lazy("Tất cả")), *PlanStatus.choices],
    )
    nam = forms.IntegerField(
        label=gettext_lazy("Năm"),
        required=False,
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, units: Sequence[AdminUnit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["don_vi"].choices = [("", gettext_lazy("Tất cả")), *unit_choices(units)]  # type: ignore[attr-defined]


# --- Import -------------------------------------------------------------------------------------------


class ImportForm(forms.Form):
    """Step 1: the unit, the text (pasted or a file), the parent plan."""

    unit = forms.ChoiceField(
        label=gettext_lazy("Kế hoạch của đơn vị"),
        error_messages={"invalid_choice": gettext_lazy("Bạn không được lập kế hoạch cho đơn vị này.")},
    )
    file = forms.FileField(
        label=gettext_lazy("Tệp kế hoạch (.txt, .md, .docx; tối đa 2 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.markdown,.docx"}),
    )
    text = forms.CharField(
        label=gettext_lazy("Hoặc dán nội dung kế hoạch"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    parent = forms.TypedChoiceField(
        label=gettext_lazy("Thực hiện kế hoạch cấp trên"), coerce=int, empty_value=None, required=False
    )

    def __init__(
        self, *args: Any, units: Sequence[AdminUnit] = (), parents: Sequence[Plan] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units)  # type: ignore[attr-defined]
        choices: list[tuple[Any, str]] = [("", "—")]
        choices.extend((p.pk, plan_choice_label(p)) for p in parents)
        self.fields["parent"].choices = choices  # type: ignore[attr-defined]
        self.document_text = ""
        self.document_name = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        try:
            if isinstance(upload, UploadedFile):
                name = upload.name or "ke-hoach.txt"
                importing.check_size(name, upload.size or 0)  # before reading it
                self.document_text = importing.read_upload(name, upload.read())
                self.document_name = name
            else:
                self.document_text = importing.check_pasted(data.get("text") or "")
                self.document_name = ""
        except importing.PlanFileError as error:
            self.add_error("file" if upload else "text", error.message)
        return data


class ImportHeaderForm(PlanHeaderForm):
    """Step 2: the draft's header, and whether to save although the funding lines do not add up."""

    accept_total_mismatch = forms.BooleanField(label=gettext_lazy("Lưu dù tổng chưa khớp"), required=False)


class TargetRowForm(forms.Form):
    keep = forms.BooleanField(label=gettext_lazy("Giữ"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Loại chỉ tiêu"), choices=TargetKind.choices)
    value = forms.CharField(
        label=gettext_lazy("Giá trị"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
    )
    value_max = forms.CharField(
        label=gettext_lazy("Tối đa"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
    )
    year = _small_int(gettext_lazy("Năm"), 1990, 2100)
    unit = forms.TypedChoiceField(label=gettext_lazy("Đơn vị"), coerce=int)
    subject = forms.CharField(label=gettext_lazy("Đối tượng, phạm vi"), max_length=255, required=False)

    def __init__(self, *args: Any, units: Sequence[AdminUnit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]


class TaskRowForm(forms.Form):
    keep = forms.BooleanField(label=gettext_lazy("Giữ"), required=False)
    text = forms.CharField(
        label=gettext_lazy("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead = forms.CharField(
        label=gettext_lazy("Cơ quan chủ trì"),
        required=False,
        help_text=gettext_lazy("Cách nhau bởi dấu chấm phẩy."),
    )
    coordinating = forms.CharField(label=gettext_lazy("Cơ quan phối hợp"), required=False)
    timeframe_kind = forms.ChoiceField(
        label=gettext_lazy("Thời gian thực hiện"), choices=TimeframeKind.choices
    )
    month = _small_int(gettext_lazy("Tháng"), 1, 12)
    day = _small_int(gettext_lazy("Ngày"), 1, 31)
    year = _small_int(gettext_lazy("Năm"), 1990, 2100)
    every_months = _small_int(gettext_lazy("Mỗi (tháng)"), 1, 12)


class DeadlineRowForm(forms.Form):
    keep = forms.BooleanField(label=gettext_lazy("Giữ"), required=False)
    text = forms.CharField(
        label=gettext_lazy("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=DeadlineKind.choices)
    month = _small_int(gettext_lazy("Tháng"), 1, 12)
    day = _small_int(gettext_lazy("Ngày"), 1, 31)
    year = _small_int(gettext_lazy("Năm"), 1990, 2100)
    every_months = _small_int(gettext_lazy("Mỗi (tháng)"), 1, 12)


class FundingRowForm(forms.Form):
    keep = forms.BooleanField(label=gettext_lazy("Giữ"), required=False)
    source = forms.ChoiceField(label=gettext_lazy("Nguồn vốn"), choices=FundingSource.choices)
    label = forms.CharField(label=gettext_lazy("Nội dung"), max_length=500, required=False)
    amount = forms.CharField(
        label=gettext_lazy("Số tiền (triệu đồng)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 14}),
    )
    year = _small_int(gettext_lazy("Năm"), 1990, 2100)


TargetRowFormSet = forms.formset_factory(TargetRowForm, extra=0)
TaskRowFormSet = forms.formset_factory(TaskRowForm, extra=0)
DeadlineRowFormSet = forms.formset_factory(DeadlineRowForm, extra=0)
FundingRowFormSet = forms.formset_factory(FundingRowForm, extra=0)


# --- Agencies -----------------------------------------------------------------------------------------


class AgencyForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Tên cơ quan"), max_length=255)
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại cơ quan (theo danh mục)"),
        required=False,
        help_text=gettext_lazy("Giúp nhận ra cơ quan khi kế hoạch viết tắt hoặc dùng tên cũ."),
    )
    aliases = forms.CharField(
        label=gettext_lazy("Tên gọi khác"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Mỗi dòng một tên: tên viết tắt, tên cũ trước khi sắp xếp lại …"),
    )
    successor = forms.TypedChoiceField(
        label=gettext_lazy("Cơ quan kế nhiệm"), coerce=int, empty_value=None, required=False
    )
    valid_to = _date_field(gettext_lazy("Hoạt động đến ngày"), required=False)

    def __init__(self, *args: Any, successors: Sequence[Agency] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—"), *kind_choices()]  # type: ignore[attr-defined]
        choices: list[tuple[Any, str]] = [("", "—")]
        choices.extend((a.pk, a.name) for a in successors)
        self.fields["successor"].choices = choices  # type: ignore[attr-defined]

    def alias_list(self) -> list[str]:
        text: str = self.cleaned_data.get("aliases") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


def agency_initial(agency: Agency) -> dict[str, Any]:
    return {
        "name": agency.name,
        "kind": agency.kind,
        "aliases": "\n".join(agency.aliases),
        "successor": agency.successor_id or "",
        "valid_to": agency.valid_to,
    }


class AgencyMembersForm(forms.Form):
    users = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Cán bộ của cơ quan"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, candidates: Sequence[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["users"].choices = [  # type: ignore[attr-defined]
            (u.pk, f"{u.get_full_name() or u.username} ({u.username})") for u in candidates
        ]


class UnitChooserForm(forms.Form):
    don_vi = forms.ChoiceField(label=gettext_lazy("Đơn vị"))

    def __init__(self, *args: Any, units: Sequence[AdminUnit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["don_vi"].choices = unit_choices(units)  # type: ignore[attr-defined]


def header_initial(plan: Plan) -> dict[str, Any]:
    """The header form's initial values of a saved plan."""
    total = plan.funding_total
    return {
        "title": plan.title,
        "number": plan.number,
        "issuer": plan.issuer,
        "issued_on": plan.issued_on,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "parent": plan.parent_id or "",
        "parent_reference": plan.parent_reference,
        "legal_basis": plan.legal_basis,
        "status": plan.status,
        "funding_total": importing.decimal_text(total) if total is not None else "",
    }
