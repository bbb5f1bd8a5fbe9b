"""A small arithmetic challenge (mã kiểm tra) for the public forms, that works offline.

The server picks ``a + b`` or ``a − b`` (one-digit numbers, a non-negative answer) and draws it as an
SVG of stroked paths with noise: no font, no image and no script from the internet. The answer never
leaves the server in clear: the form carries a token signed with ``django.core.signing`` (salt
:data:`SALT`, valid :func:`max_age` seconds) that holds a random nonce and an HMAC of the nonce and the
answer. A token is single-use: the first check, right or wrong, remembers its nonce in Django's cache
until the token expires, so a second use is refused.

Screen-reader users get the same question in words (:attr:`Challenge.question`, "Ba cộng bốn bằng
mấy?"), in a visually hidden label. That text is readable by a machine as well: the challenge only
slows down unattended submissions, and the rate limit (``review.ratelimit``) is what caps them.

Settings (read with ``getattr``, with defaults): ``GIAMNGHEO_CAPTCHA_MAX_AGE`` (seconds, 1800).
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from typing import Final

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

SALT: Final = "giamngheo.review.captcha"
DEFAULT_MAX_AGE: Final = 30 * 60
USED_PREFIX: Final = "giamngheo:captcha:used:"

# With a context: "năm" is also "year" elsewhere in the catalogue.
NUMBER_WORDS: Final[tuple[Promise, ...]] = (
    pgettext_lazy("captcha number", "không"),
    pgettext_lazy("captcha number", "một"),
    pgettext_lazy("captcha number", "hai"),
    pgettext_lazy("captcha number", "ba"),
    pgettext_lazy("captcha number", "bốn"),
    pgettext_lazy("captcha number", "năm"),
    pgettext_lazy("captcha number", "sáu"),
    pgettext_lazy("captcha number", "bảy"),
    pgettext_lazy("captcha number", "tám"),
    pgettext_lazy("captcha number", "chín"),
)

Point = tuple[float, float]
# Glyphs on a 6 × 10 grid (x right, y down), each a list of strokes.
GLYPHS: Final[dict[str, tuple[tuple[Point, ...], ...]]] = {
    "0": (((1, 0), (5, 0), (6, 2), (6, 8), (5, 10), (1, 10), (0, 8), (0, 2), (1, 0)),),
    "1": (((1.5, 2), (3.5, 0), (3.5, 10)), ((1, 10), (6, 10))),
    "2": (((0, 2), (1, 0), (5, 0), (6, 2), (6, 4), (0, 10), (6, 10)),),
    "3": (
        ((0, 1), (1, 0), (5, 0), (6, 1.5), (6, 3.5), (4.5, 5), (2, 5)),
        ((4.5, 5), (6, 6.5), (6, 8.5), (5, 10), (1, 10), (0, 9)),
    ),
    "4": (((4.5, 10), (4.5, 0), (0, 7), (6, 7)),),
    "5": (((6, 0), (0.5, 0), (0, 4.5), (4.5, 4), (6, 5.5), (6, 8.5), (4.5, 10), (1, 10), (0, 9)),),
    "6": (
        (
            (5.5, 0.5),
            (4, 0),
            (2, 0),
            (0, 3),
            (0, 8),
            (1.5, 10),
            (4.5, 10),
            (6, 8.5),
            (6, 6.5),
            (4.5, 5),
            (1.5, 5),
            (0, 6.5),
        ),
    ),
    "7": (((0, 0), (6, 0), (2.5, 10)),),
    "8": (
        ((3, 5), (1, 5), (0, 3.8), (0, 1.2), (1, 0), (5, 0), (6, 1.2), (6, 3.8), (5, 5), (3, 5)),
        ((3, 5), (0.8, 5), (0, 6.2), (0, 8.8), (1, 10), (5, 10), (6, 8.8), (6, 6.2), (5.2, 5), (3, 5)),
    ),
    "9": (
        (
            (0.5, 9.5),
            (2, 10),
            (4, 10),
            (6, 7),
            (6, 2),
            (4.5, 0),
            (1.5, 0),
            (0, 1.5),
            (0, 3.5),
            (1.5, 5),
            (4.5, 5),
            (6, 3.5),
        ),
    ),
    "+": (((0, 5), (6, 5)), ((3, 2), (3, 8))),
    "-": (((0, 5), (6, 5)),),
    "=": (((0, 3.5), (6, 3.5)), ((0, 6.5), (6, 6.5))),
    "?": (((0.5, 2), (1.5, 0), (4.5, 0), (6, 1.5), (6, 3.5), (3, 5.5), (3, 7.5)), ((3, 9.4), (3, 10))),
}
INK: Final = ("#1f2937", "#1e3a8a", "#7c2d12", "#14532d", "#581c87")
NOISE: Final = ("#94a3b8", "#a8a29e", "#93c5fd", "#fca5a5", "#86efac")
SCALE: Final = 3.2
STEP: Final = 27
HEIGHT: Final = 56

_random = secrets.SystemRandom()


@dataclass(frozen=True)
class Challenge:
    """What a form shows: the signed ``token`` (a hidden field), the ``svg`` drawing and the same
    ``question`` in words for screen readers."""

    token: str
    svg: SafeString
    question: str


def max_age() -> int:
    """How long a challenge stays valid, in seconds (``GIAMNGHEO_CAPTCHA_MAX_AGE``, default 30 min)."""
    return int(getattr(settings, "GIAMNGHEO_CAPTCHA_MAX_AGE", DEFAULT_MAX_AGE))


def _digest(nonce: str, answer: int) -> str:
    return salted_hmac(SALT, f"{nonce}:{answer}", algorithm="sha256").hexdigest()


def _pick() -> tuple[int, str, int, int]:
    if _random.random() < 0.5:
        a, b = _random.randint(1, 9), _random.randint(1, 9)
        return a, "+", b, a + b
    a = _random.randint(2, 9)
    b = _random.randint(1, a - 1)
    return a, "-", b, a - b


def question_text(a: int, operator: str, b: int) -> str:
    """The question in words: ``question_text(3, "+", 4)`` → "Ba cộng bốn bằng mấy?"."""
    template = _("{a} cộng {b} bằng mấy?") if operator == "+" else _("{a} trừ {b} bằng mấy?")
    text = template.format(a=str(NUMBER_WORDS[a]), b=str(NUMBER_WORDS[b]))
    return text[:1].upper() + text[1:]


def _transform(points: tuple[Point, ...], x0: float, y0: float, angle: float) -> list[Point]:
    cos, sin = math.cos(angle), math.sin(angle)
    out: list[Point] = []
    for x, y in points:
        # jitter each point a little, rotate about the glyph's centre (3, 5), then scale and place
        x, y = x + _random.uniform(-0.25, 0.25) - 3, y + _random.uniform(-0.25, 0.25) - 5
        rx, ry = x * cos - y * sin + 3, x * sin + y * cos + 5
        out.append((x0 + rx * SCALE, y0 + ry * SCALE))
    return out


def _path(points: list[Point]) -> str:
    head, *tail = points
    return f"M{head[0]:.1f} {head[1]:.1f}" + "".join(f" L{x:.1f} {y:.1f}" for x, y in tail)


def render_svg(text: str) -> SafeString:
    """Draw ``text`` (digits and ``+-=?``) as an SVG of stroked paths, with noise curves and dots."""
    width = 16 + STEP * len(text)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="captcha-image" width="{width}" '
        f'height="{HEIGHT}" viewBox="0 0 {width} {HEIGHT}" aria-hidden="true" focusable="false">',
        f'<rect width="{width}" height="{HEIGHT}" rx="6" fill="#f8fafc" stroke="#cbd5e1"/>',
    ]
    for _i in range(5):
        y1, y2 = _random.uniform(5, HEIGHT - 5), _random.uniform(5, HEIGHT - 5)
        c1 = (_random.uniform(0, width), _random.uniform(0, HEIGHT))
        c2 = (_random.uniform(0, width), _random.uniform(0, HEIGHT))
        parts.append(
            f'<path d="M0 {y1:.1f} C{c1[0]:.1f} {c1[1]:.1f} {c2[0]:.1f} {c2[1]:.1f} {width} {y2:.1f}" '
            f'fill="none" stroke="{_random.choice(NOISE)}" stroke-width="{_random.uniform(0.8, 1.8):.1f}"/>'
        )
    for index, char in enumerate(text):
        x0 = 10 + index * STEP + _random.uniform(-2, 2)
        y0 = (HEIGHT - 10 * SCALE) / 2 + _random.uniform(-3, 3)
        angle = math.radians(_random.uniform(-14, 14))
        ink = _random.choice(INK)
        for stroke in GLYPHS[char]:
            parts.append(
                f'<path d="{_path(_transform(stroke, x0, y0, angle))}" fill="none" stroke="{ink}" '
                'stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/>'
            )
    for _i in range(28):
        parts.append(
            f'<circle cx="{_random.uniform(0, width):.1f}" cy="{_random.uniform(0, HEIGHT):.1f}" '
            f'r="{_random.uniform(0.6, 1.4):.1f}" fill="{_random.choice(NOISE)}"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # built here from numbers and fixed strings only


def new_challenge() -> Challenge:
    """A fresh challenge with its signed token."""
    a, operator, b, answer = _pick()
    nonce = secrets.token_urlsafe(16)
    token = signing.dumps({"n": nonce, "h": _digest(nonce, answer)}, salt=SALT)
    return Challenge(token, render_svg(f"{a}{operator}{b}=?"), question_text(a, operator, b))


def _payload(token: str) -> tuple[str, str] | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    nonce, digest = data.get("n"), data.get("h")
    if not isinstance(nonce, str) or not isinstance(digest, str):
        return None
    return nonce, digest


def _answer(text: object) -> int | None:
    value = str(text or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 3:
        return None
    return int(value)


def matches(token: str, answer: object) -> bool:
    """Whether ``answer`` solves the (valid, unexpired) ``token``, without using it up."""
    payload, value = _payload(token), _answer(answer)
    if payload is None or value is None:
        return False
    nonce, digest = payload
    return constant_time_compare(_digest(nonce, value), digest)


def verify(token: str, answer: object) -> bool:
    """Check ``answer`` and use the token up, whether the answer is right or wrong: a valid token is
    accepted once. False for a bad signature, an expired or used token, or a wrong answer."""
    payload = _payload(token)
    if payload is None:
        return False
    nonce, _digest_value = payload
    if not cache.add(USED_PREFIX + nonce, 1, timeout=max_age()):
        return False  # already used
    return matches(token, answer)
