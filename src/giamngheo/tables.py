"""Reading and writing tables (CSV, Parquet, Excel) for the command line and imports.

Text formats are read with every column as text, so that :func:`giamngheo.standards.validate_facts`
parses numbers, Booleans and codes itself and reports bad cells per row instead of failing the whole
read. Writes are atomic: a temporary file next to the target is renamed over it only once complete, so
a failed run never leaves a half-written output.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Final

import polars as pl

from giamngheo.standards.validation import normalise_header

FORMATS: Final = {".csv": "csv", ".parquet": "parquet", ".xlsx": "xlsx"}


class TableError(ValueError):
    """A table cannot be read or written; ``message_vi`` is for users."""

    def __init__(self, message_en: str, message_vi: str) -> None:
        super().__init__(message_en)
        self.message_vi = message_vi


def table_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(FORMATS)
        raise TableError(
            f"{path.name}: unsupported file type (use {known})",
            f"{path.name}: không hỗ trợ loại tệp này (dùng {known})",
        )
    return fmt


def read_table(path: Path, sheet: str | None = None) -> pl.DataFrame:
    """Read ``path``; for Excel, the sheet named ``sheet`` if it exists, else the first sheet."""
    fmt = table_format(path)
    if not path.exists():
        raise TableError(f"{path}: file not found", f"Không tìm thấy tệp {path}")
    try:
        if fmt == "csv":
            frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
        elif fmt == "parquet":
            frame = pl.read_parquet(path)
        else:
            sheets = pl.read_excel(path, sheet_id=0, engine="calamine", infer_schema_length=0)
            chosen = next((name for name in sheets if sheet and normalise_header(name) == sheet), None)
            if chosen is None and sheet and len(sheets) > 1:
                names = ", ".join(sheets)
                raise TableError(
                    f"{path.name}: no sheet named {sheet!r} (sheets: {names})",
                    f"Tệp {path.name} có nhiều trang tính nhưng không có trang “{sheet}” ({names})",
                )
            frame = sheets[chosen] if chosen is not None else next(iter(sheets.values()))
    except TableError:
        raise
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        raise TableError(
            f"{path.name}: cannot read: {exc}", f"Không đọc được tệp {path.name}: {exc}"
        ) from exc
    return frame.rename({c: normalise_header(c) for c in frame.columns})


def _flatten(frame: pl.DataFrame) -> pl.DataFrame:
    """CSV and Excel hold no lists or enums: lists become '; '-joined text, enums text."""
    return frame.with_columns(
        [
            pl.col(name).list.join("; ") if isinstance(dtype, pl.List) else pl.col(name).cast(pl.String)
            for name, dtype in frame.schema.items()
            if isinstance(dtype, pl.List | pl.Enum | pl.Categorical)
        ]
    )


def write_table(frame: pl.DataFrame, path: Path, *, sheet: str = "ket_qua") -> None:
    """Write ``frame`` to ``path`` atomically, in the format given by its extension."""
    fmt = table_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if fmt == "parquet":
            frame.write_parquet(tmp)
        elif fmt == "csv":
            _flatten(frame).write_csv(tmp)
        else:
            _flatten(frame).write_excel(tmp, worksheet=sheet, autofit=True, freeze_panes=(1, 0))
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
