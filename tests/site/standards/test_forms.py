"""The try-classification form, its first values and the upload size limit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django.fixtures import SettingsWrapper

from giamngheo.site.standards.forms import TryForm, form_problems, initial_choice, megabytes, upload_limit
from tests.site.standards.common import text, upload


def test_a_csv_file_needs_a_members_file() -> None:
    with translation.override("vi"):
        form = TryForm(
            {"choose_by": "id", "standard_id": "vn-2022-2025"},
            {"households": upload("ho.csv", b"household_id\n1\n")},
        )
        assert not form.is_valid()
        assert form_problems(form) == [
            "Tệp thành viên (members): Hãy chọn tệp thành viên, hoặc dùng một tệp Excel có hai trang tính "
            "households và members."
        ]


def test_a_workbook_alone_and_a_standard_by_date_are_enough() -> None:
    form = TryForm({"choose_by": "date", "day": "30/06/2025"}, {"households": upload("mau.xlsx", b"x")})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2025, 6, 30)


def test_every_standard_can_be_chosen() -> None:
    field = TryForm().fields["standard_id"]
    assert "vn-2022-2025" in [value for value, _ in field.choices]  # type: ignore[attr-defined]


def test_initial_choice_is_the_standard_asked_for_or_the_one_in_force() -> None:
    day = dt.date(2025, 6, 30)
    assert initial_choice("vn-2016-2020", day) == {"day": day, "standard_id": "vn-2016-2020"}
    assert initial_choice("vn-1990", day) == {"day": day, "standard_id": "vn-2022-2025"}
    assert initial_choice("", dt.date(2010, 1, 1)) == {"day": dt.date(2010, 1, 1)}  # none in force


def test_the_upload_limit_comes_from_the_settings(settings: SettingsWrapper) -> None:
    assert upload_limit() == 20 * 1024 * 1024
    settings.GIAMNGHEO_UPLOAD_MAX_BYTES = 1024 * 1024
    assert upload_limit() == 1024 * 1024
    with translation.override("vi"):
        assert megabytes(1024 * 1024) == "1"
        assert megabytes(1536 * 1024) == "1,5"


@pytest.mark.django_db
def test_upload_size_is_limited(officer: Client, settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.GIAMNGHEO_UPLOAD_MAX_BYTES = 1024 * 1024
    big = upload("ho.csv", b"household_id,area\n" + b"H,rural\n" * 200_000)
    response = officer.post(
        reverse("standards:try"),
        {"households": big, "members": upload("tv.csv", b"household_id,age\n"), "choose_by": "id"},
        headers={"hx-request": "true"},
    )
    page_text = text(response)
    assert "Tệp “ho.csv” quá lớn: mỗi tệp tối đa 1 MB." in page_text
    assert not (tmp_path / "exports").exists()
