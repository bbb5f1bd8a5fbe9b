"""Forms of the village pages: parse input only; the rules are in ``geo.services.villages``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy

from giamngheo.geo.models import Village, VillageKind

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


class VillageCreateForm(forms.Form):
    """Thêm thôn, tổ dân phố."""

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

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, initial={"kind": VillageKind.THON, "valid_from": timezone.localdate()})


class VillageUpdateForm(forms.Form):
    """Đổi tên thôn (và loại)."""

    name = forms.CharField(
        label=gettext_lazy("Tên mới"),
        max_length=150,
        error_messages={"required": gettext_lazy("Hãy nhập tên thôn.")},
    )
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=VillageKind.choices)

    def __init__(self, data: Any = None, *, village: Village) -> None:
        super().__init__(data, initial={"name": village.name, "kind": village.kind})


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
