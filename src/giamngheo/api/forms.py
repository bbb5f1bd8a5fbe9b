"""Forms of the API tokens page: parse input only; the rules are in ``api.services``."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy

DATE_PLACEHOLDER = "dd/mm/yyyy"


class TokenCreateForm(forms.Form):
    """Tạo khóa: a name to recognise it by, and an optional last day of validity."""

    name = forms.CharField(
        label=gettext_lazy("Tên khóa"),
        max_length=100,
        help_text=gettext_lazy("Để nhận ra chương trình dùng khóa, ví dụ: Kho dữ liệu của tỉnh."),
        error_messages={
            "required": gettext_lazy("Hãy đặt tên cho khóa."),
            "max_length": gettext_lazy("Tên khóa dài tối đa 100 ký tự."),
        },
    )
    expires_at = forms.DateField(
        label=gettext_lazy("Dùng đến hết ngày"),
        required=False,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={
                "placeholder": DATE_PLACEHOLDER,
                "inputmode": "numeric",
                "autocomplete": "off",
                "size": 12,
            },
        ),
        help_text=gettext_lazy("Không bắt buộc; để trống thì khóa không hết hạn (đến khi bị thu hồi)."),
        error_messages={"invalid": gettext_lazy("Ngày không hợp lệ; nhập theo dạng 31/12/2026.")},
    )

    def expiry(self) -> dt.datetime | None:
        """The moment the token stops working: the start of the day after the chosen day, local time."""
        day: dt.date | None = self.cleaned_data.get("expires_at")
        if day is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
