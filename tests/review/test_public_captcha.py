"""The offline captcha (``review.captcha``) and the per-client rate limit (``review.ratelimit``)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterator

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import RequestFactory
from pytest_django.fixtures import SettingsWrapper

from giamngheo.review import captcha, ratelimit
from tests.review.test_public_common import solve


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("a", "operator", "b", "text"),
    [
        (3, "+", 4, "Ba cộng bốn bằng mấy?"),
        (9, "-", 1, "Chín trừ một bằng mấy?"),
        (5, "+", 5, "Năm cộng năm bằng mấy?"),
    ],
)
def test_the_question_in_words(a: int, operator: str, b: int, text: str) -> None:
    assert captcha.question_text(a, operator, b) == text


def test_a_challenge_is_drawn_offline_and_asked_in_words() -> None:
    challenge = captcha.new_challenge()
    svg = str(challenge.svg)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and svg.endswith("</svg>")
    assert svg.count("<path") >= 8  # five glyphs (at least one stroke each) and five noise curves
    assert 'aria-hidden="true"' in svg
    # nothing to fetch and no text to read: no link, no font, no <text>, no image, no script
    for forbidden in ("href", "url(", "<text", "<image", "<script", "font", "@import"):
        assert forbidden not in svg, forbidden
    assert re.fullmatch(r"[A-ZĐ][^?]* (cộng|trừ) [^?]+ bằng mấy\?", challenge.question)
    # the answer from the words matches the token
    words = [str(w) for w in captcha.NUMBER_WORDS]
    first, operator, second = re.match(r"(.+) (cộng|trừ) (.+) bằng mấy\?", challenge.question).groups()  # type: ignore[union-attr]
    a, b = words.index(first.lower()), words.index(second)
    assert solve(challenge.token) == (a + b if operator == "cộng" else a - b)


def test_two_drawings_of_the_same_question_differ() -> None:
    assert captcha.render_svg("3+4=?") != captcha.render_svg("3+4=?")


def test_the_token_does_not_carry_the_answer() -> None:
    challenge = captcha.new_challenge()
    payload = signing.loads(challenge.token, salt=captcha.SALT)
    raw = challenge.token.split(":")[0]
    decoded = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
    assert json.loads(decoded) == payload  # what a client can read: a nonce and a digest, no answer
    assert set(payload) == {"n", "h"} and re.fullmatch(r"[0-9a-f]{64}", payload["h"])
    # the digest is keyed with the server's secret: a plain hash of any candidate answer is not it
    for candidate in range(19):
        assert hashlib.sha256(f"{payload['n']}:{candidate}".encode()).hexdigest() != payload["h"]
    assert 0 <= solve(challenge.token) <= 18


def test_verify_accepts_the_right_answer_once() -> None:
    challenge = captcha.new_challenge()
    answer = solve(challenge.token)
    assert captcha.verify(challenge.token, str(answer)) is True
    assert captcha.verify(challenge.token, str(answer)) is False  # used


def test_a_wrong_answer_uses_the_token_up() -> None:
    challenge = captcha.new_challenge()
    answer = solve(challenge.token)
    assert captcha.verify(challenge.token, str(answer + 1)) is False
    assert captcha.verify(challenge.token, str(answer)) is False


@pytest.mark.parametrize("typed", ["", " ", "abc", "-3", "1e1", "٣", "1234", None])
def test_answers_that_are_not_small_numbers_are_refused(typed: object) -> None:
    challenge = captcha.new_challenge()
    assert captcha.matches(challenge.token, typed) is False


def test_a_forged_or_expired_token_is_refused(settings: SettingsWrapper) -> None:
    forged = signing.dumps({"n": "x", "h": "0" * 64}, salt="another salt")
    assert captcha.verify(forged, "1") is False
    assert captcha.verify("not a token", "1") is False
    challenge = captcha.new_challenge()
    answer = solve(challenge.token)
    settings.GIAMNGHEO_CAPTCHA_MAX_AGE = -1
    assert captcha.verify(challenge.token, str(answer)) is False


# --- rate limit ---------------------------------------------------------------------------------


def test_the_client_is_remote_addr_and_never_x_forwarded_for() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert ratelimit.client_ip(request) == "203.0.113.9"


def test_hit_counts_per_scope_and_client(settings: SettingsWrapper) -> None:
    settings.GIAMNGHEO_PUBLIC_RATE_LIMITS = {"complaint_submit": (2, 60)}
    one = RequestFactory().post("/", REMOTE_ADDR="203.0.113.1")
    two = RequestFactory().post("/", REMOTE_ADDR="203.0.113.2")
    assert [ratelimit.hit(one, "complaint_submit") for _ in range(3)] == [True, True, False]
    assert ratelimit.hit(two, "complaint_submit") is True
    assert ratelimit.hit(one, "complaint_track") is True  # another scope, default rate
    assert ratelimit.rate_for("complaint_track") == ratelimit.Rate(30, 600)
    assert ratelimit.rate_for("complaint_submit") == ratelimit.Rate(2, 60)
    cache.clear()  # the window closes
    assert ratelimit.hit(one, "complaint_submit") is True
