"""Helpers shared by the standards-pages tests: page text, uploads, posting the sample."""

from __future__ import annotations

import html
import io
import re
from typing import TYPE_CHECKING, Final

import polars as pl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from giamngheo.site.standards.sample import sample_workbook

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOAD_LINK: Final = re.compile(r'href="(/chuan-ngheo/phan-loai-thu/ket-qua/[\w-]+\.xlsx)"')


def text(response: Response) -> str:
    """The page as text: tags removed, entities decoded, whitespace collapsed."""
    content = response.content.decode()
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content)))


def english(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def csv(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_csv(buffer)
    return buffer.getvalue()


def post_sample(client: Client, standard_id: str = "vn-2022-2025") -> Response:
    data = {
        "households": upload("mau.xlsx", sample_workbook()),
        "choose_by": "id",
        "standard_id": standard_id,
    }
    return client.post(reverse("standards:try"), data, headers={"hx-request": "true"})
