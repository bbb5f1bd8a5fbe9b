"""Choropleth maps of Vietnam's provinces (bản đồ phân tầng màu theo tỉnh), drawn as SVG on the server.

Framework-free (no Django): the boundaries are read once from ``data/provinces-2025.json`` (34 provinces
since 1 July 2025) or ``data/provinces-pre2025.json`` (the 63 before), projected with an
equirectangular projection scaled by cos(16° N) (fine at this scale), and written as one ``<path>`` per
province. Nothing is loaded from the internet: no tiles, no script, no font, no link.

Values are keyed by the two-digit province code of ``geo.AdminUnit.code`` in the map's generation
(``"01"`` Hà Nội, ``"51"`` Quảng Ngãi). In ``values``, a code with a number is coloured by its class, a
code with ``None`` is in the map's scope but has no data (hatched), and a code left out is outside the
scope (plain grey, no value): e.g. provinces outside the viewer's territory.

Every map shows the Hoàng Sa archipelago (part of Đà Nẵng) and the Trường Sa archipelago (part of
Khánh Hòa) as labelled island groups, which the boundary source leaves out (data/README.md), and the
Natural Earth credit. Colours: ColorBrewer "OrRd" (Cynthia Brewer, Pennsylvania State University), a
sequential palette whose lightness falls class by class, so it still reads in greyscale.
"""

from __future__ import annotations

import bisect
import html
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

from giamngheo.documents.formatting import number

DATA_DIR: Final = Path(__file__).with_name("data")
DATA_FILES: Final[Mapping[str, str]] = {"2025": "provinces-2025.json", "pre-2025": "provinces-pre2025.json"}
GENERATIONS: Final = tuple(DATA_FILES)

# Projection: x grows east from LON0, y grows south from LAT0; SCALE units per degree of latitude.
LON0: Final = 102.0
LAT0: Final = 23.5
LAT_BOTTOM: Final = 8.3
LON_RIGHT: Final = 114.6
SCALE: Final = 40.0
COS_LAT: Final = math.cos(math.radians(16.0))
FOOTER: Final = 34.0  # room under the map for the attribution
WIDTH: Final = round((LON_RIGHT - LON0) * COS_LAT * SCALE, 1)
HEIGHT: Final = round((LAT0 - LAT_BOTTOM) * SCALE + FOOTER, 1)
MAX_CLASSES: Final = 7

# ColorBrewer OrRd, light to dark, for 1 to 7 classes.
PALETTES: Final[Mapping[int, tuple[str, ...]]] = {
    1: ("#fc8d59",),
    2: ("#fdbb84", "#d7301f"),
    3: ("#fee8c8", "#fdbb84", "#e34a33"),
    4: ("#fef0d9", "#fdcc8a", "#fc8d59", "#d7301f"),
    5: ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"),
    6: ("#fef0d9", "#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000"),
    7: ("#fef0d9", "#fdd49e", "#fdbb84", "#fc8d59", "#ef6548", "#d7301f", "#990000"),
}
OUTSIDE_FILL: Final = "url(#{prefix}-outside)"  # light grey, dotted: apart from every class in greyscale
OUTSIDE_GREY: Final = "#e6e8eb"
OUTSIDE_DOT: Final = "#aab0b8"
NO_DATA_LINE: Final = "#8a8f96"
BORDER: Final = "#ffffff"
HIGHLIGHT: Final = "#1d2733"
INK: Final = "#1d2733"
INK_MUTED: Final = "#5b6775"

HOANG_SA_PROVINCE: Final = "48"  # Đà Nẵng, in both generations
TRUONG_SA_PROVINCE: Final = "56"  # Khánh Hòa, in both generations

# Approximate positions (lon, lat) of the main islands, cays and reefs, for drawing the two archipelagos
# as island groups; not survey data.
HOANG_SA_ISLANDS: Final[tuple[tuple[float, float], ...]] = (
    (112.33, 16.83),  # Phú Lâm
    (112.27, 16.98),  # Cây
    (112.34, 16.95),  # Trung, Nam
    (112.73, 16.67),  # Linh Côn
    (111.60, 16.53),  # Hoàng Sa
    (111.57, 16.50),  # Hữu Nhật
    (111.50, 16.45),  # Quang Ảnh
    (111.72, 16.45),  # Quang Hòa, Duy Mộng
    (111.65, 16.23),  # Đá Lồi
    (111.77, 16.05),  # Bãi Xà Cừ
    (112.53, 16.05),  # Đá Bông Bay
    (111.20, 15.78),  # Tri Tôn
)
TRUONG_SA_ISLANDS: Final[tuple[tuple[float, float], ...]] = (
    (114.33, 11.43),  # Song Tử Tây, Song Tử Đông
    (114.28, 11.05),  # Thị Tứ
    (114.42, 10.68),  # Loại Ta
    (114.37, 10.38),  # Ba Bình, Sơn Ca
    (114.36, 10.18),  # Nam Yết
    (114.33, 9.88),  # Sinh Tồn
    (114.28, 9.72),  # Gạc Ma
    (114.65, 9.98),  # Ba Đầu
    (112.89, 9.55),  # Chữ Thập
    (111.92, 8.64),  # Trường Sa
    (112.23, 8.85),  # Đá Tây
    (112.58, 8.83),  # Đá Đông
    (112.85, 8.87),  # Châu Viên
    (113.70, 8.97),  # Phan Vinh
    (114.65, 8.85),  # Tiên Nữ
    (113.33, 8.12),  # Thuyền Chài
    (112.92, 7.87),  # An Bang
    (115.53, 9.90),  # Vành Khăn
    (115.87, 9.73),  # Cỏ Mây
    (115.82, 10.75),  # Vĩnh Viễn, Bình Nguyên
)
# The Trường Sa inset: the part of the sea it shows (lon, lat) and where it sits on the map (x, y, w).
TRUONG_SA_EXTENT: Final = (111.3, 117.5, 6.5, 11.8)
TRUONG_SA_BOX: Final = (318.0, 452.0, 150.0)
HOANG_SA_EXTENT: Final = (110.9, 113.1, 15.5, 17.3)  # drawn where it is, at the map's scale


@dataclass(frozen=True)
class MapLabels:
    """The words printed on a map (Vietnamese by default); a caller may pass translated ones."""

    no_data: str = "Không có số liệu"
    outside: str = "Ngoài phạm vi"
    hoang_sa: str = "Quần đảo Hoàng Sa (Việt Nam)"
    truong_sa: str = "Quần đảo Trường Sa (Việt Nam)"
    part_of: str = "thuộc {province}"
    attribution: str = "Ranh giới tỉnh: Natural Earth 1:10 triệu (phạm vi công cộng), giản lược."
    credit: str = "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com."
    highlighted: str = "đang chọn"


@dataclass(frozen=True)
class Province:
    """One province of the shipped boundaries; ``path`` is its outline as SVG path data (projected)."""

    code: str
    name: str
    short_name: str
    new_code: str | None
    path: str
    centre: tuple[float, float]


@dataclass(frozen=True)
class ColourClass:
    """One class of the legend: values in ``lower`` … ``upper`` (both shown), drawn in ``colour``."""

    lower: float
    upper: float
    colour: str
    count: int


# --- numbers ----------------------------------------------------------------------------------------


def format_value(value: float | None, unit: str = "%", decimals: int = 2, *, no_data: str = "") -> str:
    """``4,30 %``, ``1.234 hộ`` (``unit`` after a space when given), or ``no_data`` for ``None``."""
    if value is None:
        return no_data
    text = number(value, decimals)
    return f"{text} {unit}" if unit else text


# --- boundaries -------------------------------------------------------------------------------------


def project(lon: float, lat: float) -> tuple[float, float]:
    """Longitude/latitude (WGS 84) → SVG user units of the national map."""
    return ((lon - LON0) * COS_LAT * SCALE, (LAT0 - lat) * SCALE)


def _ring_path(ring: Sequence[Sequence[float]]) -> str:
    points: list[tuple[float, float]] = []
    for lon, lat in ring:
        x, y = project(lon, lat)
        point = (round(x, 1), round(y, 1))
        if not points or points[-1] != point:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        return ""
    coordinates = " ".join(f"{_num(x)},{_num(y)}" for x, y in points[1:])
    return f"M{_num(points[0][0])},{_num(points[0][1])}L{coordinates}Z"


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _polygons(geometry: Mapping[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unexpected geometry type {geometry['type']!r}")


def _province(feature: Mapping[str, Any]) -> Province:
    props = feature["properties"]
    polygons = _polygons(feature["geometry"])
    path = "".join(_ring_path(ring) for polygon in polygons for ring in polygon)
    # Centre of the largest polygon's bounding box: good enough to place a marker.
    largest = max(polygons, key=lambda p: len(p[0]))
    lons = [c[0] for c in largest[0]]
    lats = [c[1] for c in largest[0]]
    centre = project((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)
    return Province(
        code=str(props["code"]),
        name=str(props["name"]),
        short_name=str(props.get("short_name") or props["name"]),
        new_code=props.get("new_code"),
        path=path,
        centre=(round(centre[0], 1), round(centre[1], 1)),
    )


def _generation(generation: str) -> str:
    if generation not in DATA_FILES:
        raise ValueError(f"unknown map generation {generation!r}: expected one of {', '.join(GENERATIONS)}")
    return generation


@cache
def provinces(generation: str = "2025") -> tuple[Province, ...]:
    """The provinces of ``generation`` (``"2025"``: 34; ``"pre-2025"``: 63), by code; read once."""
    text = (DATA_DIR / DATA_FILES[_generation(generation)]).read_text(encoding="utf-8")
    features = json.loads(text)["features"]
    return tuple(sorted((_province(f) for f in features), key=lambda p: p.code))


def province_codes(generation: str = "2025") -> list[str]:
    """The two-digit codes of the provinces drawn for ``generation``."""
    return [p.code for p in provinces(generation)]


# --- classes ----------------------------------------------------------------------------------------


def quantile_breaks(values: Iterable[float], classes: int) -> list[float]:
    """Upper bounds of ``classes`` quantile classes of ``values`` (the last is the maximum). Fewer
    when values repeat: a bound is never repeated, so no class is empty. Empty for no values."""
    ordered = sorted(values)
    if not ordered:
        return []
    n = len(ordered)
    bounds: list[float] = []
    for i in range(1, classes + 1):
        bound = ordered[math.ceil(i * n / classes) - 1]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def colour_classes(
    values: Iterable[float], *, classes: int = 5, breaks: Sequence[float] | None = None
) -> list[ColourClass]:
    """The legend's classes for ``values``: quantiles (``classes`` of them at most), or fixed ``breaks``
    (the upper bounds of every class but the last, which holds everything above). A value equal to a
    bound belongs to the lower class."""
    if not 1 <= classes <= MAX_CLASSES:
        raise ValueError(f"classes must be between 1 and {MAX_CLASSES}")
    ordered = sorted(values)
    if breaks is not None:
        cuts = sorted(set(breaks))
        if len(cuts) + 1 > MAX_CLASSES:
            raise ValueError(f"at most {MAX_CLASSES - 1} breaks")
        lowest = min([*ordered[:1], cuts[0]]) if cuts else (ordered[0] if ordered else 0.0)
        highest = max([*ordered[-1:], cuts[-1]]) if cuts else (ordered[-1] if ordered else 0.0)
        uppers = [*cuts, highest]
    else:
        uppers = quantile_breaks(ordered, classes)
        lowest = ordered[0] if ordered else 0.0
    if not uppers:
        return []
    palette = PALETTES[len(uppers)]
    counts = [0] * len(uppers)
    for value in ordered:
        counts[min(bisect.bisect_left(uppers, value), len(uppers) - 1)] += 1
    lowers = [lowest, *uppers[:-1]]
    return [
        ColourClass(lower=lo, upper=up, colour=palette[i], count=counts[i])
        for i, (lo, up) in enumerate(zip(lowers, uppers, strict=True))
    ]


def class_of(value: float, classes: Sequence[ColourClass]) -> int:
    """Index of the class holding ``value`` (a value on a bound goes to the lower class)."""
    uppers = [c.upper for c in classes]
    return min(bisect.bisect_left(uppers, value), len(classes) - 1)


# --- drawing ----------------------------------------------------------------------------------------


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _legend(
    *,
    x: float,
    y: float,
    legend_title: str,
    classes: Sequence[ColourClass],
    unit: str,
    decimals: int,
    no_data: bool,
    outside: bool,
    labels: MapLabels,
    prefix: str,
) -> str:
    parts = [f'<g class="map-legend" transform="translate({_num(x)},{_num(y)})">']
    line_y = 0.0
    for line in _wrap(legend_title, 26):
        line_y += 17
        parts.append(f'<text x="0" y="{_num(line_y)}" font-size="14" font-weight="700">{_esc(line)}</text>')
    line_y += 8
    rows: list[tuple[str, str]] = [
        (
            c.colour,
            f"{number(c.lower, decimals)} – {format_value(c.upper, unit, decimals)}"
            if c.lower != c.upper
            else format_value(c.upper, unit, decimals),
        )
        for c in classes
    ]
    if no_data:
        rows.append((f"url(#{prefix}-nodata)", labels.no_data))
    if outside:
        rows.append((OUTSIDE_FILL.format(prefix=prefix), labels.outside))
    for fill, text in rows:
        parts.append(
            f'<rect x="0" y="{_num(line_y)}" width="24" height="16" fill="{fill}" stroke="{INK_MUTED}" '
            f'stroke-width="0.6"/><text x="32" y="{_num(line_y + 12.5)}" font-size="13.5">{_esc(text)}</text>'
        )
        line_y += 21
    parts.append("</g>")
    return "".join(parts)


def _island_dots(
    islands: Sequence[tuple[float, float]],
    place: Callable[[float, float], tuple[float, float]],
    radius: float,
) -> str:
    return "".join(
        f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(radius)}"/>'
        for x, y in (place(lon, lat) for lon, lat in islands)
    )


def _label_lines(text: str, x: float, y: float) -> str:
    return "".join(
        f'<text x="{_num(x)}" y="{_num(y + 12 * i)}" font-size="11" text-anchor="middle">{_esc(line)}</text>'
        for i, line in enumerate(_wrap(text, 18))
    )


def _plain(fill: str | None, prefix: str) -> str:
    """A pattern fill as a plain colour (the island dots are too small for a pattern)."""
    if fill is None or fill == OUTSIDE_FILL.format(prefix=prefix):
        return OUTSIDE_GREY
    return "#ffffff" if fill.startswith("url(") else fill


def _islands(*, fills: Mapping[str, str], names: Mapping[str, str], labels: MapLabels, prefix: str) -> str:
    """Hoàng Sa where it is (with a frame), Trường Sa in an inset box on the right."""
    parts: list[str] = []
    # Hoàng Sa: at the map's scale, framed.
    lon_min, lon_max, lat_min, lat_max = HOANG_SA_EXTENT
    x0, y0 = project(lon_min, lat_max)
    x1, y1 = project(lon_max, lat_min)
    hs_name = labels.hoang_sa
    hs_title = f"{hs_name}, {labels.part_of.format(province=names.get(HOANG_SA_PROVINCE, ''))}"
    parts.append(
        f'<g class="map-islands" role="img" aria-label="{_esc(hs_title)}"><title>{_esc(hs_title)}</title>'
        f'<rect x="{_num(x0)}" y="{_num(y0)}" width="{_num(x1 - x0)}" height="{_num(y1 - y0)}" '
        f'fill="none" stroke="{INK_MUTED}" stroke-width="0.6" stroke-dasharray="3 2"/>'
        f'<g fill="{_plain(fills.get(HOANG_SA_PROVINCE), prefix)}" stroke="{INK}" stroke-width="0.6">'
        f"{_island_dots(HOANG_SA_ISLANDS, project, 2.0)}</g>"
        f"{_label_lines(hs_name, (x0 + x1) / 2, y1 + 12)}</g>"
    )
    # Trường Sa: an inset box with its own scale.
    lon_min, lon_max, lat_min, lat_max = TRUONG_SA_EXTENT
    bx, by, bw = TRUONG_SA_BOX
    k = bw / ((lon_max - lon_min) * COS_LAT)
    bh = (lat_max - lat_min) * k

    def place(lon: float, lat: float) -> tuple[float, float]:
        return (bx + (lon - lon_min) * COS_LAT * k, by + (lat_max - lat) * k)

    ts_name = labels.truong_sa
    ts_title = f"{ts_name}, {labels.part_of.format(province=names.get(TRUONG_SA_PROVINCE, ''))}"
    parts.append(
        f'<g class="map-islands" role="img" aria-label="{_esc(ts_title)}"><title>{_esc(ts_title)}</title>'
        f'<rect x="{_num(bx)}" y="{_num(by)}" width="{_num(bw)}" height="{_num(bh)}" fill="#ffffff" '
        f'fill-opacity="0.6" stroke="{INK_MUTED}" stroke-width="0.8"/>'
        f'<g fill="{_plain(fills.get(TRUONG_SA_PROVINCE), prefix)}" stroke="{INK}" stroke-width="0.6">'
        f"{_island_dots(TRUONG_SA_ISLANDS, place, 2.0)}</g>"
        f"{_label_lines(ts_name, bx + bw / 2, by + bh + 13)}</g>"
    )
    return "".join(parts)


def choropleth_svg(
    values: Mapping[str, float | None],
    *,
    generation: str = "2025",
    title: str,
    legend_title: str,
    unit: str = "%",
    classes: int = 5,
    breaks: Sequence[float] | None = None,
    decimals: int | None = None,
    highlight: str | None = None,
    href_for: Callable[[str], str | None] | None = None,
    labels: MapLabels | None = None,
    id_prefix: str = "map",
    standalone: bool = False,
) -> str:
    """An accessible SVG choropleth of ``values`` by province (see the module docstring for the keys).

    - one ``<path>`` per province, with a ``<title>`` ("Quảng Ngãi: 4,30 %"), inside an ``<a>`` when
      ``href_for(code)`` gives a URL (drill-down);
    - classes: quantiles of the values (``classes``, 1-7, fewer when values repeat) or fixed ``breaks``;
      "no data" (``None``) hatched, outside the scope (code absent) plain grey; ``highlight`` (a code)
      outlined in dark ink on top;
    - a legend, Hoàng Sa and Trường Sa as labelled island groups, the Natural Earth credit;
    - numbers in Vietnamese format with ``decimals`` (default: 2 for ``%``, 0 otherwise).

    Meant to be inlined in an HTML page (no ``xmlns``, so no URL at all in the output); pass
    ``standalone=True`` for an ``.svg`` file. ``id_prefix`` keeps ids unique when a page has two maps.
    Raises ``ValueError`` for an unknown generation or a bad number of classes.
    """
    labels = labels or MapLabels()
    drawn = provinces(generation)
    digits = decimals if decimals is not None else (2 if unit == "%" else 0)
    known = {p.code for p in drawn}
    numbers = [float(v) for code, v in values.items() if v is not None and code in known]
    legend = colour_classes(numbers, classes=classes, breaks=breaks)
    prefix = _esc(id_prefix)
    names = {p.code: p.short_name for p in drawn}

    fills: dict[str, str] = {}
    has_no_data = has_outside = False
    for province in drawn:
        if province.code not in values:
            fills[province.code] = OUTSIDE_FILL.format(prefix=prefix)
            has_outside = True
        elif (value := values[province.code]) is None:
            fills[province.code] = f"url(#{prefix}-nodata)"
            has_no_data = True
        else:
            fills[province.code] = legend[class_of(float(value), legend)].colour

    body: list[str] = []
    highlighted: list[str] = []
    for province in drawn:
        code = province.code
        value = values.get(code)
        if code not in values:
            state, shown = "outside", labels.outside
        elif value is None:
            state, shown = "no-data", labels.no_data
        else:
            state, shown = f"class-{class_of(float(value), legend) + 1}", format_value(value, unit, digits)
        label = f"{province.short_name}: {shown}"
        if code == highlight:
            label = f"{label} ({labels.highlighted})"
        path = (
            f'<path d="{province.path}" fill="{fills[code]}" class="province {state}'
            f'{" is-highlight" if code == highlight else ""}" data-code="{_esc(code)}">'
            f"<title>{_esc(label)}</title></path>"
        )
        href = href_for(code) if href_for is not None else None
        if href:
            path = f'<a href="{_esc(href)}" aria-label="{_esc(label)}">{path}</a>'
        (highlighted if code == highlight else body).append(path)

    outline = ""
    if highlight in known:
        target = next(p for p in drawn if p.code == highlight)
        outline = (
            f'<path d="{target.path}" fill="none" stroke="{HIGHLIGHT}" stroke-width="2.4" '
            f'stroke-linejoin="round" class="highlight-outline" aria-hidden="true"/>'
        )

    description = f"{legend_title}. {labels.attribution}"
    xmlns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    svg = [
        f'<svg{xmlns} viewBox="0 0 {_num(WIDTH)} {_num(HEIGHT)}" class="choropleth" role="group" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" font-family="system-ui, sans-serif" fill="{INK}">',
        f'<title id="{prefix}-title">{_esc(title)}</title>',
        f'<desc id="{prefix}-desc">{_esc(description)}</desc>',
        f'<defs><pattern id="{prefix}-nodata" patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{NO_DATA_LINE}" stroke-width="1.6"/></pattern>'
        f'<pattern id="{prefix}-outside" patternUnits="userSpaceOnUse" width="4" height="4">'
        f'<rect width="4" height="4" fill="{OUTSIDE_GREY}"/>'
        f'<circle cx="2" cy="2" r="0.7" fill="{OUTSIDE_DOT}"/></pattern></defs>',
        f'<g class="provinces" stroke="{BORDER}" stroke-width="0.7" stroke-linejoin="round" '
        f'fill-rule="evenodd">{"".join(body)}{"".join(highlighted)}</g>',
        outline,
        _islands(fills=fills, names=names, labels=labels, prefix=prefix),
        _legend(
            x=262,
            y=8,
            legend_title=legend_title,
            classes=legend,
            unit=unit,
            decimals=digits,
            no_data=has_no_data,
            outside=has_outside,
            labels=labels,
            prefix=prefix,
        ),
        f'<g class="map-attribution" font-size="9.5" fill="{INK_MUTED}">'
        f'<text x="6" y="{_num(HEIGHT - 18)}">{_esc(labels.attribution)}</text>'
        f'<text x="6" y="{_num(HEIGHT - 6)}">{_esc(labels.credit)}</text></g>',
        "</svg>",
    ]
    return "".join(svg)
