"""The try-classification form (phân loại thử) and the upload size limit.

Uploaded files larger than the limit are dropped while they arrive (:class:`UploadLimitHandler`), never
written anywhere; the form then checks file types and how the standard is chosen.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any, Final

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamngheo.site.standards.presentation import number, standard_title
from giamngheo.standards import StandardError, list_standards, standard_for
from giamngheo.tables import FORMATS

DEFAULT_UPLOAD_LIMIT: Final = 20 * 1024 * 1024


def upload_limit() -> int:
    return int(getattr(settings, "GIAMNGHEO_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_LIMIT))


def megabytes(size: int) -> str:
    return number(size / (1024 * 1024), 0 if size % (1024 * 1024) == 0 else 1)


class TryForm(forms.Form):
    """Phân loại thử: two files (or one Excel workbook with both sheets) and how to choose the standard."""

    BY_ID = "id"
    BY_DATE = "date"

    households = forms.FileField(label=gettext_lazy("Tệp hộ (households)"))
    members = forms.FileField(label=gettext_lazy("Tệp thành viên (members)"), required=False)
    choose_by = forms.ChoiceField(
        label=gettext_lazy("Chọn chuẩn nghèo"),
        choices=[(BY_ID, gettext_lazy("Theo tên chuẩn")), (BY_DATE, gettext_lazy("Theo ngày"))],
        initial=BY_ID,
        widget=forms.RadioSelect,
    )
    standard_id = forms.ChoiceField(label=gettext_lazy("Chuẩn nghèo áp dụng"), required=False)
    day = forms.DateField(
        label=gettext_lazy("Ngày"),
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 12}),
    )
    province_code = forms.CharField(
        label=gettext_lazy("Mã tỉnh (không bắt buộc)"),
        required=False,
        max_length=3,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4, "placeholder": "79"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["standard_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s.id, f"{standard_title(s)} ({s.id})") for s in list_standards()]

    def _check_type(self, name: str) -> None:
        upload = self.cleaned_data.get(name)
        if upload is not None and Path(upload.name or "").suffix.lower() not in FORMATS:
            self.add_error(
                name,
                _("Tệp “{name}” không đúng loại: chỉ nhận .csv, .xlsx hoặc .parquet.").format(
                    name=upload.name
                ),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_type("households")
        self._check_type("members")
        households = data.get("households")
        if (
            households is not None
            and data.get("members") is None
            and Path(households.name or "").suffix.lower() != ".xlsx"
        ):
            self.add_error(
                "members",
                _(
                    "Hãy chọn tệp thành viên, hoặc dùng một tệp Excel có hai trang tính "
                    "households và members."
                ),
            )
        if data.get("choose_by") == self.BY_ID and not data.get("standard_id"):
            self.add_error("standard_id", _("Hãy chọn một chuẩn nghèo."))
        if data.get("choose_by") == self.BY_DATE and not data.get("day"):
            self.add_error("day", _("Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 22/11/2026."))
        return data


class UploadLimitHandler(FileUploadHandler):
    """Drops (never stores) any uploaded file larger than ``limit`` bytes, and remembers which."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_big: list[str] = []

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        if self.content_length is not None and self.content_length > self.limit:
            self.too_big.append(file_name)
            raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.too_big.append(self.file_name or "")
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def initial_choice(wanted: str, today: dt.date) -> dict[str, Any]:
    """The form's first values: today, and the standard asked for (``?chuan=``) or the one in force."""
    initial: dict[str, Any] = {"day": today}
    if wanted in [s.id for s in list_standards()]:
        initial["standard_id"] = wanted
    else:
        with contextlib.suppress(StandardError):
            initial["standard_id"] = standard_for(today).id
    return initial


def form_problems(form: TryForm) -> list[str]:
    """The form's errors as sentences, each starting with the field's label."""
    problems: list[str] = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        problems.extend(f"{label}: {error}" if label else str(error) for error in errors)
    return problems
