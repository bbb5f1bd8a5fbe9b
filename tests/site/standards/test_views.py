"""The standards views: login, whole page or htmx partial, CSRF, the sample download, navigation."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giamngheo.site.standards.sample import sample_facts, sample_workbook
from giamngheo.standards import standard_for
from tests.site.standards.common import XLSX, upload

pytestmark = pytest.mark.django_db

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
    response = client.post(reverse("standards:try"), {"households": upload("mau.xlsx", sample_workbook())})
    assert response.status_code == 302
    assert not (tmp_path / "exports").exists()


def test_the_csrf_token_is_still_checked(officer: Client) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = officer.cookies
    response = strict.post(reverse("standards:try"), {"choose_by": "id"})
    assert response.status_code == 403


# --- detail ------------------------------------------------------------------------------------------


def test_unknown_standard_is_404(officer: Client) -> None:
    assert officer.get(reverse("standards:detail", args=["vn-1990"])).status_code == 404


# --- try-classification: the page, the partial and the sample -----------------------------------------


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


def test_without_htmx_the_whole_page_is_rendered(officer: Client) -> None:
    response = officer.post(
        reverse("standards:try"),
        {
            "households": upload("mau.xlsx", sample_workbook()),
            "choose_by": "id",
            "standard_id": "vn-2022-2025",
        },
    )
    page = response.content.decode()
    assert "<html" in page
    assert "Kết quả phân loại" in page


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


# --- navigation --------------------------------------------------------------------------------------


def test_home_links_to_the_standards_pages(officer: Client) -> None:
    page = officer.get(reverse("home")).content.decode()
    assert f'href="{reverse("standards:list")}"' in page
    assert f'href="{reverse("standards:try")}"' in page
