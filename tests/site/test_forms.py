"""The shared form pieces: the dd/mm/yyyy date field, a service's errors back on the form."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from giamngheo.site.forms import DATE_FORMATS, DateField, add_service_error, call_service


class _Form(forms.Form):
    day = DateField(label="Ngày", input_formats=DATE_FORMATS)
    period = forms.CharField(required=False)


def test_the_date_field_reads_and_shows_dd_mm_yyyy() -> None:
    form = _Form({"day": "31-12-2030"})
    assert form.is_valid()
    assert form.cleaned_data["day"] == dt.date(2030, 12, 31)
    widget = _Form().fields["day"].widget
    assert isinstance(widget, forms.DateInput)
    assert widget.format == "%d/%m/%Y"
    assert widget.attrs["placeholder"] == "dd/mm/yyyy"
    assert 'value="05/01/2031"' in str(_Form(initial={"day": dt.date(2031, 1, 5)})["day"])


def test_a_service_error_goes_on_the_field_it_names_renamed_or_above_the_form() -> None:
    form = _Form({"day": "01/01/2030"})
    assert form.is_valid()
    add_service_error(
        form,
        ValidationError({"day": ["Quá sớm."], "period_end": ["Sai kỳ."], "other": ["Không rõ."]}),
        {"period_end": "period"},
    )
    assert form.errors["day"] == ["Quá sớm."]
    assert form.errors["period"] == ["Sai kỳ."]
    assert form.non_field_errors() == ["Không rõ."]


def test_call_service_returns_the_result_or_none_with_the_error_on_the_form() -> None:
    form = _Form({"day": "01/01/2030"})
    assert form.is_valid()
    assert call_service(form, lambda: 42) == 42

    def refuse() -> int:
        raise ValidationError("Đợt rà soát đã khóa.")

    assert call_service(form, refuse) is None
    assert form.non_field_errors() == ["Đợt rà soát đã khóa."]
