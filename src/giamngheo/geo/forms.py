"""Forms of the village pages: parse input only; the rules are in ``geo.services.villages``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy

from giamngheo.geo.models import AdminUnit, Village, VillageKind
from giamngheo.geo.selectors import former_commune_label, village_former_communes

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_PLACEHOLDER = "dd/mm/yyyy"


def _date_input() -> forms.DateInput:
    return forms.DateInput(
        format="%d/%m/%Y",
        attrs={"placeholder": DATE_PLACEHOLDER, "inputmode": "numeric", "autocomplete": "off", "size": 12},
    )


def _date_field(label: StrOrPromise) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=_date_input(),
        error_messages={
            "required": gettext_lazy("Hãy nhập ngày."),
            "invalid": gettext_lazy("Ngày không hợp lệ; nhập theo dạng 30/06/2025."),
        },
    )


class FormerCommuneField(forms.ModelChoiceField[AdminUnit]):
    """Xã cũ: one of the pre-2025 communes that went into the commune, shown with district and province."""

    def label_from_instance(self, obj: AdminUnit) -> str:
        return former_commune_label(obj)


def _former_commune_field(commune: AdminUnit) -> tuple[FormerCommuneField | None, AdminUnit | None]:
    """The optional "xã cũ" select of a village of ``commune``, and the former commune to preselect
    when there is only one. No field (``None``) when the commune has no former commune to choose from:
    the field is then left out of the form."""
    choices = village_former_communes(commune).select_related("parent__parent")
    first_two = list(choices[:2])
    if not first_two:
        return None, None
    field = FormerCommuneField(
        queryset=choices,
        required=False,
        label=gettext_lazy("Xã cũ (trước 01/07/2025)"),
        empty_label=gettext_lazy("— Chưa xác định —"),
        help_text=gettext_lazy(
            "Xã (trước sắp xếp ngày 01/07/2025) mà thôn này thuộc về; dùng để tổng hợp biểu báo cáo "
            "cấp huyện của các năm trước."
        ),
        error_messages={"invalid_choice": gettext_lazy("Hãy chọn một xã cũ trong danh sách.")},
    )
    return field, (first_two[0] if len(first_two) == 1 else None)


class VillageCreateForm(forms.Form):
    """Thêm thôn, tổ dân phố (với xã cũ, chọn sẵn khi xã chỉ được lập từ một xã cũ)."""

    code = forms.CharField(
        label=gettext_lazy("Mã thôn"),
        max_length=20,
        help_text=gettext_lazy("Mã do xã đặt, không trùng với thôn khác của xã (ví dụ T01)."),
        error_messages={"required": gettext_lazy("Hãy nhập mã thôn.")},
    )
    name = forms.CharField(
        label=gettext_lazy("Tên thôn, tổ dân phố"),
        max_length=150,
        error_messages={"required": gettext_lazy("Hãy nhập tên thôn.")},
    )
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=VillageKind.choices)
    valid_from = _date_field(gettext_lazy("Hiệu lực từ"))

    def __init__(self, data: Any = None, *, commune: AdminUnit) -> None:
        field, only = _former_commune_field(commune)
        initial: dict[str, Any] = {"kind": VillageKind.THON, "valid_from": timezone.localdate()}
        if only is not None:  # a commune made of one former commune: its villages all come from it
            initial["former_commune"] = only.pk
        super().__init__(data, initial=initial)
        if field is not None:
            self.fields["former_commune"] = field


class VillageUpdateForm(forms.Form):
    """Đổi tên thôn (và loại, xã cũ)."""

    name = forms.CharField(
        label=gettext_lazy("Tên mới"),
        max_length=150,
        error_messages={"required": gettext_lazy("Hãy nhập tên thôn.")},
    )
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=VillageKind.choices)

    def __init__(self, data: Any = None, *, village: Village) -> None:
        super().__init__(
            data,
            initial={"name": village.name, "kind": village.kind, "former_commune": village.former_commune_id},
        )
        field, _only = _former_commune_field(village.commune)
        if field is not None:
            self.fields["former_commune"] = field


class VillageCloseForm(forms.Form):
    """Đóng thôn (giải thể, sáp nhập): ngày cuối cùng thôn còn hiệu lực."""

    valid_to = _date_field(gettext_lazy("Hiệu lực đến hết ngày"))

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, initial={"valid_to": timezone.localdate()})


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
