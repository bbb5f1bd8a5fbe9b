"""Unit names: comparing them across sources (``Xã Hiệp Hòa`` = ``Xã Hiệp Hoà``), writing them as in
an address (``Xã Đăk Kôi, huyện Kon Rẫy, tỉnh Kon Tum``)."""

from __future__ import annotations

import re
import unicodedata

# Old-style tone placement (hoà, thuỷ) → new style (hòa, thủy), as in the two spellings both
# sources use. Only the vowel pairs where the two styles differ.
_TONE_PLACEMENT: tuple[tuple[str, str], ...] = tuple(
    (old, new)
    for vowel, glide, marks in (("o", "a", "àáảãạ"), ("o", "e", "èéẻẽẹ"), ("u", "y", "ỳýỷỹỵ"))
    for old, new in (
        (vowel + mark, unicodedata.normalize("NFC", vowel + unicodedata.normalize("NFD", mark)[1:]) + glide)
        for mark in marks
    )
)
_DASHES = re.compile(r"\s*[-‐‑‒–—―]\s*")
_APOSTROPHES = re.compile(r"[’‘ʼ`´]")
_SPACES = re.compile(r"\s+")


def name_key(name: str) -> str:
    """A key equal for two spellings of the same unit name.

    NFC, lower case, one space between words, any dash as ``-`` (``Chân Mây – Lăng Cô``), any
    apostrophe as ``'`` (``Ea M’Droh``) and the tone mark on the first vowel of ``oa``, ``oe``,
    ``uy`` (``hoà`` → ``hòa``, ``thuỷ`` → ``thủy``).
    """
    key = unicodedata.normalize("NFC", name).lower()
    key = _APOSTROPHES.sub("'", key)
    key = _DASHES.sub(" - ", key)
    key = _SPACES.sub(" ", key).strip()
    for old, new in _TONE_PLACEMENT:
        key = key.replace(old, new)
    return key


# Words that open the legal name of a unit; in an address every name but the first starts in lower
# case ("Xã Đăk Kôi, huyện Kon Rẫy, tỉnh Kon Tum").
_TYPE_WORDS: tuple[str, ...] = (
    "Thành phố",
    "Thị trấn",
    "Thị xã",
    "Đặc khu",
    "Phường",
    "Huyện",
    "Quận",
    "Tỉnh",
    "Xã",
)


def address_name(*names: str | None) -> str:
    """Names from the smallest unit to the largest, as in an address: ``"Xã A, huyện B, tỉnh C"``.

    The first name is kept as it is; the others lose the capital of their type word (``Huyện`` →
    ``huyện``, ``Thành phố`` → ``thành phố``). A name without a type word is kept as it is; empty
    names are left out.
    """
    parts: list[str] = []
    for name in names:
        if not name:
            continue
        if parts and name.startswith(tuple(f"{word} " for word in _TYPE_WORDS)):
            name = name[0].lower() + name[1:]
        parts.append(name)
    return ", ".join(parts)
