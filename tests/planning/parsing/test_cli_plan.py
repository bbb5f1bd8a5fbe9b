"""``giamngheo plan parse FILE [--json]``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from giamngheo.cli import EXIT_BAD_INPUT, EXIT_OK, main

from .conftest import KON_RAY, YEN_BAI


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "parse", str(YEN_BAI), "--json"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Thành phố Yên Bái" in out  # UTF-8, not \\u escapes
    data = json.loads(out)
    assert {"targets", "tasks", "deadlines", "funding", "title", "number", "issued_on", "issuer"} <= set(data)
    assert (data["number"], data["issued_on"], data["unit_name"]) == (
        "131-KH/TU",
        "2019-04-19",
        "tỉnh Yên Bái",
    )
    assert len(data["targets"]) == 29 and len(data["tasks"]) == 35
    assert (
        sum(f["amount_million_vnd"] for f in data["funding"]) == data["funding_total_million_vnd"] == 5440412
    )
    task = next(t for t in data["tasks"] if t["section"] == "E.5(2)")
    assert {"text", "lead_agencies", "coordinating_agencies", "timeframe", "source_line"} <= set(task)
    assert task["lead_agencies"] == ["Sở Kế hoạch và Đầu tư"]
    assert task["coordinating_agencies"] == ["Sở Tài chính"]
    assert task["source_line"] == 133
    assert data["deadlines"][0] == {
        "text": data["deadlines"][0]["text"],
        "kind": "dated",
        "month": 11,
        "day": 15,
        "every_months": None,
        "year": 2019,
        "source_line": 99,
    }
    assert data["targets"][0]["value"] == 5.8 and data["targets"][1]["value"] == 11869


def test_json_task_timeframe(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "parse", str(KON_RAY), "--json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    task = next(t for t in data["tasks"] if t["section"] == "II.1.4")
    assert task["timeframe"]["kind"] == "dated"
    assert (task["timeframe"]["month"], task["timeframe"]["year"]) == (4, 2022)
    assert task["lead_agencies"] == ["Phòng Tài chính - Kế hoạch"]


def test_readable_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "parse", str(YEN_BAI)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Số: 131-KH/TU; ngày ban hành: 19/04/2019" in out
    assert "Chỉ tiêu (29):" in out
    assert "[dòng 27] Giảm số hộ nghèo: 11.869 hộ (năm 2019)" in out
    assert "[dòng 45] Tỷ lệ cuối kỳ (hộ nghèo) — Huyện Mù Cang Chải: 43,16% (năm 2019)" in out
    assert "[E.5(2), dòng 133] Chủ trì: Sở Kế hoạch và Đầu tư; phối hợp: Sở Tài chính" in out
    assert "Kinh phí (5 nguồn; tổng 5.440.412 triệu đồng):" in out
    assert "[dòng 91] Tín dụng Ngân hàng Chính sách xã hội: 3.000.000 triệu đồng" in out


def test_summary_timeframes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "parse", str(KON_RAY)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "thời gian: tháng 04 năm 2022" in out
    assert "thời gian: hằng năm, tháng 1" in out
    assert "[dòng 119] hằng năm, ngày 05/11:" in out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ke-hoach.pdf", b"%PDF", "chỉ hỗ trợ tệp .txt, .md và .docx"),
        ("ke-hoach.docx", b"PK broken", "không phải tệp Word (.docx) hợp lệ"),
    ],
)
def test_bad_files_exit_2_with_a_vietnamese_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, message: str
) -> None:
    file = tmp_path / name
    file.write_bytes(content)
    assert main(["plan", "parse", str(file), "--json"]) == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("Lỗi: ")
    assert message in captured.err


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "parse", str(tmp_path / "khong-co.txt")]) == EXIT_BAD_INPUT
    assert "Không mở được tệp khong-co.txt" in capsys.readouterr().err
