"""The English catalogue is complete and its compiled ``django.mo`` (committed) matches the ``.po``."""

import ast
import gettext
import re
from pathlib import Path

import giamngheo

LC_MESSAGES = Path(giamngheo.__file__).parent / "locale" / "en" / "LC_MESSAGES"


def _po_entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr for the live (not obsolete) entries of a simple .po file without plurals."""
    entries: dict[str, str] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        text = "\n".join(lines)
        match = re.fullmatch(r'msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', text.strip() + "\n")
        if not match:
            continue
        msgid, msgstr = (
            "".join(ast.literal_eval(part) for part in group.split("\n") if part) for group in match.groups()
        )
        if msgid:
            entries[msgid] = msgstr
        assert "#, fuzzy" not in block, f"fuzzy translation: {msgid!r}"
    return entries


def test_every_string_has_an_english_translation() -> None:
    entries = _po_entries(LC_MESSAGES / "django.po")
    assert len(entries) > 20
    assert [msgid for msgid, msgstr in entries.items() if not msgstr] == []


def test_compiled_catalogue_matches_the_po_file() -> None:
    with open(LC_MESSAGES / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = {
        msgid: msgstr
        for msgid, msgstr in _po_entries(LC_MESSAGES / "django.po").items()
        if compiled.gettext(msgid) != msgstr
    }
    assert stale == {}, "run: cd src/giamngheo && django-admin compilemessages -l en"
