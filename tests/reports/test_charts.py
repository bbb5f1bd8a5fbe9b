"""Server-drawn SVG charts: well-formed, accessible (titles), escaped, self-contained."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from giamngheo.reports.charts import Bar, Line, Segment, StackedBar, bar_chart, line_chart, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises on anything that is not well-formed XML
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    return root


def _titles(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}title")]


def _no_external_reference(svg: str) -> None:
    without_namespace = svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "http" not in without_namespace
    assert "<script" not in without_namespace
    assert "//" not in without_namespace


def test_bar_chart_has_a_title_a_description_and_one_title_per_bar() -> None:
    svg = bar_chart(
        [Bar("Thiếu vốn sản xuất", 307), Bar('Thiếu đất <sản xuất> & "nước"', 40)],
        title="Nguyên nhân nghèo",
        description="Số hộ nêu từng nguyên nhân",
        fmt=lambda v: f"{v:.0f} hộ",
    )
    root = _parse(svg)
    titles = _titles(root)
    assert titles[0] == "Nguyên nhân nghèo"
    assert titles[1:] == ["Thiếu vốn sản xuất: 307 hộ", 'Thiếu đất <sản xuất> & "nước": 40 hộ']
    assert root.find(f"{SVG}desc") is not None
    assert root.get("aria-labelledby", "").split() == [
        root.find(f"{SVG}title").get("id"),  # type: ignore[union-attr]
        root.find(f"{SVG}desc").get("id"),  # type: ignore[union-attr]
    ]
    widths = [float(r.get("width", "0")) for r in root.iter(f"{SVG}rect")]
    assert widths[0] > widths[1] > 0
    assert widths[0] / widths[1] == pytest.approx(307 / 40, rel=0.01)
    _no_external_reference(svg)


def test_links_are_kept_inside_the_site_only() -> None:
    svg = stacked_bar_chart(
        [
            StackedBar(
                "Xã A", (Segment("Nghèo", 8.17), Segment("Cận nghèo", 7.83)), href="/bao-cao/x?nam=2025&a=1"
            ),
            StackedBar(
                "Xã B", (Segment("Nghèo", 1.0), Segment("Cận nghèo", 2.0)), href="https://example.com/"
            ),
            StackedBar("Xã C", (Segment("Nghèo", 1.0), Segment("Cận nghèo", 2.0)), href="//example.com/"),
        ],
        series=["Nghèo", "Cận nghèo"],
        title="Tỷ lệ theo xã",
        description="Xếp từ tỷ lệ hộ nghèo cao nhất",
        fmt=lambda v: f"{v:.2f} %",
    )
    root = _parse(svg)
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert links == ["/bao-cao/x?nam=2025&a=1"]
    assert "Xã A — Nghèo: 8.17 %; Cận nghèo: 7.83 %" in _titles(root)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "8.17 % + 7.83 %" in texts
    _no_external_reference(svg)


def test_line_chart_draws_one_point_per_known_value() -> None:
    svg = line_chart(
        ["2024", "2025", "2026"],
        [Line("Tỷ lệ hộ nghèo", (5.62, 4.24, None)), Line("Tỷ lệ hộ cận nghèo", (7.44, 4.6, 3.0))],
        title="Xu hướng",
        description="Tỷ lệ qua các năm",
        fmt=lambda v: f"{v:.2f}",
    )
    root = _parse(svg)
    assert len(list(root.iter(f"{SVG}circle"))) == 5
    assert len(list(root.iter(f"{SVG}polyline"))) == 2
    assert "Tỷ lệ hộ nghèo, 2025: 4.24" in _titles(root)
    _no_external_reference(svg)


def test_charts_of_nothing_are_still_valid() -> None:
    for svg in (
        bar_chart([], title="Trống", description="Không có số liệu"),
        stacked_bar_chart([], series=["a"], title="Trống", description="Không có số liệu"),
        line_chart([], [], title="Trống", description="Không có số liệu"),
    ):
        assert _titles(_parse(svg))[0] == "Trống"
