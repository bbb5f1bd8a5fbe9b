"""Build the province boundaries the maps ship (``provinces-2025.json``, ``provinces-pre2025.json``).

Usage (shapely >= 2.1 with GEOS >= 3.12; not a dependency of the application, only of this script)::

    python src/giamngheo/reports/data/make_map_data.py /work/shared/geo

Reads ``vn-provinces-2025.geojson`` (34 provinces) and ``vn-provinces-2019.geojson`` (the 63 before
1 July 2025) from the folder given, simplifies each set as a coverage (shared borders stay shared, no
slivers) to ``TOLERANCE`` degrees (about 1 km, under a pixel on a national map), snaps to a 1e-4 degree
grid and writes compact GeoJSON with only the properties the maps use: ``code`` (two-digit province
code, the join key), ``name``, ``short_name`` and, for the older map, ``new_code`` (the 2025 province it
went into). See README.md in this folder.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

# shapely is not a dependency of the application (and has no type stubs): loaded only when this runs.
shapely: Any = importlib.import_module("shapely")
geometry: Any = importlib.import_module("shapely.geometry")

TOLERANCE = 0.01  # degrees
GRID = 1e-4  # degrees
HERE = Path(__file__).resolve().parent


def _short(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _properties(generation: str, props: dict[str, Any]) -> dict[str, Any]:
    if generation == "2025":
        return {"code": f"{props['code']:02d}", "name": props["name"], "short_name": props["short_name"]}
    return {
        "code": f"{props['old_code']:02d}",
        "name": props["name"],
        "short_name": _short(props["name"]),
        "new_code": f"{props['new_code']:02d}",
    }


def convert(source: Path, generation: str) -> dict[str, Any]:
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    geometries = [geometry.shape(f["geometry"]) for f in features]
    simplified = shapely.set_precision(shapely.coverage_simplify(geometries, tolerance=TOLERANCE), GRID)
    if not shapely.coverage_is_valid(simplified) or not all(g.is_valid for g in simplified):
        raise SystemExit(f"{source.name}: the simplified provinces are not a valid coverage")
    out = [
        {
            "type": "Feature",
            "properties": _properties(generation, f["properties"]),
            "geometry": geometry.mapping(g),
        }
        for f, g in zip(features, simplified, strict=True)
    ]
    out.sort(key=lambda f: f["properties"]["code"])
    return {"type": "FeatureCollection", "features": out}


def main(folder: str) -> None:
    for generation, name, target in (
        ("2025", "vn-provinces-2025.geojson", "provinces-2025.json"),
        ("pre-2025", "vn-provinces-2019.geojson", "provinces-pre2025.json"),
    ):
        data = convert(Path(folder) / name, generation)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        (HERE / target).write_text(text + "\n", encoding="utf-8")
        print(f"{target}: {len(data['features'])} provinces, {len(text) // 1024} KB")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/geo")
