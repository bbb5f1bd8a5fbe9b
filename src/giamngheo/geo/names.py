"""Comparing unit names from different sources (``Xã Hiệp Hòa`` = ``Xã Hiệp Hoà``)."""

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
