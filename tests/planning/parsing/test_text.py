"""Numbers, folding, and the split into paragraphs and tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from giamngheo.planning.parsing.text import Paragraph, Table, fold, parse_number, split_blocks


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("5.440.412", Decimal(5440412)),
        ("11.869", Decimal(11869)),
        ("1,5", Decimal("1.5")),
        ("7,30", Decimal("7.30")),
        ("2.150,5", Decimal("2150.5")),
        ("1,621,667", Decimal(1621667)),  # English grouping
        ("1,621", Decimal("1.621")),  # a lone comma is a decimal mark
        ("5.8", Decimal("5.8")),  # not a thousands group
        ("60", Decimal(60)),
        ("abc", None),
        ("1.2.3", None),
    ],
)
def test_parse_number(written: str, value: Decimal | None) -> None:
    assert parse_number(written) == value


def test_fold_keeps_length_and_drops_diacritics() -> None:
    text = "Phòng LĐ-TB&XH, Uỷ ban"
    assert fold(text) == "phong ld tb xh  uy ban"
    assert len(fold(text)) == len(text)


def test_markdown_is_cleaned_and_numbering_found() -> None:
    blocks = split_blocks(
        "### I. MỤC ĐÍCH\n\n**1.4.** Tham mưu *nông thôn mới*.\n\n"
        "\\* **Phân công thực hiện:** Phòng Dân tộc chủ trì.\n\n**\\* Phân công thực hiện:** Phòng Y tế."
    )
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert texts == [
        "I. MỤC ĐÍCH",
        "1.4. Tham mưu nông thôn mới.",
        "* Phân công thực hiện: Phòng Dân tộc chủ trì.",
        "* Phân công thực hiện: Phòng Y tế.",
    ]
    markers = [(b.marker.kind, b.marker.label) for b in blocks if isinstance(b, Paragraph) and b.marker]
    assert markers == [("roman", "I"), ("num2", "1.4"), ("bullet*", "*"), ("bullet*", "*")]


@pytest.mark.parametrize(
    ("line", "kind", "label"),
    [
        ("A- MỤC ĐÍCH, YÊU CẦU", "letter", "A"),
        ("IV- Huy động", "roman", "IV"),
        ("1- Mục đích: Cụ thể hóa", "num1", "1"),
        ("2.4. Triển khai", "num2", "2.4"),
        ("(15) Ngân hàng Chính sách xã hội: Chủ trì", "paren", "(15)".strip("()")),
        ("a) Xây dựng mô hình", "lower", "a"),
        ("+ Huyện Trạm Tấu giảm", "bullet+", "+"),
    ],
)
def test_markers(line: str, kind: str, label: str) -> None:
    (block,) = split_blocks(line)
    assert isinstance(block, Paragraph) and block.marker is not None
    assert (block.marker.kind, block.marker.label) == (kind, label)


@pytest.mark.parametrize("line", ["2019 là năm bản lề", "5.440.412 triệu đồng", "10 chỉ số đo lường"])
def test_numbers_at_the_start_are_not_numbering(line: str) -> None:
    (block,) = split_blocks(line)
    assert isinstance(block, Paragraph) and block.marker is None


def test_paragraph_broken_over_lines_keeps_its_lines() -> None:
    text = "**2.2.** Thường xuyên rà soát phù hợp với tình hình\n\nphát triển kinh tế - xã hội.\n\n2.3. Tiếp."
    first, second = split_blocks(text)
    assert isinstance(first, Paragraph) and isinstance(second, Paragraph)
    assert first.text == "2.2. Thường xuyên rà soát phù hợp với tình hình phát triển kinh tế - xã hội."
    assert (first.line, first.line_at(first.text.index("phát triển")), second.line) == (1, 3, 5)


def test_hard_wrapped_lines_join_but_headings_do_not() -> None:
    blocks = split_blocks("KẾ HOẠCH\nTHỰC HIỆN NĂM 2019\nb) Hỗ trợ giống cho hộ nghèo,\nhộ cận nghèo.")
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == [
        "KẾ HOẠCH",
        "THỰC HIỆN NĂM 2019",
        "b) Hỗ trợ giống cho hộ nghèo, hộ cận nghèo.",
    ]


@pytest.mark.parametrize(
    "table",
    [
        "| TT | Nguồn | Số tiền |\n|---|---|---|\n"
        "| 1 | Ngân sách **trung ương** | 800 |\n| 2 | Ngân sách địa phương | 150 |",
        "TT\tNguồn\tSố tiền\n1\tNgân sách trung ương\t800\n2\tNgân sách địa phương\t150",
        "TT   Nguồn                    Số tiền\n"
        "1    Ngân sách trung ương     800\n"
        "2    Ngân sách địa phương     150",
    ],
    ids=["pipes", "tabs", "aligned"],
)
def test_tables(table: str) -> None:
    blocks = split_blocks("Bảng kinh phí:\n\n" + table + "\n\nHết.")
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables) == 1
    assert tables[0].rows == (
        ("TT", "Nguồn", "Số tiền"),
        ("1", "Ngân sách trung ương", "800"),
        ("2", "Ngân sách địa phương", "150"),
    )
    expected_lines = (3, 5, 6) if "---" in table else (3, 4, 5)  # a Markdown separator row is skipped
    assert tables[0].lines == expected_lines
    assert tables[0].caption == "Bảng kinh phí:"
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == ["Bảng kinh phí:", "Hết."]


def test_decomposed_unicode_is_normalised() -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Giảm tỷ lệ hộ nghèo")
    (block,) = split_blocks(decomposed)
    assert isinstance(block, Paragraph)
    assert block.text == "Giảm tỷ lệ hộ nghèo"


def test_a_short_line_then_a_capitalised_one_are_two_paragraphs() -> None:
    # typed one paragraph per line: "2. Phòng Văn hóa - Xã hội" is a heading, not the start of a sentence
    text = (
        "2. Phòng Văn hóa - Xã hội\n"
        "Chủ trì thực hiện các chính sách hỗ trợ về y tế, giáo dục, trợ giúp xã hội đối với hộ nghèo, hộ cận "
        "nghèo; phối hợp với Phòng Kinh tế trong công tác rà soát hộ nghèo, hộ cận nghèo.\n"
        "3. Văn phòng HĐND và UBND xã\n"
        "Bố trí kinh phí, hướng dẫn thanh quyết toán kinh phí thực hiện Kế hoạch theo quy định hiện hành "
        "của Nhà nước và của tỉnh về quản lý ngân sách.\n"
    )
    texts = [b.text for b in split_blocks(text) if isinstance(b, Paragraph)]
    assert texts[0] == "2. Phòng Văn hóa - Xã hội"
    assert texts[1].startswith("Chủ trì thực hiện")
    assert len(texts) == 4


def test_a_line_wrapped_at_the_width_goes_on_with_a_capital() -> None:
    # copied from a PDF: every line is as long as the others, and a name may start the next one
    text = (
        "3. UBND các xã, thị trấn xây dựng kế hoạch giảm nghèo năm 2025 của xã, gửi về Phòng\n"
        "Lao động - Thương binh và Xã hội trước ngày 15/3/2025; chịu trách nhiệm trước UBND\n"
        "huyện về kết quả giảm nghèo trên địa bàn, bảo đảm đúng tiến độ đề ra trong kế hoạch.\n"
    )
    (block,) = split_blocks(text)
    assert isinstance(block, Paragraph)
    assert "gửi về Phòng Lao động - Thương binh và Xã hội trước ngày 15/3/2025" in block.text
    assert block.line_at(block.text.index("huyện về")) == 3


def test_a_wrapped_line_ending_with_a_colon_goes_on_with_its_figure() -> None:
    text = (
        "Tổng kinh phí thực hiện năm 2026 dự kiến là 3.485 triệu đồng, được bố trí từ các nguồn sau đây:\n"
        "- Ngân sách trung ương (Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn này):\n"
        "1.920 triệu đồng;\n"
        "- Ngân sách tỉnh hỗ trợ thực hiện các chính sách giảm nghèo trên địa bàn xã: 415 triệu đồng.\n"
    )
    texts = [b.text for b in split_blocks(text) if isinstance(b, Paragraph)]
    assert texts[1].endswith("bền vững giai đoạn này): 1.920 triệu đồng;")
    assert len(texts) == 3
