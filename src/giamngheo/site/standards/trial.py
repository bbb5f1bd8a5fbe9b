"""Try-classification (phân loại thử): read the uploads, run the engine, present and keep the result.

The uploaded files are read in a temporary directory that is removed at the end of the request; nothing is
stored in the database. Classes come from :func:`giamngheo.standards.evaluate` and counts from
:func:`giamngheo.measures.household_rates`. The results workbook is written under ``VAR_DIR/exports``
with a random name (the token), and only the session that created it can download it: the session keeps
its last :data:`KEPT_EXPORTS` tokens, and files older than a day are removed.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import polars as pl
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from giamngheo.measures import household_rates
from giamngheo.site.standards.forms import TryForm, UploadLimitHandler, form_problems, megabytes, upload_limit
from giamngheo.site.standards.presentation import (
    FACTS_BY_NAME,
    area_label,
    class_name,
    english,
    fact_label,
    fact_rows,
    money,
    number,
    standard_title,
)
from giamngheo.standards import (
    CLASSES,
    HOUSEHOLD_FACTS,
    MEMBER_FACTS,
    FactsError,
    Standard,
    StandardError,
    evaluate,
    get_standard,
    standard_for,
)
from giamngheo.tables import TableError, read_table, write_table

log = logging.getLogger(__name__)

SHOWN_HOUSEHOLDS: Final = 50
SHOWN_ERRORS: Final = 200
KEPT_EXPORTS: Final = 5
EXPORT_MAX_AGE_SECONDS: Final = 24 * 60 * 60
SESSION_EXPORTS: Final = "standards_try_exports"


class UploadProblem(Exception):
    """A problem with the request as a whole, explained to the user (already translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ErrorRow:
    frame: str
    row: int | None
    column: str
    value: str
    message: str


@dataclass(frozen=True)
class ClassCount:
    key: str
    name: str
    count: int
    percent: str


@dataclass(frozen=True)
class HouseholdRow:
    household_id: str
    area: str
    members: int
    class_key: str
    class_name: str
    income_per_person: str
    deprivation_count: int
    deprived: list[str]
    undecided: list[str]
    missing: list[str]


@dataclass
class TryOutcome:
    """What the result partial shows: problems, or the error table, or the classification."""

    standard: Standard | None = None
    standard_title: str = ""
    chosen_by_date: str = ""
    problems: list[str] = field(default_factory=list)
    errors: list[ErrorRow] = field(default_factory=list)
    error_total: int = 0
    summary: list[ClassCount] = field(default_factory=list)
    total: int = 0
    households: list[HouseholdRow] = field(default_factory=list)
    no_middle_living: bool = False
    download_url: str = ""


def _chosen_standard(data: Mapping[str, Any], outcome: TryOutcome) -> Standard:
    try:
        if data["choose_by"] == TryForm.BY_DATE:
            day: dt.date = data["day"]
            province = (data.get("province_code") or "").strip() or None
            standard = standard_for(day, province)
            where = _(" (tỉnh {code})").format(code=province) if province else ""
            outcome.chosen_by_date = _("Chuẩn áp dụng ngày {day}{where}").format(
                day=formats.date_format(day, "SHORT_DATE_FORMAT"), where=where
            )
            return standard
        return get_standard(data["standard_id"])
    except StandardError as exc:
        raise UploadProblem(str(exc) if english() else exc.message_vi) from exc


def _sheet_names(path: Path) -> list[str]:
    try:
        names = CalamineWorkbook.from_path(str(path)).sheet_names
    except Exception as exc:  # calamine raises its own error types for files that are not workbooks
        log.info("try classification: unreadable workbook: %s", exc)
        return []
    return [re.sub(r"\s+", "_", name.strip().lower()) for name in names]


def _save(upload: UploadedFile, directory: Path, stem: str) -> Path:
    path = directory / f"{stem}{Path(upload.name or '').suffix.lower()}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def _read(path: Path, sheet: str, shown_name: str) -> pl.DataFrame:
    try:
        return read_table(path, sheet=sheet)
    except TableError as exc:
        log.info("try classification: cannot read %s: %s", shown_name, exc)
        raise UploadProblem(
            _(
                "Không đọc được tệp “{name}”. Hãy kiểm tra đó là tệp CSV (UTF-8), Excel .xlsx hoặc Parquet."
            ).format(name=shown_name)
        ) from exc


def read_uploads(households: UploadedFile, members: UploadedFile | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Read the household and member facts from the uploaded files, inside a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="giamngheo-try-") as tmp:
        directory = Path(tmp)
        households_path = _save(households, directory, "households")
        shown = households.name or ""
        if members is None:
            sheets = _sheet_names(households_path)
            if "households" not in sheets or "members" not in sheets:
                raise UploadProblem(
                    _(
                        "Tệp “{name}” cần có hai trang tính tên households và members "
                        "(hoặc chọn thêm tệp thành viên)."
                    ).format(name=shown)
                )
            return _read(households_path, "households", shown), _read(households_path, "members", shown)
        members_path = _save(members, directory, "members")
        return _read(households_path, "households", shown), _read(members_path, "members", members.name or "")


def _error_rows(errors: pl.DataFrame) -> list[ErrorRow]:
    frames = {"households": _("Hộ"), "members": _("Thành viên")}
    message = "message_en" if english() else "message_vi"
    return [
        ErrorRow(
            frame=frames.get(row["frame"], row["frame"]),
            row=row["row"],
            column=row["column"] or "",
            value="" if row["value"] is None else str(row["value"]),
            message=row[message],
        )
        for row in errors.head(SHOWN_ERRORS).iter_rows(named=True)
    ]


def _summary(results: pl.DataFrame, standard: Standard) -> tuple[list[ClassCount], int]:
    rates = household_rates(results).row(0, named=True)
    total = int(rates["households"])
    counts = []
    for key in CLASSES:
        count = int(rates[key])
        if key == "middle_living" and not standard.has_middle_living and count == 0:
            continue
        share = rates.get(f"{key}_rate")
        if share is None:
            share = 100 * count / total if total else 0.0
        counts.append(ClassCount(key, class_name(key), count, number(share, 2)))
    return counts, total


def _fact_words(name: str) -> str:
    if name == "members":
        return _("danh sách thành viên")
    fact = FACTS_BY_NAME.get(name)
    return fact_label(fact) if fact else name


def _household_rows(results: pl.DataFrame, standard: Standard) -> list[HouseholdRow]:
    labels = {spec.id: (spec.label_en if english() else spec.label_vi) for spec in standard.indicators}
    rows = []
    for row in results.head(SHOWN_HOUSEHOLDS).iter_rows(named=True):
        income = row.get("income_per_person")
        rows.append(
            HouseholdRow(
                household_id=str(row["household_id"]),
                area=area_label(str(row["area"])),
                members=int(row["members"]),
                class_key=str(row["class"]),
                class_name=class_name(str(row["class"])),
                income_per_person="—" if income is None else money(income),
                deprivation_count=int(row["deprivation_count"]),
                deprived=[label for iid, label in labels.items() if row.get(f"dep_{iid}") is True],
                undecided=[label for iid, label in labels.items() if row.get(f"dep_{iid}") is None],
                missing=[_fact_words(name) for name in row.get("missing") or []],
            )
        )
    return rows


# --- the export token store --------------------------------------------------------------------------


def _exports_dir() -> Path:
    return Path(settings.VAR_DIR) / "exports"


def _remove_stale_exports(directory: Path) -> None:
    cutoff = time.time() - EXPORT_MAX_AGE_SECONDS
    for path in directory.glob("*.xlsx"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:  # removed meanwhile by another request
            continue


def export_results(session: SessionBase, results: pl.DataFrame, standard: Standard) -> str:
    """Write the results workbook with a random name, remember it in the session, return its URL."""
    directory = _exports_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _remove_stale_exports(directory)
    token = secrets.token_urlsafe(24)
    labels = {key: class_name(key) for key in CLASSES}
    frame = results.with_columns(
        pl.col("class").cast(pl.String).replace_strict(labels, default=None).alias("class_label")
    )
    write_table(frame, directory / f"{token}.xlsx", sheet="ket_qua")
    exports: dict[str, str] = dict(session.get(SESSION_EXPORTS) or {})
    exports[token] = f"phan-loai-thu_{standard.id}_{timezone.localdate():%Y-%m-%d}.xlsx"
    for old in list(exports)[:-KEPT_EXPORTS]:
        (directory / f"{old}.xlsx").unlink(missing_ok=True)
        del exports[old]
    session[SESSION_EXPORTS] = exports
    return reverse("standards:download", args=[token])


def exported_file(session: SessionBase, token: str) -> tuple[Path, str] | None:
    """The workbook behind ``token`` and the name to download it as; None unless this session wrote it
    and it is still there."""
    exports = session.get(SESSION_EXPORTS) or {}
    filename = exports.get(token) if isinstance(exports, dict) else None
    path = _exports_dir() / f"{token}.xlsx"
    if not filename or not path.is_file():
        return None
    return path, str(filename)


# --- the whole try ------------------------------------------------------------------------------------


def classify_uploads(request: HttpRequest, form: TryForm, outcome: TryOutcome) -> None:
    """Read, validate and classify the uploaded facts; fill ``outcome`` (nothing is stored)."""
    data = form.cleaned_data
    standard = _chosen_standard(data, outcome)
    households, members = read_uploads(data["households"], data.get("members"))
    if households.height == 0:
        raise UploadProblem(_("Tệp hộ không có dòng dữ liệu nào (dòng đầu là tên cột)."))
    outcome.standard, outcome.standard_title = standard, standard_title(standard)
    try:
        results = evaluate(households, members, standard)
    except FactsError as exc:
        outcome.errors = _error_rows(exc.errors)
        outcome.error_total = exc.errors.height
        return
    except StandardError as exc:
        raise UploadProblem(str(exc) if english() else exc.message_vi) from exc
    outcome.summary, outcome.total = _summary(results, standard)
    outcome.households = _household_rows(results, standard)
    outcome.no_middle_living = not standard.has_middle_living
    outcome.download_url = export_results(request.session, results, standard)
    log.info(
        "try classification: %d households under %s",
        results.height,
        standard.id,
        extra={"user": request.user.pk},
    )


def try_outcome(request: HttpRequest, form: TryForm, handler: UploadLimitHandler) -> TryOutcome:
    """The result of a posted try-classification: the problems that stopped it, or its result."""
    outcome = TryOutcome()
    if handler.too_big:
        outcome.problems.append(
            _("Tệp “{name}” quá lớn: mỗi tệp tối đa {limit} MB. Hãy chia nhỏ theo xã hoặc thôn.").format(
                name=", ".join(handler.too_big), limit=megabytes(handler.limit)
            )
        )
    elif not form.is_valid():
        outcome.problems = form_problems(form)
    else:
        try:
            classify_uploads(request, form, outcome)
        except UploadProblem as problem:
            outcome.problems.append(problem.message)
    return outcome


def try_context(form: TryForm, outcome: TryOutcome | None) -> dict[str, Any]:
    """What the try-classification page (or its result partial) shows."""
    return {
        "form": form,
        "outcome": outcome,
        "upload_limit": megabytes(upload_limit()),
        "household_facts": fact_rows(HOUSEHOLD_FACTS),
        "member_facts": fact_rows(MEMBER_FACTS),
    }
