"""Every entry of the English catalogue is translated, and keeps the placeholders of its Vietnamese msgid.

A string added to the code without an English translation fails here with its msgid and where it is used.
To fix (GNU gettext needed):

    cd src/giamngheo
    ../../.venv/bin/django-admin makemessages -l en --no-obsolete
    # translate the empty and fuzzy entries of locale/en/LC_MESSAGES/django.po, then
    ../../.venv/bin/django-admin compilemessages -l en
"""

import ast
import contextlib
import gettext
import re
import shutil
import string
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django.fixtures import SettingsWrapper

import giamngheo

PACKAGE = Path(giamngheo.__file__).parent
LC_MESSAGES = PACKAGE / "locale" / "en" / "LC_MESSAGES"
FIX = "cd src/giamngheo && django-admin makemessages -l en --no-obsolete, translate, compilemessages -l en"

# printf-style conversions as Python's % operator reads them: %s, %(name)s, %5.2f, %% ...
PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?P<kind>[diouxXeEfFgGcrsa%])"
)
KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$")


@dataclass
class Entry:
    """One live entry of a .po file."""

    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    def describe(self) -> str:
        where = " ".join(self.references[:3]) or f"django.po line {self.line}"
        return f"{self.msgid!r} ({where})"


def parse_po(text: str) -> list[Entry]:
    """The live entries of a .po file as msgmerge writes it (no obsolete ``#~`` entries, no header)."""
    entries: list[Entry] = []
    line_number = 1
    for block in text.split("\n\n"):
        entry = Entry(line=line_number + (len(block) - len(block.lstrip("\n"))))
        line_number += block.count("\n") + 2
        current: str | None = None
        for raw in block.strip("\n").splitlines():
            line = raw.strip()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#:"):
                entry.references.extend(line[2:].split())
            elif line.startswith("#") or not line:
                continue
            elif match := KEYWORD.match(line):
                current = match.group(1)
                _store(entry, current, ast.literal_eval(match.group(2)), append=False)
            elif line.startswith('"') and current is not None:
                _store(entry, current, ast.literal_eval(line), append=True)
            else:
                raise ValueError(f"django.po line {entry.line}: cannot read {raw!r}")
        if entry.msgid and entry.msgstr:
            entries.append(entry)
    return entries


def _store(entry: Entry, keyword: str, value: str, *, append: bool) -> None:
    if keyword == "msgid":
        entry.msgid = entry.msgid + value if append else value
    elif keyword == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + value if append else value
    elif keyword == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + value if append else value
    else:
        index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
        entry.msgstr[index] = entry.msgstr.get(index, "") + value if append else value


def _percent_placeholders(text: str) -> tuple[set[str], list[str]]:
    """Named ``%(name)s`` conversions (a set) and unnamed ``%s`` ones (in order); ``%%`` is no placeholder."""
    named: set[str] = set()
    positional: list[str] = []
    for match in PERCENT.finditer(text):
        if match.group("kind") == "%":
            continue
        if match.group("name") is not None:
            named.add(match.group(0))
        else:
            positional.append(match.group(0))
    return named, positional


def _brace_placeholders(text: str) -> set[str] | None:
    """The ``{name}``/``{0}``/``{name:spec}`` fields of a str.format string; None if it is not one."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    return {
        "{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
        for _, name, spec, conversion in parsed
        if name is not None
    }


def placeholder_mismatch(source: str, translation: str, *, python_format: bool) -> str | None:
    """Why ``translation`` cannot stand for ``source`` at run time, or None when its placeholders agree."""
    source_named, source_positional = _percent_placeholders(source)
    named, positional = _percent_placeholders(translation)
    if (source_named, source_positional) != (named, positional):
        before, after = sorted(source_named) + source_positional, sorted(named) + positional
        return f"%-placeholders {before} became {after}"
    if python_format and "%" in PERCENT.sub("", translation):
        return "a lone % (write %% for a percent sign)"
    source_fields = _brace_placeholders(source)
    if source_fields is not None:
        fields = _brace_placeholders(translation)
        if fields is None:
            return "unbalanced { } (write {{ or }} for a literal brace)"
        if fields != source_fields:
            return f"{{}}-placeholders {sorted(source_fields)} became {sorted(fields)}"
    return None


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    text = (LC_MESSAGES / "django.po").read_text(encoding="utf-8")
    parsed = parse_po(text)
    # every live msgid line of the file (not the header's empty one) must have become an entry
    live = len(re.findall(r'^msgid "(?!"\n)', text, flags=re.MULTILINE)) + len(
        re.findall(r'^msgid ""\n"', text, flags=re.MULTILINE)
    )
    assert len(parsed) == live, f"the test's .po reader found {len(parsed)} of {live} entries"
    return parsed


def _untranslated(entries: list[Entry]) -> list[str]:
    return [
        entry.describe()
        for entry in entries
        if "fuzzy" in entry.flags
        or not all(entry.msgstr.values())
        or (entry.msgid_plural is not None and sorted(entry.msgstr) != [0, 1])
    ]


def test_every_entry_is_translated(entries: list[Entry]) -> None:
    untranslated = _untranslated(entries)
    assert untranslated == [], f"{len(untranslated)} untranslated or fuzzy: {untranslated}\n{FIX}"


@pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgmerge") is None,
    reason="GNU gettext is not installed (apt-get install gettext): new strings in the code are not checked",
)
def test_every_string_of_the_code_is_in_the_catalogue(tmp_path: Path, settings: SettingsWrapper) -> None:
    """makemessages on a copy of the package: a string missing from django.po comes back untranslated."""
    tree = tmp_path / "giamngheo"
    shutil.copytree(
        PACKAGE,
        tree,
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "fonts", "*.ttf", "*.xlsx"),
    )
    settings.LOCALE_PATHS = [tree / "locale"]
    with contextlib.chdir(tree):
        call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    fresh = parse_po((tree / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))
    untranslated = _untranslated(fresh)
    assert untranslated == [], (
        f"{len(untranslated)} strings in the code lack a translation: {untranslated}\n{FIX}"
    )


def test_translations_keep_the_placeholders(entries: list[Entry]) -> None:
    broken = []
    for entry in entries:
        python_format = "python-format" in entry.flags
        for index, translation in sorted(entry.msgstr.items()):
            source = entry.msgid_plural if index > 0 and entry.msgid_plural is not None else entry.msgid
            reason = placeholder_mismatch(source, translation, python_format=python_format)
            if translation and reason:
                broken.append(f"{entry.describe()} -> {translation!r}: {reason}")
    assert broken == [], "\n".join(broken)


def test_compiled_catalogue_has_the_plural_translations(entries: list[Entry]) -> None:
    with open(LC_MESSAGES / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    plurals = [entry for entry in entries if entry.msgid_plural is not None]
    stale = [
        entry.describe()
        for entry in plurals
        for n, index in ((1, 0), (2, 1))
        if compiled.ngettext(entry.msgid, entry.msgid_plural or "", n) != entry.msgstr.get(index)
    ]
    assert stale == [], f"django.mo is older than django.po: {stale}\n{FIX}"


@pytest.mark.parametrize(
    ("source", "translation", "python_format", "problem"),
    [
        ("Hộ {code}", "Household {code}", False, None),
        ("Hộ {code}", "Household {cod}", False, "{}-placeholders ['{code}'] became ['{cod}']"),
        ("Hộ {code}", "Household {code", False, "unbalanced { } (write {{ or }} for a literal brace)"),
        ("Trang %(number)s/%(pages)s", "Page %(number)s of %(pages)s", True, None),
        ("Trang %(number)s/%(pages)s", "Page %(number)s", True, "%-placeholders"),
        ("Tỷ lệ (%%)", "Share (%)", True, "a lone % (write %% for a percent sign)"),
        ("Tỷ lệ (%%)", "Share (%%)", True, None),
        ("{0} đến {1}", "{1} to {0}", False, None),
    ],
)
def test_placeholder_mismatch_names_the_problem(
    source: str, translation: str, python_format: bool, problem: str | None
) -> None:
    reason = placeholder_mismatch(source, translation, python_format=python_format)
    if problem is None:
        assert reason is None
    else:
        assert reason is not None and reason.startswith(problem)


def test_reader_sees_plurals_context_and_flags() -> None:
    text = (
        '#: a.html:1\n#, fuzzy, python-format\nmsgctxt "nút"\nmsgid "%(n)s hộ"\nmsgid_plural "%(n)s hộ"\n'
        'msgstr[0] "%(n)s household"\nmsgstr[1] ""\n"%(n)s households"\n\n#~ msgid "cũ"\n#~ msgstr "old"\n'
    )
    (entry,) = parse_po(text)
    assert entry.msgctxt == "nút"
    assert entry.flags == {"fuzzy", "python-format"}
    assert entry.msgstr == {0: "%(n)s household", 1: "%(n)s households"}
    assert entry.references == ["a.html:1"]
