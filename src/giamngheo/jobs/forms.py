"""Forms of the jobs pages: the demo export (a commune of the viewer) and the generic start form."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamngheo.accounts.models import User
from giamngheo.geo.models import AdminUnit
from giamngheo.registry.selectors import communes_visible_to


class HouseholdExportForm(forms.Form):
    """Xuất danh sách hộ của một xã: the communes offered are the viewer's (``communes_visible_to``)."""

    commune: forms.ModelChoiceField[AdminUnit] = forms.ModelChoiceField(
        queryset=AdminUnit.objects.none(),
        label=gettext_lazy("Xã, phường"),
        empty_label=gettext_lazy("— Chọn xã —"),
        error_messages={
            "required": gettext_lazy("Hãy chọn một xã."),
            "invalid_choice": gettext_lazy("Xã này không thuộc địa bàn của bạn."),
        },
    )

    def __init__(self, *args: Any, viewer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes_visible_to(viewer)  # type: ignore[attr-defined]

    def params(self) -> dict[str, Any]:
        return {"commune": self.cleaned_data["commune"].pk}


class JobStartForm(forms.Form):
    """The reusable start button (``{% job_start_button %}``): a kind and its parameters as JSON."""

    kind = forms.CharField(max_length=100)
    params = forms.CharField(required=False)

    def clean_params(self) -> dict[str, Any]:
        text = self.cleaned_data.get("params") or "{}"
        try:
            value = json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(_("Tham số của công việc không hợp lệ.")) from error
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Tham số của công việc không hợp lệ."))
        return value
