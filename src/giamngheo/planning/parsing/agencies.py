"""Agency names (cơ quan, đơn vị): normalise one name, and split a list of them.

The catalogue is ``planning/data/agencies.toml``. :func:`normalise_agency` finds the longest catalogue
alias in a name such that what comes before it is a level word of that agency (Sở, Phòng …) or a
general one (Đảng đoàn, Thường trực …) and what comes after is a level or place ("huyện", "tỉnh Yên
Bái") or a party committee ("Tỉnh ủy"). :func:`split_agencies` cuts a list on commas, semicolons and
"và" but never inside a catalogue name ("Sở Lao động, Thương binh và Xã hội", "Phòng Nông nghiệp và
Phát triển nông thôn"), glues back pieces that do not start an agency ("Ủy ban nhân dân các xã, thị
trấn" when written in a way the catalogue does not know) and drops filler ("các đơn vị liên quan").

>>> normalise_agency("Phòng LĐ-TB&XH").name
'Phòng Lao động - Thương binh và Xã hội'
>>> [a.name for a in split_agencies("Sở Tài chính và các ngành liên quan", role="coordinating")]
['Sở Tài chính']
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Final, Literal

from giamngheo.planning.parsing.model import AgencyRef
from giamngheo.planning.parsing.text import fold, is_caps, nfc

DATA_FILE: Final = Path(__file__).resolve().parent.parent / "data" / "agencies.toml"

Role = Literal["lead", "coordinating"]


@dataclass(frozen=True, slots=True)
class Agency:
    """One catalogue entry."""

    key: str
    name: str
    prefixes: tuple[str, ...]
    aliases: tuple[str, ...]
    keep_level: bool
    requires_party_qualifier: bool
    successor: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    citation: str
    status: str
    note: str


@dataclass(frozen=True, slots=True)
class _Pattern:
    agency: Agency
    alias: str
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Catalogue:
    agencies: tuple[Agency, ...]
    patterns: tuple[_Pattern, ...]
    by_first_word: dict[str, tuple[int, ...]]  # first folded word of an alias → indexes in ``patterns``
    heads: tuple[str, ...]
    group_nouns: tuple[str, ...]  # folded
    global_prefixes: dict[str, str]  # folded → as written
    party_qualifiers: dict[str, str]  # folded → as written
    level_words: tuple[str, ...]  # folded
    generic_words: frozenset[str]  # folded tokens
    person_heads: tuple[str, ...] = ()  # folded
    body_nouns: tuple[str, ...] = ()  # folded

    def get(self, key: str) -> Agency:
        for agency in self.agencies:
            if agency.key == key:
                return agency
        raise KeyError(key)


def match_text(text: str) -> str:
    """:func:`fold` that keeps list separators: "," and ";" stay, a line break becomes ";" (same length).

    The alias patterns run over this text, so a name is never found across a separator that the alias
    itself does not have: "Huyện ủy" is not in "Ủy ban nhân dân huyện; Ủy ban nhân dân cấp xã" nor in
    "Trung tâm … huyện, Ủy ban Mặt trận", and "Tỉnh Đoàn" is not in "… tỉnh, Đoàn Thanh niên xã".

    >>> match_text("UBND huyện; Ủy ban")
    'ubnd huyen; uy ban'
    """
    folded = fold(text)
    if "," not in text and ";" not in text and "\n" not in text:
        return folded
    chars = list(folded)
    for i, ch in enumerate(text):
        if ch in ",;":
            chars[i] = ch
        elif ch == "\n":
            chars[i] = ";"
    return "".join(chars)


def _alias_regex(alias: str) -> re.Pattern[str]:
    """A pattern over :func:`match_text`. Where the alias has punctuation or "và" between words, the text
    may have a comma, other punctuation, "và" or nothing ("LĐ-TB&XH" = "LĐTBXH" = "LĐ, TB và XH";
    "Lao động - Thương binh" = "Lao động, Thương binh"); where it has a plain space, the text must have
    spaces or punctuation other than "," and ";" and no "và" (so "Tỉnh ủy" never matches "tỉnh và Ủy
    ban" nor "tỉnh, Ủy ban"). No alias matches across ";" or a line break."""
    text = nfc(alias)
    parts = re.split(r"([^0-9A-Za-zÀ-ỹĐđ]+)", text)
    words: list[str] = []
    gaps: list[bool] = []  # True: a separator gap before the word
    separator = False
    for i, part in enumerate(parts):
        if i % 2:  # a gap
            separator = separator or not part.isspace()
            continue
        token = fold(part).strip()
        if not token:
            continue
        if token == "va":
            separator = True
            continue
        if words:
            gaps.append(separator)
        words.append(token)
        separator = False
    body = re.escape(words[0])
    for word, sep in zip(words[1:], gaps, strict=True):
        body += (r"(?: *,? *va +| *,? *)" if sep else r" +") + re.escape(word)
    return re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])")


def _date(value: Any) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


@cache
def catalogue() -> Catalogue:
    """The agency catalogue, loaded once."""
    with DATA_FILE.open("rb") as handle:
        raw = tomllib.load(handle)
    matching = raw["matching"]
    agencies = []
    patterns = []
    for item in raw["agency"]:
        agency = Agency(
            key=item["key"],
            name=nfc(item["name"]),
            prefixes=tuple(nfc(p) for p in item.get("prefixes", [])),
            aliases=tuple(nfc(a) for a in item.get("aliases", [])),
            keep_level=bool(item.get("keep_level", False)),
            requires_party_qualifier=bool(item.get("requires_party_qualifier", False)),
            successor=item.get("successor"),
            valid_from=_date(item.get("valid_from")),
            valid_to=_date(item.get("valid_to")),
            citation=item.get("citation", ""),
            status=item.get("status", ""),
            note=item.get("note", ""),
        )
        agencies.append(agency)
        for alias in (agency.name, *agency.aliases):
            patterns.append(_Pattern(agency, alias, _alias_regex(alias)))
    generic = set()
    for word in matching["generic_words"]:
        generic.update(fold(nfc(word)).split())
    by_first_word: dict[str, list[int]] = {}
    for i, pattern in enumerate(patterns):
        first = re.match(r"[a-z0-9]+", fold(pattern.alias).strip())
        by_first_word.setdefault(first.group(0) if first else "", []).append(i)
    return Catalogue(
        agencies=tuple(agencies),
        patterns=tuple(patterns),
        by_first_word={word: tuple(ids) for word, ids in by_first_word.items()},
        heads=tuple(sorted((nfc(h) for h in matching["heads"]), key=len, reverse=True)),
        group_nouns=tuple(" ".join(fold(nfc(w)).split()) for w in matching["group_nouns"]),
        global_prefixes={" ".join(fold(nfc(p)).split()): nfc(p) for p in matching["global_prefixes"]},
        party_qualifiers={" ".join(fold(nfc(p)).split()): nfc(p) for p in matching["party_qualifiers"]},
        level_words=tuple(" ".join(fold(nfc(w)).split()) for w in matching["level_words"]),
        generic_words=frozenset(generic),
        person_heads=tuple(" ".join(fold(nfc(w)).split()) for w in matching.get("person_heads", [])),
        body_nouns=tuple(" ".join(fold(nfc(w)).split()) for w in matching.get("body_nouns", [])),
    )


def successor_of(key: str, on: dt.date | None = None) -> Agency | None:
    """The agency that took over ``key``'s poverty-reduction work, if any; with ``on``, only once
    ``key`` had ceased (after its ``valid_to``).

    >>> successor_of("labour_social").name
    'Nông nghiệp và Môi trường'
    """
    agency = catalogue().get(key)
    if agency.successor is None:
        return None
    if on is not None and agency.valid_to is not None and on <= agency.valid_to:
        return None
    return catalogue().get(agency.successor)


# --- One name ---------------------------------------------------------------------------------------

_PAREN = re.compile(r"\([^()]*\)")
_TRIM = " \t,.;:-–—\"'“”‘’()[]"


def _tidy(name: str) -> str:
    text = _PAREN.sub(" ", nfc(name))
    text = re.sub(r"\s+", " ", text).strip(_TRIM)
    return text


def _words(folded: str) -> str:
    return " ".join(folded.split())


def _starts_with_any(words: str, options: Iterable[str]) -> bool:
    return any(words == o or words.startswith(o + " ") for o in options)


def _capitalise(words: str) -> str:
    return words[:1].upper() + words[1:]


@cache
def normalise_agency(name: str) -> AgencyRef:
    """Match ``name`` against the catalogue; names not in it keep their text with ``key=None``.

    >>> a = normalise_agency("Ngân hàng CSXH huyện")
    >>> a.key, a.name, a.qualifier
    ('vbsp', 'Ngân hàng Chính sách xã hội', 'huyện')
    """
    cat = catalogue()
    text = _tidy(name)
    folded = fold(text)
    matched = match_text(text)
    best: tuple[int, int, _Pattern, re.Match[str], str, str] | None = None
    for order, pattern in _candidates(matched):
        for m in pattern.regex.finditer(matched):
            before = _words(folded[: m.start()])
            after = _words(folded[m.end() :])
            agency = pattern.agency
            prefix_ok = (
                not before
                or before in (_words(fold(p)) for p in agency.prefixes)
                or before in cat.global_prefixes
            )
            party = _starts_with_any(after, cat.party_qualifiers)
            suffix_ok = not after or party or _starts_with_any(after, cat.level_words)
            if agency.requires_party_qualifier and not party:
                suffix_ok = False
            if not (prefix_ok and suffix_ok):
                continue
            length = m.end() - m.start()
            if best is None or length > best[0] or (length == best[0] and order < best[1]):
                best = (length, order, pattern, m, before, after)
    if best is None:
        return AgencyRef(key=None, name=_capitalise(text), matched_alias=None, qualifier=None, text=name)
    _, _, pattern, m, before, after = best
    agency = pattern.agency
    prefix = text[: m.start()].strip()
    if prefix:
        canonical = {_words(fold(p)): p for p in (*agency.prefixes, *cat.global_prefixes.values())}
        prefix = canonical.get(before, _capitalise(prefix))
    qualifier = text[m.end() :].strip(_TRIM) or None
    if qualifier and is_caps(qualifier):  # "TỈNH YÊN BÁI" in a heading → "tỉnh Yên Bái"
        first, *others = qualifier.split()
        qualifier = " ".join([first.lower(), *(w.capitalize() for w in others)])
    display = f"{prefix} {agency.name}" if prefix else agency.name
    if qualifier:
        committee = next((q for f, q in cat.party_qualifiers.items() if _starts_with_any(after, [f])), None)
        if committee is not None:
            rest = qualifier[len(committee) :].strip()
            display = f"{display} {committee}{' ' + rest if rest else ''}"
        elif agency.keep_level:
            display = f"{display} {qualifier}"
    return AgencyRef(
        key=agency.key, name=display, matched_alias=pattern.alias, qualifier=qualifier, text=name
    )


# --- Lists of names ---------------------------------------------------------------------------------


def _candidates(folded: str) -> list[tuple[int, _Pattern]]:
    """The catalogue patterns whose first word occurs in ``folded`` (the others cannot match), in
    catalogue order."""
    cat = catalogue()
    ids: set[int] = set()
    for word in set(re.findall(r"[a-z0-9]+", folded)):
        for end in range(1, len(word) + 1):  # "ldtbxh" may start "LĐ-TB&XH" written without its "-"
            ids.update(cat.by_first_word.get(word[:end], ()))
    return [(i, cat.patterns[i]) for i in sorted(ids)]


def alias_spans(text: str) -> list[tuple[int, int]]:
    """Where catalogue names occur in ``text`` (offsets in ``text``); lists are never cut inside them."""
    return list(_alias_spans(text))


@lru_cache(maxsize=4096)
def _alias_spans(text: str) -> tuple[tuple[int, int], ...]:
    folded = match_text(text)
    spans: list[tuple[int, int]] = []
    for _, pattern in _candidates(folded):
        spans.extend((m.start(), m.end()) for m in pattern.regex.finditer(folded))
    return tuple(spans)


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < position < end for start, end in spans)


def starts_agency(piece: str) -> bool:
    """Whether ``piece`` begins a new agency name (rather than continuing the previous one)."""
    text = piece.strip(_TRIM)
    if not text:
        return False
    cat = catalogue()
    for head in cat.heads:
        if text.startswith(head) and (len(text) == len(head) or not text[len(head)].isalnum()):
            return True
    words = _words(fold(text))
    if words.startswith("cac ") and _starts_with_any(words[4:], cat.group_nouns):
        return True
    if _starts_with_any(words, cat.person_heads):  # "thủ trưởng các sở", "cấp ủy", "chính quyền …"
        return True
    folded = match_text(text)
    first = len(folded) - len(folded.lstrip())
    return any(m.start() == first for _, p in _candidates(folded) for m in [p.regex.search(folded)] if m)


def looks_like_agency(text: str) -> bool:
    """Whether ``text`` (a clause's subject) names agencies: "Phòng Tài chính - Kế hoạch", "các xã"."""
    text = text.strip(_TRIM)
    if not text or len(text.split()) > 30:
        return False
    first = re.split(r"[,;]|\s+và\s+", text, maxsplit=1)[0]
    if starts_agency(first):
        return True
    return normalise_agency(first).key is not None


def is_filler(piece: str, role: Role) -> bool:
    """A piece that names no agency in particular: "các đơn vị, địa phương có liên quan".

    Among coordinating agencies any generic piece is filler; a lead is dropped only when it says
    "liên quan" or "khác", so "Các cơ quan, đơn vị" stays the lead of a task addressed to them all.
    """
    words = _words(fold(piece))
    tokens = words.split()
    if not tokens:
        return True
    if not all(t in catalogue().generic_words for t in tokens):
        return False
    if role == "coordinating":
        return True
    return "lien quan" in words or "khac" in tokens


def _new_body(previous: str, piece: str) -> bool:
    """Whether ``piece`` names other bodies with "các" left out ("các tổ chức xã hội, đơn vị cấp tỉnh"),
    rather than continuing a list of nouns after one "các" ("các ban, sở, ngành", "các cơ quan, đơn vị
    cấp tỉnh") or of places ("Ban Công tác Mặt trận các thôn, bản")."""
    cat = catalogue()
    words = _words(fold(piece))
    if not _starts_with_any(words, cat.body_nouns):
        return False
    tail = f" {_words(match_text(previous))} "
    at = tail.rfind(" cac ")
    if at < 0:
        return True
    nouns = [_words(part) for part in re.split(r"[,;]| va ", tail[at + 5 :])]
    return not all(n in cat.group_nouns for n in nouns if n)


_SEPARATOR = re.compile(r"\s*[,;\n]\s*|\s+và\s+|\s*&\s*")


def split_agencies(segment: str, *, role: Role) -> list[AgencyRef]:
    """Split a list of agencies, normalise each, drop filler; order kept, duplicates removed."""
    text = _PAREN.sub(lambda m: " " * len(m.group(0)), nfc(segment))
    spans = alias_spans(text)
    pieces: list[tuple[str, str]] = []  # (separator before, piece)
    last = 0
    separator = ""
    for m in _SEPARATOR.finditer(text):
        if _inside(m.start(), spans) or _inside(m.end() - 1, spans):
            continue
        pieces.append((separator, text[last : m.start()]))
        separator = m.group(0)
        last = m.end()
    pieces.append((separator, text[last:]))
    merged: list[str] = []
    for sep, piece in pieces:
        if not piece.strip(_TRIM):
            continue
        hard = ";" in sep or "\n" in sep
        if merged and not hard and not starts_agency(piece) and not _new_body(merged[-1], piece):
            merged[-1] = merged[-1] + sep + piece
        else:
            merged.append(piece)
    refs: list[AgencyRef] = []
    seen: set[str] = set()
    for piece in merged:
        tidy = _tidy(piece)
        if not tidy:
            continue
        ref = normalise_agency(tidy)
        if ref.key is None and is_filler(tidy, role):
            continue
        if ref.name not in seen:
            seen.add(ref.name)
            refs.append(ref)
    return refs
