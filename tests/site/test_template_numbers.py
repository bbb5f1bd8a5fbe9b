"""Integers that leave a template for a machine (ids in links, form values, element ids) must not be
localised: with Vietnamese formats ``USE_THOUSAND_SEPARATOR`` turns the id 14151 into "14.151", which
breaks the link or the form once a table holds a thousand rows. Such values go through ``|unlocalize``
(or ``stringformat``/``urlencode``); this test finds any ``{{ x.pk }}`` / ``{{ x_id }}`` / page number
printed without one."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "giamngheo"

#: Names ending like an id that are text, not integers (standard ids, form field ids, citizen IDs).
TEXT_IDS = {
    "standard_id",
    "auto_id",
    "citizen_id",
    "id_for_label",
    "standard.id",
    "spec.id",
    "year_parameter",
}

_VARIABLE = re.compile(r"\{\{\s*([^}|\s]+)((?:\|[^}]*)?)\s*\}\}")
_INTEGER_NAME = re.compile(r"(\.pk|_pk|_id|\.id|page\.number|_page_number|^year|\.year|_year)$")
_SAFE_FILTERS = ("unlocalize", "stringformat", "urlencode")


def _offenders() -> list[str]:
    found = []
    for template in sorted(PACKAGE.rglob("templates/**/*.html")):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1):
            for match in _VARIABLE.finditer(line):
                name, filters = match.group(1), match.group(2)
                if not _INTEGER_NAME.search(name) or any(name.endswith(t) for t in TEXT_IDS):
                    continue
                if any(f in filters for f in _SAFE_FILTERS):
                    continue
                alias = re.search(rf"\b{re.escape(name)}=[^\s%]*\|(?:{'|'.join(_SAFE_FILTERS)})", line)
                if alias is not None:  # {% blocktranslate with year=x.year|stringformat:"d" %}…{{ year }}
                    continue
                found.append(f"{template.relative_to(PACKAGE)}:{number}: {match.group(0)}")
    return found


def test_ids_in_templates_are_not_localised() -> None:
    assert _offenders() == []


def test_the_check_finds_a_localised_id(tmp_path: Path) -> None:
    assert _VARIABLE.search("{{ household.pk }}") is not None
    assert _INTEGER_NAME.search("household.pk") and _INTEGER_NAME.search("round.commune_id")
