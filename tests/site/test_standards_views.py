"""The poverty-standards pages: list, detail, try-classification, sample and downloads."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import SettingsWrapper

from giamngheo.site.standards_views import SESSION_EXPORTS, sample_facts, sample_workbook
from giamngheo.standards import evaluate, get_standard, list_standards, standard_for
from tests.accounts.factories import user_factory

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


@pytest.fixture
def officer(client: Client) -> Client:
    client.force_login(user_factory())
    return client


def _text(response: Response) -> str:
    """The page as text: tags removed, entities decoded, whitespace collapsed."""
    content = response.content.decode()
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content)))


def _english(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _csv(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_csv(buffer)
    return buffer.getvalue()


def _post_sample(client: Client, standard_id: str = "vn-2022-2025") -> Response:
    data = {
        "households": _upload("mau.xlsx", sample_workbook()),
        "choose_by": "id",
        "standard_id": standard_id,
    }
    return client.post(reverse("standards:try"), data, headers={"hx-request": "true"})


# --- access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("standards:list", []),
        ("standards:detail", ["vn-2022-2025"]),
        ("standards:try", []),
        ("standards:sample", []),
        ("standards:download", ["abcdefghijklmnopqrstuvwxyz012345"]),
    ],
)
def test_pages_require_login(client: Client, name: str, args: list[str]) -> None:
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


def test_posting_without_login_stores_nothing(client: Client, tmp_path: Path) -> None:
    response = client.post(reverse("standards:try"), {"households": _upload("mau.xlsx", sample_workbook())})
    assert response.status_code == 302
    assert not (tmp_path / "exports").exists()


# --- list --------------------------------------------------------------------------------------------


def test_list_shows_every_standard_and_the_one_in_force(officer: Client) -> None:
    response = officer.get(reverse("standards:list"))
    assert response.status_code == 200
    page = response.content.decode()
    text = _text(response)
    for standard in list_standards():
        assert standard.title_vi in text
        assert reverse("standards:detail", args=[standard.id]) in page
        count = len(standard.unconfirmed)
        row = re.search(rf'chuan-ngheo/{standard.id}/".*?</tr>', page, re.DOTALL)
        assert row is not None
        assert f"</span> {count}</span>" in row.group(0)
    current = standard_for(timezone.localdate())
    highlighted = re.findall(r'<tr class="is-current">.*?href="/chuan-ngheo/([^/]+)/"', page, re.DOTALL)
    assert current.id in highlighted
    assert "Đang áp dụng" in text
    assert "Nông thôn: 1.500.000 đ" in text
    assert "Nông thôn: 1.000.000 đ (chuẩn thấp 700.000 đ)" in text  # two-band 2016-2020
    assert "Thành thị: 4.500.000 đ (chuẩn thấp ≈ 3.833.333 đ) (54.000.000 đ/năm)" in text  # HCM, per year
    assert "Quốc gia" in text
    assert "Địa phương (mã tỉnh 79)" in text
    assert 'aria-current="page">Chuẩn nghèo</a>' in page


def test_list_in_english(officer: Client) -> None:
    _english(officer)
    text = _text(officer.get(reverse("standards:list")))
    for standard in list_standards():
        assert standard.title_en in text
    assert "In force" in text
    assert "Rural: 1,500,000 VND" in text
    assert "Chuẩn nghèo đa chiều" not in text


# --- detail ------------------------------------------------------------------------------------------


def test_detail_shows_the_rule_in_words_and_every_citation(officer: Client) -> None:
    standard = get_standard("vn-2022-2025")
    response = officer.get(reverse("standards:detail", args=[standard.id]))
    assert response.status_code == 200
    text = _text(response)
    assert standard.legal_basis in text
    assert (
        "Hộ nghèo: thu nhập bình quân ≤ 1.500.000 đ/người/tháng ở nông thôn, "
        "≤ 2.000.000 đ/người/tháng ở thành thị và thiếu hụt từ 3 chỉ số trở lên." in text
    )
    assert "Hộ cận nghèo: thu nhập bình quân ≤ 1.500.000 đ/người/tháng" in text
    assert "thiếu hụt dưới 3 chỉ số" in text
    assert "Hộ có mức sống trung bình: thu nhập bình quân trên 1.500.000 đến 2.250.000 đ/người/tháng" in text
    for period in standard.validity:
        assert period.citation in text
        assert f"{period.start:%d/%m/%Y}" in text
    for indicator in standard.indicators:
        assert indicator.citation in text, indicator.id
        assert indicator.label_vi in text
    for badge in ("đã xác nhận", "cách đọc tốt nhất", "chưa xác nhận"):
        assert badge in text
    # Parameters in words: ages, and codes translated to their Vietnamese labels.
    assert "từ 6 tuổi trở lên" in text
    assert "thất nghiệp" in text
    assert "làm công ăn lương không có hợp đồng lao động" in text
    assert "giếng đào được bảo vệ" in text
    assert "Có thành viên sử dụng internet" in text
    assert "dưới 8 m²/người" in text
    assert "từ 18 đến 30 tuổi: tối thiểu trung học phổ thông, hoặc trình độ nghề sơ cấp trở lên" in text
    assert "Tuổi nghỉ hưu của nam 61 tuổi" in text
    assert "140 điểm" in text
    assert "Chỉ số: Phương tiện phục vụ tiếp cận thông tin" in text


def test_detail_of_a_two_band_standard(officer: Client) -> None:
    text = _text(officer.get(reverse("standards:detail", args=["vn-2016-2020"])))
    assert (
        "Hộ nghèo: thu nhập bình quân ≤ 700.000 đ/người/tháng ở nông thôn, ≤ 900.000 đ/người/tháng ở "
        "thành thị; hoặc thu nhập bình quân trên 700.000 đến 1.000.000 đ/người/tháng ở nông thôn" in text
    )
    assert "Chuẩn thấp" in text
    assert "Mức sống trung bình (nông thôn)" in text  # unconfirmed middle band, listed


def test_detail_of_a_standard_without_middle_band(officer: Client) -> None:
    text = _text(officer.get(reverse("standards:detail", args=["vn-2027-2030"])))
    assert "Hộ có mức sống trung bình: chuẩn này không quy định nhóm này" in text
    assert "Hộ không nghèo: thu nhập bình quân trên 2.200.000 đ/người/tháng ở nông thôn" in text
    assert "được thu gom" in text  # waste_treatment's acceptable codes


def test_detail_of_a_local_standard_shows_yearly_lines(officer: Client) -> None:
    text = _text(officer.get(reverse("standards:detail", args=["local-79-hcm-2025"])))
    assert "Hộ nghèo: thu nhập bình quân ≤ 46.000.000 đ/người/năm (≈ 3.833.333 đ/người/tháng)" in text
    assert "54.000.000 đ/năm" in text
    assert "Địa phương (mã tỉnh 79)" in text
    assert "Cách phân loại" in text  # unconfirmed classification, listed


def test_detail_in_english(officer: Client) -> None:
    _english(officer)
    standard = get_standard("vn-2022-2025")
    text = _text(officer.get(reverse("standards:detail", args=[standard.id])))
    assert standard.title_en in text
    assert "Poor household: average income ≤ 1,500,000 VND per person per month in rural areas" in text
    for indicator in standard.indicators:
        assert indicator.label_en in text
        assert indicator.citation in text  # citations are legal text, shown as written
    assert "best reading" in text
    assert "aged 6 and over" in text
    assert "Hộ nghèo" not in text


def test_unknown_standard_is_404(officer: Client) -> None:
    assert officer.get(reverse("standards:detail", args=["vn-1990"])).status_code == 404


# --- the sample and try-classification ---------------------------------------------------------------


def test_sample_workbook_has_two_sheets_with_fact_headers(officer: Client) -> None:
    response = officer.get(reverse("standards:sample"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="mau.xlsx"' in response["Content-Disposition"]
    sheets = pl.read_excel(io.BytesIO(response.content), sheet_id=0)
    assert list(sheets) == ["households", "members"]
    households, members = sample_facts()
    assert sheets["households"].columns == households.columns
    assert sheets["members"].columns == members.columns
    assert sheets["households"].height == 3


def test_sample_classes_under_every_standard() -> None:
    households, members = sample_facts()
    classes = {
        s.id: evaluate(households, members, s)["class"].cast(pl.String).to_list() for s in list_standards()
    }
    assert classes["vn-2022-2025"] == ["poor", "near_poor", "not_poor"]
    assert all("incomplete" not in found for found in classes.values()), classes


def test_try_page_offers_the_form(officer: Client) -> None:
    response = officer.get(reverse("standards:try"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'hx-encoding="multipart/form-data"' in page
    assert f'hx-post="{reverse("standards:try")}"' in page
    assert reverse("standards:sample") in page
    assert f'<option value="{standard_for(timezone.localdate()).id}" selected>' in page
    assert f'value="{timezone.localdate():%d/%m/%Y}"' in page


def test_try_page_preselects_the_standard_from_the_detail_link(officer: Client) -> None:
    page = officer.get(reverse("standards:try"), {"chuan": "vn-2016-2020"}).content.decode()
    assert '<option value="vn-2016-2020" selected>' in page


def test_sample_upload_gives_the_expected_classes(officer: Client, tmp_path: Path) -> None:
    response = _post_sample(officer)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page  # the htmx partial only
    text = _text(response)
    rows = re.findall(r'<th scope="row"[^>]*>(H\d+)</th>.*?class="class-pill class-(\w+)"', page, re.DOTALL)
    assert rows == [("H001", "poor"), ("H002", "near_poor"), ("H003", "not_poor")]
    assert "Hộ nghèo 1 33,3" in text
    assert "Hộ cận nghèo 1 33,3" in text
    assert "Hộ có mức sống trung bình 0 0,0" in text
    assert "Hộ không nghèo 1 33,3" in text
    assert "Tổng số hộ 3" in text
    assert "1.200.000 đ" in text
    assert "Bảo hiểm y tế; Chất lượng nhà ở; Nguồn nước sinh hoạt; Nhà tiêu hợp vệ sinh" in text

    link = re.search(r'href="(/chuan-ngheo/phan-loai-thu/ket-qua/[\w-]+\.xlsx)"', page)
    assert link is not None
    download = officer.get(link.group(1))
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX
    assert "phan-loai-thu_vn-2022-2025_" in download["Content-Disposition"]
    results = pl.read_excel(io.BytesIO(download.getvalue()))
    assert results["class"].to_list() == ["poor", "near_poor", "not_poor"]
    assert results["class_label"].to_list() == ["Hộ nghèo", "Hộ cận nghèo", "Hộ không nghèo"]
    assert len(list((tmp_path / "exports").glob("*.xlsx"))) == 1


def test_two_csv_files_and_a_standard_by_date_and_province(officer: Client) -> None:
    households, members = sample_facts()
    response = officer.post(
        reverse("standards:try"),
        {
            "households": _upload("ho.csv", _csv(households)),
            "members": _upload("thanh_vien.csv", _csv(members)),
            "choose_by": "date",
            "day": "30/06/2025",
            "province_code": "79",
        },
        headers={"hx-request": "true"},
    )
    text = _text(response)
    assert "Chuẩn áp dụng ngày 30/06/2025 (tỉnh 79)" in text
    assert get_standard("local-79-hcm-2025").title_vi in text
    # HCM's lines (46/54 million a year) make all three sample households poor or near-poor.
    assert "Hộ không nghèo" not in text.split("Tổng số hộ")[1]


def test_without_htmx_the_whole_page_is_rendered(officer: Client) -> None:
    response = officer.post(
        reverse("standards:try"),
        {
            "households": _upload("mau.xlsx", sample_workbook()),
            "choose_by": "id",
            "standard_id": "vn-2022-2025",
        },
    )
    page = response.content.decode()
    assert "<html" in page
    assert "Kết quả phân loại" in page


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
            "households": _upload("ho.csv", _csv(households)),
            "members": _upload("tv.csv", _csv(members)),
            "choose_by": "id",
            "standard_id": "vn-2022-2025",
        },
        headers={"hx-request": "true"},
    )
    page = response.content.decode()
    text = _text(response)
    assert "Dữ liệu có 5 lỗi, chưa phân loại hộ nào." in text
    for header in ("Bảng", "Dòng", "Cột", "Giá trị", "Lỗi"):
        assert f">{header}</th>" in page
    assert "“Khu vực” phải là một trong: urban (thành thị), rural (nông thôn)." in text
    assert "“Tổng thu nhập của hộ 12 tháng qua” phải là số nguyên." in text
    assert "Thành viên thuộc mã hộ không có trong danh sách hộ." in text
    assert "vùng núi" in text
    assert "ket-qua" not in page
    assert "Kết quả phân loại" not in text
    assert not (tmp_path / "exports").exists()


def test_error_messages_in_english(officer: Client) -> None:
    _english(officer)
    households, members = sample_facts()
    households = households.with_columns(pl.Series("area", ["rural", "mountain", "urban"]))
    response = officer.post(
        reverse("standards:try"),
        {
            "households": _upload("ho.csv", _csv(households)),
            "members": _upload("tv.csv", _csv(members)),
            "choose_by": "id",
            "standard_id": "vn-2022-2025",
        },
        headers={"hx-request": "true"},
    )
    text = _text(response)
    assert "The data has 1 error(s); no household was classified." in text
    assert "'area' must be one of: urban, rural." in text


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
            post[key] = _upload(name, sample_workbook() if content is None else content)
        else:
            post[key] = value
    response = officer.post(reverse("standards:try"), post, headers={"hx-request": "true"})
    assert response.status_code == 200
    text = _text(response)
    assert "Chưa phân loại được." in text
    assert message in text
    assert "Tải kết quả" not in text


def test_upload_size_is_limited(officer: Client, settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.GIAMNGHEO_UPLOAD_MAX_BYTES = 1024 * 1024
    big = _upload("ho.csv", b"household_id,area\n" + b"H,rural\n" * 200_000)
    response = officer.post(
        reverse("standards:try"),
        {"households": big, "members": _upload("tv.csv", b"household_id,age\n"), "choose_by": "id"},
        headers={"hx-request": "true"},
    )
    text = _text(response)
    assert "Tệp “ho.csv” quá lớn: mỗi tệp tối đa 1 MB." in text
    assert not (tmp_path / "exports").exists()


def test_the_csrf_token_is_still_checked(officer: Client) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = officer.cookies
    response = strict.post(reverse("standards:try"), {"choose_by": "id"})
    assert response.status_code == 403


# --- downloads belong to their session ----------------------------------------------------------------


def test_download_refuses_another_sessions_token(officer: Client) -> None:
    page = _post_sample(officer).content.decode()
    link = re.search(r'href="(/chuan-ngheo/phan-loai-thu/ket-qua/[\w-]+\.xlsx)"', page)
    assert link is not None

    other = Client()
    other.force_login(user_factory())
    assert other.get(link.group(1)).status_code == 404
    assert other.get(reverse("standards:download", args=["x" * 32])).status_code == 404
    assert officer.get(link.group(1)).status_code == 200


def test_download_of_a_removed_file_is_404(officer: Client, tmp_path: Path) -> None:
    page = _post_sample(officer).content.decode()
    link = re.search(r'href="(/chuan-ngheo/phan-loai-thu/ket-qua/[\w-]+\.xlsx)"', page)
    assert link is not None
    for path in (tmp_path / "exports").glob("*.xlsx"):
        path.unlink()
    assert officer.get(link.group(1)).status_code == 404


def test_only_the_latest_exports_are_kept(officer: Client, tmp_path: Path) -> None:
    for _ in range(7):
        _post_sample(officer)
    exports = officer.session[SESSION_EXPORTS]
    assert len(exports) == 5
    assert {p.stem for p in (tmp_path / "exports").glob("*.xlsx")} == set(exports)


# --- navigation --------------------------------------------------------------------------------------


def test_home_links_to_the_standards_pages(officer: Client) -> None:
    page = officer.get(reverse("home")).content.decode()
    assert f'href="{reverse("standards:list")}"' in page
    assert f'href="{reverse("standards:try")}"' in page
