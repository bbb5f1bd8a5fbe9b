"""Legal standards as data: loading ``data/*.toml`` into typed, immutable :class:`Standard` objects.

A standard file holds the income lines, the classification rule, the dimensions and the indicators with
their cut-offs, each item citing its legal basis and carrying a ``status`` (``confirmed``,
``best_reading`` or ``unconfirmed``). A local standard (chuẩn nghèo địa phương) names the national standard
it ``extends`` and overrides only what it changes:

- ``classification`` and ``params`` are merged key by key;
- ``lines.<area>`` tables replace the inherited table of that area whole (a line and its bands belong
  together); a standard that changes any line does not inherit the score-card lines, which are
  calibrated to the national lines, unless it gives its own ``[score]``;
- ``indicators`` are merged by ``id`` (a listed id overrides the inherited fields it gives, a new id adds
  an indicator whose ``impl`` must exist in :mod:`giamngheo.standards.indicators`), and
  ``remove_indicators`` drops inherited ones;
- ``validity`` and ``province_codes`` are the local file's own.
"""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

DATA_DIR: Final = Path(__file__).with_name("data")

Status = Literal["confirmed", "best_reading", "unconfirmed"]
STATUSES: Final = ("confirmed", "best_reading", "unconfirmed")
RULES: Final = ("single_line", "two_band")
AREAS: Final = ("urban", "rural")


class StandardError(ValueError):
    """A standard file is malformed, or no standard matches a request.

    ``message_vi`` is shown to users; ``str(error)`` is English for logs.
    """

    def __init__(self, message_en: str, message_vi: str) -> None:
        super().__init__(message_en)
        self.message_vi = message_vi


@dataclass(frozen=True, slots=True)
class Validity:
    start: dt.date
    end: dt.date
    citation: str
    status: Status

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class AreaLines:
    """Income lines for one area, held as VND per person per YEAR (exact integers).

    ``poverty`` is the line up to which the poor / near-poor test applies; ``lower`` (two-band rule only)
    the line at or below which a household is poor whatever its deprivations; ``middle_upper`` the top of
    the middle-living band (absent when the standard defines none).
    """

    poverty: int
    lower: int | None
    middle_upper: int | None
    citation: str
    status: Status
    period: Literal["month", "year"] = "month"
    """How the legal text states the lines (per person per month or per year)."""
    middle_citation: str = ""
    middle_status: Status | None = None
    """Source and status of the middle-living band when they differ from the lines'."""

    @property
    def poverty_monthly(self) -> float:
        return self.poverty / 12


@dataclass(frozen=True, slots=True)
class ScoreLines:
    """Score-card path: score A (estimated income) at or below the area's line; B = points × count."""

    urban: float
    rural: float
    points_per_deprivation: int
    citation: str
    status: Status


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    id: str
    impl: str
    dimension: str
    label_vi: str
    label_en: str
    citation: str
    status: Status
    params: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Standard:
    """One legal poverty standard, ready for :func:`giamngheo.standards.evaluate`."""

    id: str
    version: int
    kind: Literal["national", "local"]
    title_vi: str
    title_en: str
    legal_basis: str
    validity: tuple[Validity, ...]
    rule: Literal["single_line", "two_band"]
    poor_min_deprivations: int
    classification_citation: str
    classification_status: Status
    lines: Mapping[str, AreaLines]
    score: ScoreLines | None
    dimensions: Mapping[str, Mapping[str, str]]
    params: Mapping[str, Any]
    params_citation: str
    params_status: Status
    indicators: tuple[IndicatorSpec, ...]
    province_codes: tuple[str, ...] = ()
    extends: str | None = None
    source: str = ""
    unconfirmed: tuple[str, ...] = field(default=())

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.indicators)

    @property
    def has_middle_living(self) -> bool:
        return all(lines.middle_upper is not None for lines in self.lines.values())

    def in_force(self, day: dt.date) -> bool:
        return any(v.contains(day) for v in self.validity)

    @property
    def valid_from(self) -> dt.date:
        return min(v.start for v in self.validity)

    @property
    def valid_to(self) -> dt.date:
        return max(v.end for v in self.validity)


# --- parsing ------------------------------------------------------------------------------------------


def _status(value: object, where: str) -> Status:
    if value not in STATUSES:
        raise StandardError(
            f"{where}: status must be one of {STATUSES}, got {value!r}",
            f"{where}: trạng thái phải là một trong {STATUSES}, nhận được {value!r}",
        )
    return value  # type: ignore[return-value]


def _require(table: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in table:
        raise StandardError(f"{where}: missing key {key!r}", f"{where}: thiếu khóa {key!r}")
    return table[key]


def _money(table: Mapping[str, Any], key: str, factor: int, where: str) -> int | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or value <= 0:
        raise StandardError(
            f"{where}.{key}: a positive whole number of VND expected",
            f"{where}.{key}: cần một số tiền nguyên dương (đồng)",
        )
    return value * factor


def _area_lines(table: Mapping[str, Any], where: str) -> AreaLines:
    period = table.get("period", "month")
    if period not in ("month", "year"):
        raise StandardError(f"{where}.period must be 'month' or 'year'", f"{where}.period phải là month/year")
    factor = 12 if period == "month" else 1
    poverty = _money(table, "poverty", factor, where)
    if poverty is None:
        raise StandardError(f"{where}: missing poverty line", f"{where}: thiếu chuẩn nghèo (poverty)")
    lower = _money(table, "lower", factor, where)
    middle = _money(table, "middle_upper", factor, where)
    if lower is not None and lower >= poverty:
        raise StandardError(f"{where}: lower must be below poverty", f"{where}: lower phải nhỏ hơn poverty")
    if middle is not None and middle <= poverty:
        raise StandardError(
            f"{where}: middle_upper must be above poverty", f"{where}: middle_upper phải lớn hơn poverty"
        )
    middle_status = table.get("middle_status")
    return AreaLines(
        poverty=poverty,
        lower=lower,
        middle_upper=middle,
        citation=str(_require(table, "citation", where)),
        status=_status(table.get("status"), where),
        period=period,
        middle_citation=str(table.get("middle_citation", "")),
        middle_status=None if middle_status is None else _status(middle_status, f"{where}.middle_status"),
    )


def _validity(table: Mapping[str, Any], where: str) -> Validity:
    start, end = _require(table, "from", where), _require(table, "to", where)
    if not isinstance(start, dt.date) or not isinstance(end, dt.date) or isinstance(start, dt.datetime):
        raise StandardError(
            f"{where}: from/to must be TOML dates (2022-01-01, unquoted)",
            f"{where}: ngày hiệu lực phải là ngày dạng 2022-01-01 (không đặt trong ngoặc kép)",
        )
    if end < start:
        raise StandardError(f"{where}: ends before it starts", f"{where}: ngày kết thúc trước ngày bắt đầu")
    return Validity(start, end, str(_require(table, "citation", where)), _status(table.get("status"), where))


def _whole_number(value: object, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise StandardError(f"{where}: a positive whole number expected", f"{where}: cần một số nguyên dương")
    return value


def _unconfirmed_items(raw: Mapping[str, Any]) -> tuple[str, ...]:
    items: list[str] = []
    for i, v in enumerate(raw.get("validity", [])):
        if v.get("status") == "unconfirmed":
            items.append(f"validity[{i}]")
    if raw.get("classification", {}).get("status") == "unconfirmed":
        items.append("classification")
    for area, table in raw.get("lines", {}).items():
        if table.get("status") == "unconfirmed":
            items.append(f"lines.{area}")
        if table.get("middle_status") == "unconfirmed":
            items.append(f"lines.{area}.middle_upper")
    if raw.get("score", {}).get("status") == "unconfirmed":
        items.append("score")
    if raw.get("params", {}).get("params_status") == "unconfirmed":
        items.append("params")
    items.extend(
        f"indicator {i['id']}" for i in raw.get("indicators", []) if i.get("status") == "unconfirmed"
    )
    return tuple(items)


def parse_standard(raw: Mapping[str, Any], source: str = "") -> Standard:
    """Build a :class:`Standard` from an already-merged TOML mapping."""
    sid = str(_require(raw, "id", source))
    where = f"standard {sid}"
    cls = _require(raw, "classification", where)
    rule = _require(cls, "rule", f"{where}.classification")
    if rule not in RULES:
        raise StandardError(f"{where}: unknown rule {rule!r}", f"{where}: quy tắc không hợp lệ {rule!r}")
    lines_raw = _require(raw, "lines", where)
    lines = {
        area: _area_lines(_require(lines_raw, area, f"{where}.lines"), f"{where}.lines.{area}")
        for area in AREAS
    }
    if rule == "two_band" and any(line.lower is None for line in lines.values()):
        raise StandardError(
            f"{where}: two_band needs a lower line", f"{where}: quy tắc hai mức cần chuẩn thấp"
        )
    score = None
    if "score" in raw:
        s = raw["score"]
        score = ScoreLines(
            urban=float(_require(s, "urban", f"{where}.score")),
            rural=float(_require(s, "rural", f"{where}.score")),
            points_per_deprivation=int(_require(s, "points_per_deprivation", f"{where}.score")),
            citation=str(_require(s, "citation", f"{where}.score")),
            status=_status(s.get("status"), f"{where}.score"),
        )
    params = dict(raw.get("params", {}))
    params_citation = str(params.pop("params_citation", ""))
    params_status = _status(params.pop("params_status", "confirmed"), f"{where}.params")
    dimensions = raw.get("dimensions", {})
    indicators = []
    for item in _require(raw, "indicators", where):
        iid = str(_require(item, "id", f"{where}.indicators"))
        iwhere = f"{where}.indicator {iid}"
        dimension = str(_require(item, "dimension", iwhere))
        if dimension not in dimensions:
            raise StandardError(
                f"{iwhere}: unknown dimension {dimension}", f"{iwhere}: chiều {dimension} không có"
            )
        indicators.append(
            IndicatorSpec(
                id=iid,
                impl=str(item.get("impl", iid)),
                dimension=dimension,
                label_vi=str(_require(item, "vi", iwhere)),
                label_en=str(_require(item, "en", iwhere)),
                citation=str(_require(item, "citation", iwhere)),
                status=_status(item.get("status"), iwhere),
                params=dict(item.get("params", {})),
            )
        )
    if len({i.id for i in indicators}) != len(indicators):
        raise StandardError(f"{where}: duplicate indicator ids", f"{where}: trùng mã chỉ số")
    validity = tuple(_validity(v, f"{where}.validity") for v in _require(raw, "validity", where))
    kind = raw.get("kind", "national")
    provinces = tuple(normalise_province_code(c) for c in raw.get("province_codes", []))
    if kind == "local" and not provinces:
        raise StandardError(
            f"{where}: a local standard needs province_codes", f"{where}: chuẩn địa phương cần mã tỉnh"
        )
    return Standard(
        id=sid,
        version=int(raw.get("version", 1)),
        kind=kind,
        title_vi=str(_require(raw, "title_vi", where)),
        title_en=str(_require(raw, "title_en", where)),
        legal_basis=str(_require(raw, "legal_basis", where)),
        validity=validity,
        rule=rule,
        poor_min_deprivations=_whole_number(
            _require(cls, "poor_min_deprivations", f"{where}.classification"),
            f"{where}.classification.poor_min_deprivations",
        ),
        classification_citation=str(_require(cls, "citation", f"{where}.classification")),
        classification_status=_status(cls.get("status"), f"{where}.classification"),
        lines=lines,
        score=score,
        dimensions={k: dict(v) for k, v in dimensions.items()},
        params=params,
        params_citation=params_citation,
        params_status=params_status,
        indicators=tuple(indicators),
        province_codes=provinces,
        extends=raw.get("extends"),
        source=source,
        unconfirmed=_unconfirmed_items(raw),
    )


def merge_local(base: Mapping[str, Any], local: Mapping[str, Any]) -> dict[str, Any]:
    """Apply a local standard's overrides to its national base (raw TOML mappings)."""
    merged = copy.deepcopy(dict(base))
    for key in ("id", "version", "kind", "extends", "title_vi", "title_en", "legal_basis", "province_codes"):
        if key in local:
            merged[key] = local[key]
    merged["validity"] = copy.deepcopy(_require(local, "validity", f"standard {local.get('id')}"))
    for key in ("classification", "params", "dimensions"):
        merged[key] = {**merged.get(key, {}), **local.get(key, {})}
    if "lines" in local:
        merged["lines"] = {**merged["lines"], **copy.deepcopy(local["lines"])}
        merged.pop("score", None)
    if "score" in local:
        merged["score"] = copy.deepcopy(local["score"])
    where = f"standard {local.get('id')}"
    removed = set(local.get("remove_indicators", []))
    inherited = {i["id"] for i in merged["indicators"]}
    if unknown := sorted(removed - inherited):
        raise StandardError(
            f"{where}: remove_indicators names unknown indicators {unknown}",
            f"{where}: remove_indicators có chỉ số không tồn tại trong chuẩn gốc: {unknown}",
        )
    by_id = {i["id"]: i for i in merged["indicators"] if i["id"] not in removed}
    for item in local.get("indicators", []):
        iid = _require(item, "id", f"{where}.indicators")
        if iid in by_id and ("citation" not in item or "status" not in item):
            # A changed threshold must cite the local act, not keep the national decree's citation.
            raise StandardError(
                f"{where}: indicator {iid} overrides the national one and needs its own citation and status",
                f"{where}: chỉ số {iid} khác chuẩn quốc gia nên cần căn cứ (citation) và status riêng",
            )
        base_item = by_id.get(iid, {})
        params = {**base_item.get("params", {}), **item.get("params", {})}
        by_id[iid] = {**base_item, **copy.deepcopy(item), "params": params}
    merged["indicators"] = list(by_id.values())
    return merged


def normalise_province_code(code: str | int) -> str:
    """Province codes are two-digit strings (GSO codes since 2025: "01" Hà Nội, "79" Hồ Chí Minh)."""
    text = str(code).strip()
    if not text.isdigit() or len(text) > 3 or not 0 < int(text) < 100:
        raise StandardError(
            f"province code {code!r} is not a province code (two digits, e.g. 01 or 79)",
            f"Mã tỉnh {code!r} không hợp lệ (hai chữ số, ví dụ 01 hoặc 79)",
        )
    return f"{int(text):02d}"


# --- the catalogue ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """All standards found in the data directories, by id."""

    standards: Mapping[str, Standard]

    def __iter__(self) -> Iterator[Standard]:
        return iter(sorted(self.standards.values(), key=lambda s: (s.kind != "national", s.valid_from, s.id)))

    def __getitem__(self, standard_id: str) -> Standard:
        try:
            return self.standards[standard_id]
        except KeyError:
            known = ", ".join(sorted(self.standards))
            raise StandardError(
                f"unknown standard {standard_id!r} (known: {known})",
                f"Không có chuẩn nghèo {standard_id!r} (các chuẩn hiện có: {known})",
            ) from None

    def for_date(self, day: dt.date, province_code: str | int | None = None) -> Standard:
        """The standard in force on ``day``; a province's local standard wins over the national one."""
        if province_code is not None:
            code = normalise_province_code(province_code)
            local = [s for s in self if s.kind == "local" and code in s.province_codes and s.in_force(day)]
            if len(local) > 1:
                ids = ", ".join(s.id for s in local)
                raise StandardError(
                    f"several local standards in force for province {code} on {day}: {ids}",
                    f"Có nhiều chuẩn địa phương cùng hiệu lực cho tỉnh {code} ngày {day:%d/%m/%Y}: {ids}",
                )
            if local:
                return local[0]
        national = [s for s in self if s.kind == "national" and s.in_force(day)]
        if len(national) != 1:
            found = "none" if not national else ", ".join(s.id for s in national)
            raise StandardError(
                f"expected exactly one national standard in force on {day}, found {found}",
                f"Không xác định được chuẩn nghèo quốc gia áp dụng ngày {day:%d/%m/%Y}",
            )
        return national[0]


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise StandardError(
            f"{path.name}: invalid TOML: {exc}", f"{path.name}: tệp TOML không hợp lệ: {exc}"
        ) from exc


def load_catalogue(*directories: Path) -> Catalogue:
    """Read every ``*.toml`` in ``directories`` (default: the shipped data) and resolve ``extends``."""
    raws: dict[str, tuple[dict[str, Any], str]] = {}
    for directory in directories or (DATA_DIR,):
        for path in sorted(directory.glob("*.toml")):
            raw = _read(path)
            sid = raw.get("id")
            if not isinstance(sid, str):
                raise StandardError(f"{path.name}: missing id", f"{path.name}: thiếu mã chuẩn (id)")
            if sid in raws:
                raise StandardError(f"duplicate standard id {sid}", f"Trùng mã chuẩn nghèo {sid}")
            raws[sid] = (raw, path.name)
    standards: dict[str, Standard] = {}
    for sid, (raw, source) in raws.items():
        merged = raw
        if "extends" in raw:
            parent = raws.get(raw["extends"])
            if parent is None:
                raise StandardError(
                    f"{source}: extends unknown standard {raw['extends']}",
                    f"{source}: chuẩn gốc {raw['extends']} không tồn tại",
                )
            if "extends" in parent[0]:
                raise StandardError(
                    f"{source}: a local standard must extend a national one",
                    f"{source}: chuẩn địa phương phải mở rộng một chuẩn quốc gia",
                )
            merged = merge_local(parent[0], raw)
        standards[sid] = parse_standard(merged, source)
    return Catalogue(standards)


@cache
def default_catalogue() -> Catalogue:
    return load_catalogue()
