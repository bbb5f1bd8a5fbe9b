"""The SVG choropleth renderer (``reports.maps``): boundaries, joins, classes, legend, accessibility."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from vietnam_provinces import Province as PackageProvince

from giamngheo.reports import maps

CODES_2025 = maps.province_codes("2025")


def _svg(values: dict[str, float | None], **options: Any) -> ET.Element:
    text = maps.choropleth_svg(values, title="Tỷ lệ hộ nghèo", legend_title="Tỷ lệ hộ nghèo (%)", **options)
    return ET.fromstring(text)


def _paths(root: ET.Element) -> dict[str, ET.Element]:
    return {p.attrib["data-code"]: p for p in root.iter("path") if "data-code" in p.attrib}


def _title(element: ET.Element) -> str:
    title = element.find("title")
    assert title is not None
    return title.text or ""


def _legend_texts(root: ET.Element) -> list[str]:
    legend = next(g for g in root.iter("g") if g.attrib.get("class") == "map-legend")
    return [t.text or "" for t in legend.iter("text")]


# --- boundaries and joins -----------------------------------------------------------------------


def test_the_2025_map_joins_every_province_of_the_package_by_code_and_name() -> None:
    package = {f"{int(p.code):02d}": p.name for p in PackageProvince.iter_all()}
    drawn = {p.code: p.name for p in maps.provinces("2025")}
    assert len(drawn) == 34
    assert drawn == package


def test_the_pre2025_map_joins_the_63_provinces_geo_loads() -> None:
    from giamngheo.geo.models import Level
    from giamngheo.geo.pre2025_source import read_package

    source = read_package()
    old_codes = {u.code for u in source.units if u.level == Level.PROVINCE}
    drawn = maps.provinces("pre-2025")
    assert len(drawn) == 63
    assert {p.code for p in drawn} == old_codes
    # every old province went into one of the 34, and every one of the 34 is made of old ones
    assert {p.new_code for p in drawn} == set(CODES_2025)
    kon_tum = next(p for p in drawn if p.code == "62")
    assert (kon_tum.short_name, kon_tum.new_code) == ("Kon Tum", "51")


def test_every_province_is_one_path_with_its_code() -> None:
    root = _svg({code: 1.0 for code in CODES_2025})
    paths = _paths(root)
    assert sorted(paths) == CODES_2025
    assert all(p.attrib["d"].startswith("M") and p.attrib["d"].endswith("Z") for p in paths.values())
    old = _paths(_svg({}, generation="pre-2025"))
    assert len(old) == 63


def test_unknown_generation_and_bad_class_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="generation"):
        maps.choropleth_svg({}, generation="2019", title="t", legend_title="l")
    with pytest.raises(ValueError, match="classes"):
        maps.choropleth_svg({}, title="t", legend_title="l", classes=0)
    with pytest.raises(ValueError, match="classes"):
        maps.colour_classes([1.0], classes=8)


# --- classes and legend ---------------------------------------------------------------------------


def test_quantile_classes_for_known_values() -> None:
    values: dict[str, float | None] = {code: float(i + 1) for i, code in enumerate(CODES_2025[:10])}
    root = _svg(values)
    paths = _paths(root)
    palette = maps.PALETTES[5]
    # 1..10 in five quantile classes: 1-2, 3-4, 5-6, 7-8, 9-10
    assert [paths[code].attrib["fill"] for code in CODES_2025[:10]] == [
        palette[0], palette[0], palette[1], palette[1], palette[2],
        palette[2], palette[3], palette[3], palette[4], palette[4],
    ]  # fmt: skip
    assert "class-1" in paths[CODES_2025[0]].attrib["class"]
    assert "class-5" in paths[CODES_2025[9]].attrib["class"]
    texts = _legend_texts(root)
    assert texts[:7] == [
        "Tỷ lệ hộ nghèo (%)",
        "1,00 – 2,00 %",
        "2,00 – 4,00 %",
        "4,00 – 6,00 %",
        "6,00 – 8,00 %",
        "8,00 – 10,00 %",
        "Ngoài phạm vi",
    ]


def test_fixed_breaks_and_a_value_on_a_bound_goes_to_the_lower_class() -> None:
    classes = maps.colour_classes([1.0, 5.0, 12.0, 30.0], breaks=[5.0, 10.0, 20.0])
    assert [(c.lower, c.upper, c.count) for c in classes] == [
        (1.0, 5.0, 2),
        (5.0, 10.0, 0),
        (10.0, 20.0, 1),
        (20.0, 30.0, 1),
    ]
    assert [c.colour for c in classes] == list(maps.PALETTES[4])
    assert maps.class_of(5.0, classes) == 0
    assert maps.class_of(5.01, classes) == 1
    assert maps.class_of(99.0, classes) == 3


def test_repeated_values_give_fewer_classes_and_no_empty_one() -> None:
    assert maps.quantile_breaks([3.0, 3.0, 3.0, 3.0], 5) == [3.0]
    assert maps.quantile_breaks([1.0, 1.0, 1.0, 2.0], 4) == [1.0, 2.0]
    assert maps.quantile_breaks([], 5) == []
    root = _svg({"01": 3.0, "51": 3.0})
    assert _paths(root)["01"].attrib["fill"] == maps.PALETTES[1][0]
    assert "3,00 %" in _legend_texts(root)


def test_counts_are_shown_with_their_unit_and_no_decimals() -> None:
    root = _svg({"51": 1234.0, "01": 15.0}, unit="hộ")
    assert _title(_paths(root)["51"]) == "Quảng Ngãi: 1.234 hộ"
    assert "15 – 1.234 hộ" in _legend_texts(root)


# --- no data, outside, highlight, links -----------------------------------------------------------


def test_no_data_is_hatched_and_outside_is_plain_grey() -> None:
    root = _svg({"51": 4.3, "48": None})
    paths = _paths(root)
    assert paths["48"].attrib["fill"] == "url(#map-nodata)"
    assert "no-data" in paths["48"].attrib["class"]
    assert _title(paths["48"]) == "Đà Nẵng: Không có số liệu"
    assert paths["01"].attrib["fill"] == "url(#map-outside)"
    assert "outside" in paths["01"].attrib["class"]
    assert _title(paths["01"]) == "Hà Nội: Ngoài phạm vi"
    assert _title(paths["51"]) == "Quảng Ngãi: 4,30 %"
    pattern = next(root.iter("pattern"))
    assert pattern.attrib["id"] == "map-nodata"
    assert _legend_texts(root)[-2:] == ["Không có số liệu", "Ngoài phạm vi"]


def test_no_values_at_all_gives_a_legend_without_classes() -> None:
    root = _svg(dict.fromkeys(CODES_2025))
    assert _legend_texts(root) == ["Tỷ lệ hộ nghèo (%)", "Không có số liệu"]
    assert {p.attrib["fill"] for p in _paths(root).values()} == {"url(#map-nodata)"}


def test_links_come_from_the_callback_and_are_escaped() -> None:
    text = maps.choropleth_svg(
        {"51": 4.3, "48": 2.0},
        title="t",
        legend_title="l",
        href_for=lambda code: f"/bao-cao/ban-do/?chi-so=a&tinh={code}" if code == "51" else None,
    )
    root = ET.fromstring(text)
    links = list(root.iter("a"))
    assert [a.attrib["href"] for a in links] == ["/bao-cao/ban-do/?chi-so=a&tinh=51"]
    assert links[0].attrib["aria-label"] == "Quảng Ngãi: 4,30 %"
    assert "&amp;tinh=51" in text


def test_the_highlighted_province_is_outlined_and_drawn_last() -> None:
    root = _svg({"51": 4.3, "48": 2.0}, highlight="51")
    provinces = next(g for g in root.iter("g") if g.attrib.get("class") == "provinces")
    last = list(provinces.iter("path"))[-1]
    assert last.attrib["data-code"] == "51"
    assert "is-highlight" in last.attrib["class"]
    assert _title(last) == "Quảng Ngãi: 4,30 % (đang chọn)"
    outline = [p for p in root.iter("path") if p.attrib.get("class") == "highlight-outline"]
    assert len(outline) == 1 and outline[0].attrib["d"] == last.attrib["d"]
    assert not [p for p in _svg({"51": 1.0}).iter("path") if p.attrib.get("class") == "highlight-outline"]


# --- what every map must carry --------------------------------------------------------------------


def test_accessible_title_and_description() -> None:
    root = _svg({"51": 1.0}, id_prefix="m2")
    assert root.attrib["aria-labelledby"] == "m2-title m2-desc"
    title = root.find("title")
    assert title is not None and title.attrib["id"] == "m2-title" and title.text == "Tỷ lệ hộ nghèo"
    assert [p.attrib["id"] for p in root.iter("pattern")] == ["m2-nodata", "m2-outside"]
    assert _paths(root)["01"].attrib["fill"] == "url(#m2-outside)"


def test_attribution_is_printed() -> None:
    root = _svg({"51": 1.0})
    attribution = next(g for g in root.iter("g") if g.attrib.get("class") == "map-attribution")
    texts = [t.text for t in attribution.iter("text")]
    assert texts == [
        "Ranh giới tỉnh: Natural Earth 1:10 triệu (phạm vi công cộng), giản lược.",
        "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com.",
    ]


def test_hoang_sa_and_truong_sa_are_drawn_and_labelled() -> None:
    root = _svg({"48": 2.0, "56": 7.0})
    groups = [g for g in root.iter("g") if g.attrib.get("class") == "map-islands"]
    labels = [g.attrib["aria-label"] for g in groups]
    assert labels == [
        "Quần đảo Hoàng Sa (Việt Nam), thuộc Đà Nẵng",
        "Quần đảo Trường Sa (Việt Nam), thuộc Khánh Hòa",
    ]
    hoang_sa, truong_sa = groups
    assert " ".join(t.text or "" for t in hoang_sa.iter("text")) == "Quần đảo Hoàng Sa (Việt Nam)"
    assert " ".join(t.text or "" for t in truong_sa.iter("text")) == "Quần đảo Trường Sa (Việt Nam)"
    # Hoàng Sa where it is (111.2-112.9 E, 15.7-17.1 N); both coloured as their province
    left, top = maps.project(111.2, 17.1)
    right, bottom = maps.project(112.9, 15.7)
    dots = list(hoang_sa.iter("circle"))
    assert len(dots) == len(maps.HOANG_SA_ISLANDS)
    for dot in dots:
        assert left - 0.1 <= float(dot.attrib["cx"]) <= right + 0.1
        assert top - 0.1 <= float(dot.attrib["cy"]) <= bottom + 0.1
    fills = {g.attrib["fill"] for group in groups for g in group.iter("g") if "fill" in g.attrib}
    assert fills == {_paths(root)["48"].attrib["fill"], _paths(root)["56"].attrib["fill"]}
    assert len(list(truong_sa.iter("circle"))) == len(maps.TRUONG_SA_ISLANDS)
    # too small for a pattern: no data → white, outside → plain grey
    root = _svg({"48": None})
    islands = [g for g in root.iter("g") if g.attrib.get("class") == "map-islands"]
    assert [g.attrib["fill"] for group in islands for g in group.iter("g") if "fill" in g.attrib] == [
        "#ffffff",
        maps.OUTSIDE_GREY,
    ]


def test_nothing_points_outside_the_page() -> None:
    text = maps.choropleth_svg({"51": 1.0}, title="t", legend_title="l")
    assert "http" not in text
    assert "xmlns" not in text
    standalone = maps.choropleth_svg({"51": 1.0}, title="t", legend_title="l", standalone=True)
    assert ET.fromstring(standalone).tag == "{http://www.w3.org/2000/svg}svg"
    assert standalone.count("http") == 1  # the SVG namespace name, which is not fetched


def test_text_is_escaped() -> None:
    text = maps.choropleth_svg({"51": 1.0}, title='A <b> & "c"', legend_title="x < y")
    root = ET.fromstring(text)
    title = root.find("title")
    assert title is not None and title.text == 'A <b> & "c"'
    assert "x < y" in _legend_texts(root)


def test_labels_can_be_translated() -> None:
    labels = maps.MapLabels(no_data="No data", outside="Outside your area", part_of="part of {province}")
    root = _svg({"51": None}, labels=labels)
    assert _title(_paths(root)["51"]) == "Quảng Ngãi: No data"
    assert _legend_texts(root)[-2:] == ["No data", "Outside your area"]


# --- numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "expected"),
    [
        (4.3, "%", 2, "4,30 %"),
        (0.0, "%", 2, "0,00 %"),
        (12.345, "%", 1, "12,3 %"),
        (1234567.0, "", 0, "1.234.567"),
        (1234.5, "hộ", 0, "1.234 hộ"),
        (1234.5678, "", 2, "1.234,57"),
        (None, "%", 2, ""),
    ],
)
def test_vietnamese_number_format(value: float | None, unit: str, decimals: int, expected: str) -> None:
    assert maps.format_value(value, unit, decimals) == expected
