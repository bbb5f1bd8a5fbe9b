"""Text folding for search: lower case, diacritics removed (``"Nguyễn Văn Đức"`` → ``"nguyen van duc"``)."""

from __future__ import annotations

import unicodedata

# đ/Đ is a letter of its own, not d + a combining mark, so NFD leaves it alone.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower-case ``text``, drop combining marks (NFD), map đ → d and collapse runs of whitespace."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
