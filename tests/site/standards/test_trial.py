"""Try-classification: reading uploads, running the engine, the result partial and the export store."""

from __future__ import annotations

import io
import re
from pathlib import Path

import polars as pl
import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import Client
from django.urls import reverse
from django.utils import translation

from giamngheo.site.standards.sample import sample_facts, sample_workbook
from giamngheo.site.standards.trial import (
    KEPT_EXPORTS,
    SESSION_EXPORTS,
    UploadProblem,
    export_results,
    exported_file,
    read_uploads,
)
from giamngheo.standards import evaluate, get_standard
from tests.accounts.factories import user_factory
from tests.site.standards.common import DOWNLOAD_LINK, XLSX, csv, english, post_sample, text, upload

# --- reading the uploads -----------------------------------------------------------------------------


def test_one_workbook_holds_both_sheets() -> None:
    households, members = read_uploads(upload("mau.xlsx", sample_workbook()), None)
    expected_households, expected_members = sample_facts()
    assert households.columns == expected_households.columns
    assert households["household_id"].to_list() == ["H001", "H002", "H003"]
    assert members.height == expected_members.height


def test_two_csv_files_are_read() -> None:
    households, members = sample_facts()
    read_households, read_members = read_uploads(
        upload("ho.csv", csv(households)), upload("tv.csv", csv(members))
    )
    assert (read_households.height, read_members.height) == (3, 10)


def test_a_file_that_is_not_a_workbook_is_explained() -> None:
    with translation.override("vi"), pytest.raises(UploadProblem) as problem:
        read_uploads(upload("ho.xlsx", b"not a workbook"), None)
    assert "cần có hai trang tính tên households và members" in problem.value.message


# --- the export token store --------------------------------------------------------------------------


def test_an_export_belongs_to_its_session(tmp_path: Path) -> None:
    households, members = sample_facts()
    standard = get_standard("vn-2022-2025")
    results = evaluate(households, members, standard)
    mine, other = SessionStore(), SessionStore()
    with translation.override("vi"):
        url = export_results(mine, results, standard)
    token = url.rsplit("/", 1)[1].removesuffix(".xlsx")
    found = exported_file(mine, token)
    assert found is not None
    path, filename = found
    assert path == tmp_path / "exports" / f"{token}.xlsx"
    assert filename.startswith("phan-loai-thu_vn-2022-2025_")
    assert exported_file(other, token) is None
    assert exported_file(mine, "x" * 32) is None
    saved = pl.read_excel(path)
    assert saved["class_label"].to_list() == ["Hộ nghèo", "Hộ cận nghèo", "Hộ không nghèo"]
    for _ in range(KEPT_EXPORTS):
        export_results(mine, results, standard)
    assert exported_file(mine, token) is None  # the oldest is forgotten and removed
    assert not path.exists()


# --- the whole try, through the page -----------------------------------------------------------------


@pytest.mark.django_db
def test_sample_upload_gives_the_expected_classes(officer: Client, tmp_path: Path) -> None:
    response = post_sample(officer)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page  # the htmx partial only
    page_text = text(response)
    rows = re.findall(r'<th scope="row"[^>]*>(H\d+)</th>.*?class="class-pill class-(\w+)"', page, re.DOTALL)
    assert rows == [("H001", "poor"), ("H002", "near_poor"), ("H003", "not_poor")]
    assert "Hộ nghèo 1 33,33" in page_text
    assert "Hộ cận nghèo 1 33,33" in page_text
    assert "Hộ có mức sống trung bình 0 0,00" in page_text
    assert "Hộ không nghèo 1 33,33" in page_text
    assert "Tổng số hộ 3" in page_text
    assert "1.200.000 đ" in page_text
    assert "Bảo hiểm y tế; Chất lượng nhà ở; Nguồn nước sinh hoạt; Nhà tiêu hợp vệ sinh" in page_text

    link = DOWNLOAD_LINK.search(page)
    assert link is not None
    download = officer.get(link.group(1))
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX
    assert "phan-loai-thu_vn-2022-2025_" in download["Content-Disposition"]
    results = pl.read_excel(io.BytesIO(download.getvalue()))
    assert results["class"].to_list() == ["poor", "near_poor", "not_poor"]
    assert results["class_label"].to_list() == ["Hộ nghèo", "Hộ cận nghèo", "Hộ không nghèo"]
    assert len(list((tmp_path / "exports").glob("*.xlsx"))) == 1


@pytest.mark.django_db
def test_two_csv_files_and_a_standard_by_date_and_province(officer: Client) -> None:
    households, members = sample_facts()
    response = officer.post(
        reverse("standards:try"),
        {
            "households": upload("ho.csv", csv(households)),
            "members": upload("thanh_vien.csv", csv(members)),
            "choose_by": "date",
            "day": "30/06/2025",
            "province_code": "79",
        },
        headers={"hx-request": "true"},
    )
    page_text = text(response)
    assert "Chuẩn áp dụng ngày 30/06/2025 (tỉnh 79)" in page_text
    assert get_standard("local-79-hcm-2025").title_vi in page_text
    # HCM's lines (46/54 million a year) make all three sample households poor or near-poor.
    assert "Hộ không nghèo" not in page_text.split("Tổng số hộ")[1]


@pytest.mark.django_db
def test_bad_file_gives_the_error_table_and_no_download(officer: Client, tmp_path: Path) -> None:
    households, members = sample_facts()
    households = households.with_columns(
        pl.Series("area", ["rural", "vùng núi", "urban"]),
        pl.Series("income_12m", ["57600000", "nhiều", "144000000"]),
    )
    members = members.with_columns(pl.col("household_id").replace({"H003": "H009"}))
    response = officer.post(
        reverse("standards:try"),
        {
            "households": upload("ho.csv", csv(households)),
            "members": upload("tv.csv", csv(members)),
            "choose_by": "id",
            "standard_id": "vn-2022-2025",
        },
        headers={"hx-request": "true"},
    )
    page = response.content.decode()
    page_text = text(response)
    assert "Dữ liệu có 5 lỗi, chưa phân loại hộ nào." in page_text
    for header in ("Bảng", "Dòng", "Cột", "Giá trị", "Lỗi"):
        assert f">{header}</th>" in page
    assert "“Khu vực” phải là một trong: urban (thành thị), rural (nông thôn)." in page_text
    assert "“Tổng thu nhập của hộ 12 tháng qua” phải là số nguyên." in page_text
    assert "Thành viên thuộc mã hộ không có trong danh sách hộ." in page_text
    assert "vùng núi" in page_text
    assert "ket-qua" not in page
    assert "Kết quả phân loại" not in page_text
    assert not (tmp_path / "exports").exists()


@pytest.mark.django_db
def test_error_messages_in_english(officer: Client) -> None:
    english(officer)
    households, members = sample_facts()
    households = households.with_columns(pl.Series("area", ["rural", "mountain", "urban"]))
    response = officer.post(
        reverse("standards:try"),
        {
            "households": upload("ho.csv", csv(households)),
            "members": upload("tv.csv", csv(members)),
            "choose_by": "id",
            "standard_id": "vn-2022-2025",
        },
        headers={"hx-request": "true"},
    )
    page_text = text(response)
    assert "The data has 1 error(s); no household was classified." in page_text
    assert "'area' must be one of: urban, rural." in page_text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"choose_by": "id", "standard_id": "vn-2022-2025"}, "Trường này là bắt buộc."),
        (
            {"households": ("ho.txt", b"x"), "choose_by": "id", "standard_id": "vn-2022-2025"},
            "Tệp “ho.txt” không đúng loại: chỉ nhận .csv, .xlsx hoặc .parquet.",
        ),
        (
            {
                "households": ("ho.csv", b"household_id\n1\n"),
                "choose_by": "id",
                "standard_id": "vn-2022-2025",
            },
            "Hãy chọn tệp thành viên, hoặc dùng một tệp Excel có hai trang tính households và members.",
        ),
        ({"households": ("mau.xlsx", None), "choose_by": "date", "day": ""}, "Hãy nhập ngày theo dạng"),
        (
            {"households": ("mau.xlsx", None), "choose_by": "date", "day": "01/01/2010"},
            "Không xác định được chuẩn nghèo quốc gia áp dụng ngày 01/01/2010",
        ),
        (
            {
                "households": ("mau.xlsx", None),
                "choose_by": "date",
                "day": "01/01/2025",
                "province_code": "7x",
            },
            "Mã tỉnh '7x' không hợp lệ",
        ),
        (
            {"households": ("ho.xlsx", b"not a workbook"), "choose_by": "id", "standard_id": "vn-2022-2025"},
            "Tệp “ho.xlsx” cần có hai trang tính tên households và members",
        ),
        (
            {
                "households": ("ho.csv", b"household_id,area\n"),
                "members": ("tv.csv", b"household_id,age\n"),
                "choose_by": "id",
                "standard_id": "vn-2022-2025",
            },
            "Tệp hộ không có dòng dữ liệu nào",
        ),
    ],
)
def test_problems_are_explained_in_vietnamese(officer: Client, data: dict[str, object], message: str) -> None:
    post: dict[str, object] = {}
    for key, value in data.items():
        if isinstance(value, tuple):
            name, content = value
            post[key] = upload(name, sample_workbook() if content is None else content)
        else:
            post[key] = value
    response = officer.post(reverse("standards:try"), post, headers={"hx-request": "true"})
    assert response.status_code == 200
    page_text = text(response)
    assert "Chưa phân loại được." in page_text
    assert message in page_text
    assert "Tải kết quả" not in page_text


# --- downloads belong to their session ---------------------------------------------------------------


@pytest.mark.django_db
def test_download_refuses_another_sessions_token(officer: Client) -> None:
    page = post_sample(officer).content.decode()
    link = DOWNLOAD_LINK.search(page)
    assert link is not None

    other = Client()
    other.force_login(user_factory())
    assert other.get(link.group(1)).status_code == 404
    assert other.get(reverse("standards:download", args=["x" * 32])).status_code == 404
    assert officer.get(link.group(1)).status_code == 200


@pytest.mark.django_db
def test_download_of_a_removed_file_is_404(officer: Client, tmp_path: Path) -> None:
    page = post_sample(officer).content.decode()
    link = DOWNLOAD_LINK.search(page)
    assert link is not None
    for path in (tmp_path / "exports").glob("*.xlsx"):
        path.unlink()
    assert officer.get(link.group(1)).status_code == 404


@pytest.mark.django_db
def test_only_the_latest_exports_are_kept(officer: Client, tmp_path: Path) -> None:
    for _ in range(7):
        post_sample(officer)
    exports = officer.session[SESSION_EXPORTS]
    assert len(exports) == 5
    assert {p.stem for p in (tmp_path / "exports").glob("*.xlsx")} == set(exports)
