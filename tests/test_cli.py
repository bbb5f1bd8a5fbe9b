"""The command line on good and bad files: classify, measure, synth, standards."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from giamngheo.cli import EXIT_BAD_INPUT, EXIT_OK, main
from giamngheo.synth import generate_frames
from giamngheo.tables import read_table, write_table

HOUSEHOLDS_CSV = """household_id,area,income_12m,ill_member_untreated,has_dwelling,durable_main_parts,\
floor_area_m2,water_source,latrine_type,waste_disposal,uses_internet,uses_telephone,has_tv,has_radio,has_computer,has_smartphone,\
hears_loudspeaker,commune_code
H1,nông thôn,"50.000.000",không,có,3,"40,5",piped,septic,collected,có,có,có,không,không,có,có,00001
H2,urban,30000000,false,true,1,10,surface_water,none,discarded,false,true,false,false,false,false,true,00001
H3,rural,18000000,false,true,3,30,piped,septic,collected,true,true,true,false,false,true,true,00002
"""
MEMBERS_CSV = """household_id,age,sex,has_labour_capacity,employment,has_health_insurance,stunted,\
underweight,school_attendance,general_education,vocational_qualification,enterprise_trained
H1,40,nam,có,self_employed,có,,,not_attending,upper_secondary,none,không
H1,10,nữ,,not_in_labour_force,có,không,không,attending,primary,none,
H2,70,female,có,not_in_labour_force,không,,,not_attending,none,none,
H2,5,male,,not_in_labour_force,có,có,không,not_attending,none,none,
H3,35,male,có,self_employed,có,,,not_attending,upper_secondary,none,
"""
BAD_MEMBERS_CSV = """household_id,age,sex,has_labour_capacity,employment,has_health_insurance
H1,400,nam,có,self_employed,có
H9,10,x,,not_in_labour_force,maybe
"""


@pytest.fixture
def facts(tmp_path: Path) -> tuple[Path, Path]:
    households, members = tmp_path / "hh.csv", tmp_path / "mm.csv"
    households.write_text(HOUSEHOLDS_CSV, encoding="utf-8")
    members.write_text(MEMBERS_CSV, encoding="utf-8")
    return households, members


def classify(households: Path, members: Path, out: Path, *extra: str) -> int:
    args = ["classify", "--households", str(households), "--members", str(members), "--out", str(out)]
    return main([*args, *extra])


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_classify_writes_one_row_per_household(facts: tuple[Path, Path], tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"out{suffix}"
    assert classify(*facts, out, "--date", "2026-06-30") == EXIT_OK
    result = read_table(out)
    assert result["household_id"].to_list() == ["H1", "H2", "H3"]
    # H1: 50,000,000 / 12 / 2 = 2,083,333 rural → middle-living (1,500,000 < x <= 2,250,000).
    # H2: 1,250,000 urban with 10 deprivations → poor. H3: exactly 1,500,000 rural, none → near-poor.
    assert result["class"].cast(pl.String).to_list() == ["middle_living", "poor", "near_poor"]
    assert result["standard"].cast(pl.String).unique().to_list() == ["vn-2022-2025"]


def test_classify_picks_the_standard_by_date_and_by_id(facts: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    assert classify(*facts, out, "--date", "2027-01-01") == EXIT_OK
    assert pl.read_parquet(out)["standard"][0] == "vn-2027-2030"
    assert classify(*facts, out, "--standard", "vn-2016-2020") == EXIT_OK
    assert pl.read_parquet(out)["standard"][0] == "vn-2016-2020"


def test_bad_input_reports_rows_and_writes_nothing(
    facts: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    households, _ = facts
    members = tmp_path / "bad.csv"
    members.write_text(BAD_MEMBERS_CSV, encoding="utf-8")
    out, errors = tmp_path / "out.csv", tmp_path / "errors.xlsx"
    code = classify(households, members, out, "--date", "2026-06-30", "--errors", str(errors))
    assert code == EXIT_BAD_INPUT
    assert not out.exists()
    assert not list(tmp_path.glob(".out.csv*")), "no temporary file left behind"
    stderr = capsys.readouterr().err
    assert "không ghi tệp kết quả" in stderr
    assert "[members, dòng 1] cột age = “400”" in stderr
    assert "Thành viên thuộc mã hộ không có trong danh sách hộ" in stderr
    report = read_table(errors)
    assert set(report["column"].to_list()) == {"age", "sex", "has_health_insurance", "household_id"}
    assert report.filter(pl.col("column") == "sex")["row"].to_list() == ["2"]


def test_an_existing_output_survives_a_failed_run(facts: tuple[Path, Path], tmp_path: Path) -> None:
    households, _ = facts
    members = tmp_path / "bad.csv"
    members.write_text(BAD_MEMBERS_CSV, encoding="utf-8")
    out = tmp_path / "out.csv"
    out.write_text("earlier results\n", encoding="utf-8")
    assert classify(households, members, out, "--date", "2026-06-30") == EXIT_BAD_INPUT
    assert out.read_text(encoding="utf-8") == "earlier results\n"


def test_unknown_standard_and_bad_date_are_refused_in_vietnamese(
    facts: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.csv"
    assert classify(*facts, out, "--standard", "vn-1990") == EXIT_BAD_INPUT
    assert "Không có chuẩn nghèo" in capsys.readouterr().err
    assert classify(*facts, out, "--date", "2031-01-01") == EXIT_BAD_INPUT
    assert "Không xác định được chuẩn nghèo" in capsys.readouterr().err
    assert classify(*facts, out, "--date", "30/06/2026") == EXIT_BAD_INPUT
    assert not out.exists()


def test_unsupported_and_missing_files(facts: tuple[Path, Path], tmp_path: Path) -> None:
    households, members = facts
    assert classify(households, members, tmp_path / "out.txt", "--date", "2026-06-30") == EXIT_BAD_INPUT
    assert (
        classify(tmp_path / "none.csv", members, tmp_path / "o.csv", "--date", "2026-06-30") == EXIT_BAD_INPUT
    )


def test_excel_workbook_with_two_sheets(tmp_path: Path) -> None:
    households, members = generate_frames(50, seed=3)
    book = tmp_path / "facts.xlsx"
    import xlsxwriter

    with xlsxwriter.Workbook(book) as workbook:
        for name, frame in (("households", households), ("members", members)):
            frame.with_columns(pl.col(pl.Enum).cast(pl.String)).write_excel(workbook, worksheet=name)
    out = tmp_path / "out.parquet"
    assert classify(book, book, out, "--standard", "vn-2022-2025") == EXIT_OK
    from giamngheo.standards import evaluate, get_standard

    expected = evaluate(households, members, get_standard("vn-2022-2025"))
    got = pl.read_parquet(out)
    assert got["class"].cast(pl.String).to_list() == expected["class"].cast(pl.String).to_list()


def test_measure_by_commune_reconciles_with_classify(tmp_path: Path) -> None:
    households, members = generate_frames(3000, seed=11)
    write_table(households, tmp_path / "hh.parquet")
    write_table(members, tmp_path / "mm.parquet")
    out, classes = tmp_path / "measure.csv", tmp_path / "classes.parquet"
    base = ["--households", str(tmp_path / "hh.parquet"), "--members", str(tmp_path / "mm.parquet")]
    assert main(["measure", *base, "--date", "2026-06-30", "--by", "province_code", "--out", str(out)]) == 0
    assert main(["classify", *base, "--date", "2026-06-30", "--out", str(classes)]) == 0
    table = pl.read_csv(out, schema_overrides={"province_code": pl.String})
    results = pl.read_parquet(classes)
    assert table["households"].sum() == results.height
    assert table["poor"].sum() == results.filter(pl.col("class") == "poor").height
    row = table.row(0, named=True)
    assert row["poor_rate"] == pytest.approx(100 * row["poor"] / row["households"])
    assert row["af_M0"] == pytest.approx(row["af_H"] * row["af_A"])


def test_measure_rejects_an_unknown_grouping_column(facts: tuple[Path, Path], tmp_path: Path) -> None:
    households, members = facts
    args = ["measure", "--households", str(households), "--members", str(members), "--by", "district"]
    assert main([*args, "--out", str(tmp_path / "m.csv")]) == EXIT_BAD_INPUT


def test_synth_then_classify(tmp_path: Path) -> None:
    assert main(["synth", "--households", "500", "--seed", "5", "--out", str(tmp_path / "pop")]) == EXIT_OK
    hh, mm = tmp_path / "pop" / "households.parquet", tmp_path / "pop" / "members.parquet"
    assert classify(hh, mm, tmp_path / "r.parquet", "--date", "2026-06-30") == EXIT_OK
    assert pl.read_parquet(tmp_path / "r.parquet").height == 500


def test_standards_lists_every_standard(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["standards"]) == EXIT_OK
    out = capsys.readouterr().out
    for standard_id in ("vn-2016-2020", "vn-2022-2025", "vn-2027-2030", "local-79-hcm-2025"):
        assert standard_id in out
    assert "1.500.000 đ/người/tháng" in out


def test_a_workbook_without_the_named_sheets_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    households, members = generate_frames(5, seed=3)
    book = tmp_path / "facts.xlsx"
    import xlsxwriter

    with xlsxwriter.Workbook(book) as workbook:
        for name, frame in (("Sheet1", households), ("Sheet2", members)):
            frame.with_columns(pl.col(pl.Enum).cast(pl.String)).write_excel(workbook, worksheet=name)
    assert classify(book, book, tmp_path / "o.csv", "--standard", "vn-2022-2025") == EXIT_BAD_INPUT
    assert "không có trang “households”" in capsys.readouterr().err
