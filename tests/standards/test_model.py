"""Standards as data: the shipped files, local standards that extend a national one, malformed files.

A local standard overrides only what it changes (model.py docstring): ``classification`` and ``params``
key by key, a ``lines.<area>`` table whole, indicators by id, ``remove_indicators`` drops inherited ones.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from giamngheo.standards import Standard, StandardError, get_standard, list_standards
from giamngheo.standards.indicators import rules_for
from giamngheo.standards.model import DATA_DIR, STATUSES, Catalogue, load_catalogue, merge_local
from tests.standards.builders import VIETNAMESE, evaluate_one, person

STANDARDS = list_standards()


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the shipped standards ------------------------------------------------------------------------------


def test_shipped_standards_national_first_then_local() -> None:
    assert [s.id for s in STANDARDS] == ["vn-2016-2020", "vn-2022-2025", "vn-2027-2030", "local-79-hcm-2025"]
    assert [s.kind for s in STANDARDS] == ["national", "national", "national", "local"]


NATIONAL_2022 = {
    "employment",
    "dependants",
    "nutrition",
    "health_insurance",
    "adult_education",
    "child_school_attendance",
    "housing_quality",
    "floor_area",
    "water_source",
    "latrine",
    "telecom",
    "information_assets",
}


def test_indicator_sets() -> None:
    # 2016-2020: 10 indicators in 5 dimensions (Decision 59/2015 art. 1 cl. 2); 2022-2025: 12 in 6
    # (Decree 07/2021 art. 3); 2027-2030 (draft list): information assets dropped, waste treatment added.
    assert {s.id: (set(s.indicator_ids), len(s.dimensions)) for s in STANDARDS} == {
        "vn-2016-2020": (
            {
                "health_care_access",
                "health_insurance",
                "adult_education",
                "child_school_attendance",
                "housing_quality",
                "floor_area",
                "water_source",
                "latrine",
                "telecom",
                "information_assets",
            },
            5,
        ),
        "vn-2022-2025": (NATIONAL_2022, 6),
        "vn-2027-2030": ((NATIONAL_2022 - {"information_assets"}) | {"waste_treatment"}, 6),
        "local-79-hcm-2025": (NATIONAL_2022, 6),
    }


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.id)
def test_every_item_cites_its_legal_basis_with_a_valid_status(standard: Standard) -> None:
    assert standard.legal_basis.strip()
    assert standard.classification_citation.strip() and standard.classification_status in STATUSES
    for validity in standard.validity:
        assert validity.citation.strip() and validity.status in STATUSES
        assert validity.start <= validity.end
    for lines in standard.lines.values():
        assert lines.citation.strip() and lines.status in STATUSES
    assert standard.params_status in STATUSES
    for indicator in standard.indicators:
        assert indicator.citation.strip(), indicator.id
        assert indicator.status in STATUSES, indicator.id
        assert indicator.label_vi.strip() and indicator.label_en.strip()
        assert indicator.dimension in standard.dimensions
    if standard.score is not None:
        assert standard.score.citation.strip() and standard.score.status in STATUSES


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.id)
def test_every_indicator_has_an_implementation(standard: Standard) -> None:
    assert [b.id for b in rules_for(standard)] == list(standard.indicator_ids)


def raw_of(standard: Standard) -> Mapping[str, Any]:
    """The standard's TOML as the engine reads it (a local one merged onto its base)."""
    with (DATA_DIR / standard.source).open("rb") as fh:
        raw = tomllib.load(fh)
    if standard.extends:
        with (DATA_DIR / f"{standard.extends}.toml").open("rb") as fh:
            raw = merge_local(tomllib.load(fh), raw)
    return raw


def unconfirmed_in(raw: Mapping[str, Any]) -> Iterator[str]:
    """Every item of a standard file whose status (or middle_status / params_status) is unconfirmed."""
    for i, validity in enumerate(raw["validity"]):
        if validity["status"] == "unconfirmed":
            yield f"validity[{i}]"
    if raw["classification"]["status"] == "unconfirmed":
        yield "classification"
    for area, lines in raw["lines"].items():
        if lines["status"] == "unconfirmed":
            yield f"lines.{area}"
        if lines.get("middle_status") == "unconfirmed":
            yield f"lines.{area}.middle_upper"
    if raw.get("score", {}).get("status") == "unconfirmed":
        yield "score"
    if raw.get("params", {}).get("params_status") == "unconfirmed":
        yield "params"
    for indicator in raw["indicators"]:
        if indicator["status"] == "unconfirmed":
            yield f"indicator {indicator['id']}"


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.id)
def test_every_unconfirmed_item_is_listed(standard: Standard) -> None:
    assert sorted(standard.unconfirmed) == sorted(unconfirmed_in(raw_of(standard)))


def test_unconfirmed_items_of_the_shipped_standards() -> None:
    # docs/open-legal-questions.md lists these; a change here is a change of legal status.
    assert {s.id: set(s.unconfirmed) for s in STANDARDS} == {
        "vn-2016-2020": {"validity[1]", "lines.rural.middle_upper", "lines.urban.middle_upper"},
        "vn-2022-2025": {"params", "indicator information_assets"},
        "vn-2027-2030": {"params"} | {f"indicator {i}" for i in get_standard("vn-2027-2030").indicator_ids},
        # Inherited unconfirmed items stay unconfirmed in the local standard.
        "local-79-hcm-2025": {"classification", "params", "indicator information_assets"},
    }


def test_lines_are_held_per_year() -> None:
    # Monthly lines (VND per person per month) are stored ×12; HCMC's are annual already.
    assert get_standard("vn-2022-2025").lines["rural"].poverty == 1_500_000 * 12
    assert get_standard("vn-2022-2025").lines["rural"].poverty_monthly == 1_500_000
    assert get_standard("vn-2016-2020").lines["urban"].lower == 900_000 * 12
    hcm = get_standard("local-79-hcm-2025").lines["urban"]
    assert (hcm.lower, hcm.poverty, hcm.middle_upper) == (46_000_000, 54_000_000, None)


# --- the shipped local standard -------------------------------------------------------------------------


def test_hcmc_inherits_the_national_indicators_and_overrides_lines_and_rule() -> None:
    hcm, national = get_standard("local-79-hcm-2025"), get_standard("vn-2022-2025")
    assert (hcm.kind, hcm.extends, hcm.province_codes) == ("local", "vn-2022-2025", ("79",))
    assert hcm.indicators == national.indicators
    assert hcm.params == national.params
    assert hcm.dimensions == national.dimensions
    assert (hcm.rule, national.rule) == ("two_band", "single_line")
    assert hcm.poor_min_deprivations == national.poor_min_deprivations  # merged key by key
    assert hcm.classification_citation != national.classification_citation
    assert hcm.lines != national.lines
    assert hcm.score is None  # the score card is calibrated to the national lines
    assert hcm.validity != national.validity


# --- a local standard written for the test --------------------------------------------------------------

LOCAL = """
id = "local-01-test"
kind = "local"
extends = "vn-2022-2025"
province_codes = ["01"]
title_vi = "Chuẩn nghèo thử của Hà Nội"
title_en = "Test standard for Hanoi"
legal_basis = "Quyết định thử"
remove_indicators = ["information_assets"]

[[validity]]
from = 2025-01-01
to = 2025-12-31
citation = "Quyết định thử, Điều 1"
status = "confirmed"

[classification]
poor_min_deprivations = 2
citation = "Quyết định thử, Điều 2"
status = "confirmed"

[lines.rural]
poverty = 1_800_000
citation = "Quyết định thử, Điều 3"
status = "confirmed"

[params]
retirement_age_male = 65

[[indicators]]
id = "health_insurance"
citation = "Quyết định thử, Phụ lục (mọi lứa tuổi)"
status = "confirmed"
params = { min_age = 0 }
"""


@pytest.fixture
def local(tmp_path: Path) -> tuple[Catalogue, Standard]:
    write(tmp_path, "local-01-test.toml", LOCAL)
    catalogue = load_catalogue(DATA_DIR, tmp_path)
    return catalogue, catalogue["local-01-test"]


def test_local_changes_one_line_and_inherits_the_other(local: tuple[Catalogue, Standard]) -> None:
    _, standard = local
    national = get_standard("vn-2022-2025")
    assert standard.lines["rural"].poverty == 1_800_000 * 12
    assert standard.lines["rural"].middle_upper is None  # a lines.<area> table is replaced whole
    assert standard.lines["urban"] == national.lines["urban"]
    assert standard.score is None
    # One area without a band is enough to drop the middle-living class for both areas.
    assert not standard.has_middle_living


def test_local_line_applies(local: tuple[Catalogue, Standard]) -> None:
    _, standard = local
    at_line = evaluate_one(standard, [person()], income_12m=1_800_000 * 12)
    above = evaluate_one(standard, [person()], income_12m=1_800_000 * 12 + 1)
    assert (at_line["class"], above["class"]) == ("near_poor", "not_poor")


def test_local_removes_an_indicator(local: tuple[Catalogue, Standard]) -> None:
    _, standard = local
    national = get_standard("vn-2022-2025")
    assert standard.indicator_ids == tuple(i for i in national.indicator_ids if i != "information_assets")
    row = evaluate_one(
        standard, [person()], has_tv=False, has_radio=False, has_computer=False, has_smartphone=False
    )
    assert "dep_information_assets" not in row
    assert row["deprivation_count"] == 0


def test_local_overrides_an_indicator_param_and_keeps_the_rest(local: tuple[Catalogue, Standard]) -> None:
    _, standard = local
    national = get_standard("vn-2022-2025")
    mine = next(i for i in standard.indicators if i.id == "health_insurance")
    base = next(i for i in national.indicators if i.id == "health_insurance")
    assert mine.params == {"min_age": 0}
    assert (mine.label_vi, mine.dimension) == (base.label_vi, base.dimension)
    # A changed threshold cites the local act, never the national decree it departs from.
    assert (mine.citation, mine.status) == ("Quyết định thử, Phụ lục (mọi lứa tuổi)", "confirmed")
    baby = [person(40), person(40), person(1, has_health_insurance=False)]
    assert evaluate_one(standard, baby)["dep_health_insurance"] is True
    assert evaluate_one(national, baby)["dep_health_insurance"] is False


def test_local_merges_params_and_classification_key_by_key(local: tuple[Catalogue, Standard]) -> None:
    _, standard = local
    national = get_standard("vn-2022-2025")
    assert standard.params == {**national.params, "retirement_age_male": 65}
    assert (standard.rule, standard.poor_min_deprivations) == ("single_line", 2)
    # Men now work until 65: an unemployed 63-year-old deprives employment; women keep 56.
    older = [person(40), person(40), person(63, sex="male", employment="unemployed")]
    assert evaluate_one(standard, older)["dep_employment"] is True
    assert evaluate_one(national, older)["dep_employment"] is False
    two = evaluate_one(
        standard, [person()], income_12m=1_800_000 * 12, water_source="other", latrine_type="none"
    )
    assert (two["deprivation_count"], two["class"]) == (2, "poor")


def test_local_override_without_its_own_citation_is_refused(tmp_path: Path) -> None:
    text = LOCAL.replace('citation = "Quyết định thử, Phụ lục (mọi lứa tuổi)"\nstatus = "confirmed"\n', "")
    write(tmp_path, "local-01-test.toml", text)
    with pytest.raises(StandardError) as caught:
        load_catalogue(DATA_DIR, tmp_path)
    assert "health_insurance" in caught.value.message_vi and VIETNAMESE.search(caught.value.message_vi)


def test_local_has_its_own_validity_and_provinces(local: tuple[Catalogue, Standard]) -> None:
    catalogue, standard = local
    assert standard.province_codes == ("01",)
    assert [(v.start, v.end) for v in standard.validity] == [(dt.date(2025, 1, 1), dt.date(2025, 12, 31))]
    assert catalogue.for_date(dt.date(2025, 6, 1), 1) is standard
    assert catalogue.for_date(dt.date(2025, 6, 1), "79").id == "local-79-hcm-2025"
    assert catalogue.for_date(dt.date(2026, 6, 1), "01").id == "vn-2022-2025"


def test_local_overrides_one_of_several_indicator_params(tmp_path: Path) -> None:
    text = LOCAL.replace(
        'id = "health_insurance"\ncitation = "Quyết định thử, Phụ lục (mọi lứa tuổi)"\nstatus = "confirmed"\n'
        "params = { min_age = 0 }",
        'id = "dependants"\ncitation = "Quyết định thử, Phụ lục"\nstatus = "confirmed"\n'
        "params = { share_above = 0.6 }",
    )
    write(tmp_path, "local-01-test.toml", text)
    standard = load_catalogue(DATA_DIR, tmp_path)["local-01-test"]
    spec = next(i for i in standard.indicators if i.id == "dependants")
    assert spec.params == {"child_age_below": 16, "share_above": 0.6, "no_labour_capacity_is_dependant": True}
    two_of_three = [person(40), person(10), person(8)]
    assert evaluate_one(standard, two_of_three)["dep_dependants"] is True  # 67 % > 60 %
    assert evaluate_one(standard, [*two_of_three, person(40)])["dep_dependants"] is False  # 50 %


def test_local_indicator_without_implementation_is_refused(tmp_path: Path) -> None:
    text = (
        LOCAL
        + '\n[[indicators]]\nid = "electricity"\ndimension = "housing"\nvi = "Điện"\nen = "Electricity"\n'
    )
    text += 'citation = "Quyết định thử, Phụ lục"\nstatus = "confirmed"\n'
    write(tmp_path, "local-01-test.toml", text)
    standard = load_catalogue(DATA_DIR, tmp_path)["local-01-test"]
    with pytest.raises(StandardError) as caught:
        rules_for(standard)
    assert "electricity" in caught.value.message_vi and VIETNAMESE.search(caught.value.message_vi)


# --- malformed files ------------------------------------------------------------------------------------

MINIMAL = """
id = "test-national"
version = 1
kind = "national"
title_vi = "Chuẩn thử"
title_en = "Test standard"
legal_basis = "Văn bản thử"

[[validity]]
from = 2040-01-01
to = 2040-12-31
citation = "Văn bản thử, Điều 1"
status = "confirmed"

[classification]
rule = "single_line"
poor_min_deprivations = 3
citation = "Văn bản thử, Điều 2"
status = "confirmed"

[lines.rural]
poverty = 1_000_000
citation = "Văn bản thử, Điều 3 (nông thôn)"
status = "confirmed"

[lines.urban]
poverty = 1_200_000
citation = "Văn bản thử, Điều 3 (thành thị)"
status = "confirmed"

[score]
rural = 100
urban = 120
points_per_deprivation = 10
citation = "Văn bản thử, Điều 4"
status = "confirmed"

[dimensions]
health = { vi = "Y tế", en = "Health" }

[[indicators]]
id = "health_insurance"
dimension = "health"
vi = "Bảo hiểm y tế"
en = "Health insurance"
citation = "Văn bản thử, Phụ lục"
status = "confirmed"
params = { min_age = 6 }
"""

INDICATOR = MINIMAL[MINIMAL.index("[[indicators]]") :]


def mutate(old: str, new: str) -> str:
    assert MINIMAL.count(old) == 1, old
    return MINIMAL.replace(old, new)


def test_the_minimal_standard_is_valid(tmp_path: Path) -> None:
    write(tmp_path, "test.toml", MINIMAL)
    standard = load_catalogue(tmp_path)["test-national"]
    assert standard.indicator_ids == ("health_insurance",)
    assert standard.unconfirmed == ()
    row = evaluate_one(standard, [person(40, has_health_insurance=False)], income_12m=12_000_000)
    assert (row["dep_health_insurance"], row["class"]) == (True, "near_poor")


MALFORMED = [
    ("unknown-rule", mutate('rule = "single_line"', 'rule = "three_band"'), "quy tắc"),
    ("missing-rule", mutate('rule = "single_line"\n', ""), "rule"),
    ("missing-indicator-citation", mutate('citation = "Văn bản thử, Phụ lục"\n', ""), "citation"),
    ("missing-line-citation", mutate('citation = "Văn bản thử, Điều 3 (nông thôn)"\n', ""), "citation"),
    ("missing-classification-citation", mutate('citation = "Văn bản thử, Điều 2"\n', ""), "citation"),
    ("missing-validity-citation", mutate('citation = "Văn bản thử, Điều 1"\n', ""), "citation"),
    (
        "bad-indicator-status",
        mutate('status = "confirmed"\nparams', 'status = "maybe"\nparams'),
        "trạng thái",
    ),
    ("missing-indicator-status", mutate('status = "confirmed"\nparams', "params"), "trạng thái"),
    (
        "bad-line-status",
        mutate('(nông thôn)"\nstatus = "confirmed"', '(nông thôn)"\nstatus = "sure"'),
        "trạng thái",
    ),
    ("bad-score-status", mutate('Điều 4"\nstatus = "confirmed"', 'Điều 4"\nstatus = "?"'), "trạng thái"),
    ("lower-equal-poverty", mutate("poverty = 1_000_000", "lower = 1_000_000\npoverty = 1_000_000"), "lower"),
    ("lower-above-poverty", mutate("poverty = 1_000_000", "lower = 1_100_000\npoverty = 1_000_000"), "lower"),
    (
        "middle-not-above-poverty",
        mutate("poverty = 1_000_000", "poverty = 1_000_000\nmiddle_upper = 900_000"),
        "middle",
    ),
    ("two-band-without-lower", mutate('rule = "single_line"', 'rule = "two_band"'), "chuẩn thấp"),
    ("negative-line", mutate("poverty = 1_000_000", "poverty = -1"), "số tiền"),
    ("fractional-line", mutate("poverty = 1_000_000", "poverty = 1_000_000.5"), "số tiền"),
    ("missing-poverty-line", mutate("poverty = 1_000_000\n", ""), "chuẩn nghèo"),
    ("bad-period", mutate("poverty = 1_000_000", 'period = "week"\npoverty = 1_000_000'), "period"),
    ("missing-area", mutate("[lines.urban]", "[lines.suburban]"), "urban"),
    ("unknown-dimension", mutate('dimension = "health"', 'dimension = "wealth"'), "chiều"),
    ("duplicate-indicator", MINIMAL + "\n" + INDICATOR, "trùng mã chỉ số"),
    ("local-without-province", mutate('kind = "national"', 'kind = "local"'), "mã tỉnh"),
    ("invalid-toml", MINIMAL + "\n[[indicators]\n", "TOML"),
    ("missing-id", mutate('id = "test-national"\n', ""), "id"),
]


@pytest.mark.parametrize(("text", "fragment"), [pytest.param(t, f, id=i) for i, t, f in MALFORMED])
def test_malformed_file_raises_standard_error_in_vietnamese(tmp_path: Path, text: str, fragment: str) -> None:
    write(tmp_path, "test.toml", text)
    with pytest.raises(StandardError) as caught:
        load_catalogue(tmp_path)
    message = caught.value.message_vi
    assert fragment in message
    assert VIETNAMESE.search(message), message
    assert message != str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(mutate("from = 2040-01-01", 'from = "2040-01-01"'), id="quoted-date"),
        pytest.param(mutate("from = 2040-01-01", "from = 2041-01-01"), id="period-ends-before-it-starts"),
        pytest.param(
            mutate("poor_min_deprivations = 3", 'poor_min_deprivations = "ba"'), id="text-threshold"
        ),
    ],
)
def test_malformed_file_is_refused_too(tmp_path: Path, text: str) -> None:
    write(tmp_path, "test.toml", text)
    with pytest.raises(StandardError) as caught:
        load_catalogue(tmp_path)
    assert VIETNAMESE.search(caught.value.message_vi)


def test_duplicate_standard_id_across_files(tmp_path: Path) -> None:
    write(tmp_path, "vn-2022-2025-copy.toml", (DATA_DIR / "vn-2022-2025.toml").read_text(encoding="utf-8"))
    with pytest.raises(StandardError) as caught:
        load_catalogue(DATA_DIR, tmp_path)
    assert caught.value.message_vi == "Trùng mã chuẩn nghèo vn-2022-2025"


def test_extends_unknown_standard(tmp_path: Path) -> None:
    write(tmp_path, "local.toml", LOCAL.replace('extends = "vn-2022-2025"', 'extends = "vn-2099"'))
    with pytest.raises(StandardError) as caught:
        load_catalogue(DATA_DIR, tmp_path)
    assert "vn-2099" in caught.value.message_vi and "không tồn tại" in caught.value.message_vi


def test_local_cannot_extend_a_local_standard(tmp_path: Path) -> None:
    write(tmp_path, "local.toml", LOCAL.replace('extends = "vn-2022-2025"', 'extends = "local-79-hcm-2025"'))
    with pytest.raises(StandardError) as caught:
        load_catalogue(DATA_DIR, tmp_path)
    assert "chuẩn quốc gia" in caught.value.message_vi


def test_bad_indicator_parameter_is_refused_in_vietnamese(tmp_path: Path) -> None:
    # Parameters are checked when the rules are built (evaluate / rules_for), not when the file loads.
    write(tmp_path, "test.toml", mutate("params = { min_age = 6 }", 'params = { min_age = "six" }'))
    standard = load_catalogue(tmp_path)["test-national"]
    with pytest.raises(StandardError) as caught:
        rules_for(standard)
    assert "min_age" in caught.value.message_vi and "số nguyên" in caught.value.message_vi


def test_unconfirmed_score_card_is_listed(tmp_path: Path) -> None:
    write(tmp_path, "test.toml", mutate('Điều 4"\nstatus = "confirmed"', 'Điều 4"\nstatus = "unconfirmed"'))
    standard = load_catalogue(tmp_path)["test-national"]
    assert standard.score is not None and standard.score.status == "unconfirmed"
    assert "score" in standard.unconfirmed


@pytest.mark.parametrize(
    ("old", "new", "item"),
    [
        ('Điều 1"\nstatus = "confirmed"', 'Điều 1"\nstatus = "unconfirmed"', "validity[0]"),
        ('Điều 2"\nstatus = "confirmed"', 'Điều 2"\nstatus = "unconfirmed"', "classification"),
        ('(thành thị)"\nstatus = "confirmed"', '(thành thị)"\nstatus = "unconfirmed"', "lines.urban"),
        ('status = "confirmed"\nparams', 'status = "unconfirmed"\nparams', "indicator health_insurance"),
    ],
)
def test_unconfirmed_items_are_listed(tmp_path: Path, old: str, new: str, item: str) -> None:
    write(tmp_path, "test.toml", mutate(old, new))
    assert load_catalogue(tmp_path)["test-national"].unconfirmed == (item,)
