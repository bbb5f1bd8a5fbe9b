"""Form pieces every context shares: a date typed the Vietnamese way (dd/mm/yyyy), a choice labelled with
the objects' names, and a service's ``ValidationError`` put back on the form.

Forms parse what was typed; the services decide what is allowed. These helpers carry no rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

T = TypeVar("T")

DATE_PLACEHOLDER: Final = "dd/mm/yyyy"
#: Every input format of the Vietnamese locale (``site/formats/vi``), for a field that must accept them
#: whatever the page's language.
DATE_FORMATS: Final = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


def date_input() -> forms.DateInput:
    """A text box for a date written and shown dd/mm/yyyy (numeric keyboard on phones, no autofill)."""
    return forms.DateInput(
        format="%d/%m/%Y",
        attrs={"placeholder": DATE_PLACEHOLDER, "inputmode": "numeric", "autocomplete": "off", "size": 12},
    )


class DateField(forms.DateField):
    """A date typed dd/mm/yyyy in a :func:`date_input` box; the keyword arguments of ``forms.DateField``
    (``input_formats``, ``error_messages`` …) as usual."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", date_input())
        super().__init__(**kwargs)


class NameChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice of one object (a unit, an agency …) labelled with its ``name``."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class NameMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A choice of several objects labelled with their ``name``."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def add_service_error(
    form: forms.Form, error: ValidationError, renamed: Mapping[str, str] | None = None
) -> None:
    """Show a service's ``ValidationError`` on the form: on the field it names (after ``renamed``, a
    service's name → the form's), else above the form."""
    renamed = renamed or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = renamed.get(name, name)
            field = name if name in form.fields and name != NON_FIELD_ERRORS else None
            for one in errors:
                form.add_error(field, one.messages)
    else:
        form.add_error(None, error.messages)


def call_service(form: forms.Form, call: Callable[[], T]) -> T | None:
    """``call()`` (a service); its ``ValidationError`` goes back on the form (:func:`add_service_error`)
    and ``None`` is returned."""
    try:
        return call()
    except ValidationError as error:
        add_service_error(form, error)
        return None


__all__ = [
    "DATE_FORMATS",
    "DATE_PLACEHOLDER",
    "DateField",
    "NameChoiceField",
    "NameMultipleChoiceField",
    "add_service_error",
    "call_service",
    "date_input",
]
