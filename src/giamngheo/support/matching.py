"""Jobs matching (kết nối việc làm): how well a job seeker (người tìm việc) fits a job opening (việc làm).

Framework-free: plain Python, no Django import, so that the rule can be read and tested on its own.
The pages build a :class:`SeekerProfile` / :class:`OpeningProfile` from the database and call
:func:`rank_openings` (the best openings for one seeker) or :func:`rank_seekers` (the best seekers for
one opening).

The score is a sum of points, each with its reason in Vietnamese (:class:`Reason`), so a commune officer
can see *why* a match is proposed:

- skills (kỹ năng): up to ``SKILL_POINTS`` × the Jaccard index of the seeker's skill words (skills and
  training) and the opening's (its skills, else the words of its title), on folded words (no diacritics,
  lower case, ``registry.text.fold``) without the common words of :data:`STOP_WORDS`;
- work abroad (xuất khẩu lao động): ``ABROAD_WISH_POINTS`` when the seeker wishes it and the opening is
  abroad, ``ABROAD_UNWANTED_POINTS`` (negative) when the opening is abroad and the seeker does not wish
  it, ``DOMESTIC_FOR_ABROAD_POINTS`` when the seeker wishes to go abroad and the opening is at home;
- wage (tiền lương): ``WAGE_MET_POINTS`` when the opening's upper wage reaches the seeker's desired wage,
  ``WAGE_NEAR_POINTS`` when it reaches ``WAGE_NEAR_SHARE`` of it, ``WAGE_LOW_POINTS`` (negative) below;
- place (nơi làm việc, openings at home only): ``SAME_COMMUNE_POINTS`` for the seeker's commune,
  ``SAME_PROVINCE_POINTS`` for the seeker's province.

An opening that is closed, past its deadline (hạn nộp hồ sơ) or without positions left is not a match
at all (``eligible`` false, with the reason), and neither is an opening abroad for a seeker under
``MIN_AGE_ABROAD``. Ranked lists keep the eligible matches with a positive score, best first; ties are
broken by the skill overlap, then the earlier deadline, then the smaller id, so the order never depends
on the order of the input.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from giamngheo.documents.formatting import number
from giamngheo.registry.text import fold

SKILL_POINTS: Final = 50.0
ABROAD_WISH_POINTS: Final = 15.0
ABROAD_UNWANTED_POINTS: Final = -40.0
DOMESTIC_FOR_ABROAD_POINTS: Final = -5.0
WAGE_MET_POINTS: Final = 20.0
WAGE_NEAR_POINTS: Final = 10.0
WAGE_NEAR_SHARE: Final = Decimal("0.8")
WAGE_LOW_POINTS: Final = -10.0
SAME_COMMUNE_POINTS: Final = 15.0
SAME_PROVINCE_POINTS: Final = 8.0

#: Minimum age of a Vietnamese guest worker going abroad under contract: Law 69/2020/QH14 on Vietnamese
#: workers working abroad under contract, article 44, clause 1, point a ("từ đủ 18 tuổi trở lên";
#: best reading, check the article when editing).
MIN_AGE_ABROAD: Final = 18

#: Words that say nothing about a skill (folded): left out of the skill words.
STOP_WORDS: Final = frozenset(
    {
        "va",
        "hoac",
        "cac",
        "co",
        "biet",
        "lam",
        "viec",
        "nghe",
        "ky",
        "nang",
        "cong",
        "nhan",
        "vien",
        "lao",
        "dong",
        "pho",
        "thong",
        "tai",
        "o",
        "cho",
        "de",
        "the",
        "duoc",
        # levels of training (sơ cấp, trung cấp, cao đẳng, đại học …) say nothing about the trade
        "so",
        "cap",
        "trung",
        "cao",
        "dang",
        "dai",
        "hoc",
        "bang",
        "khoa",
        "dao",
        "tao",
        "truong",
    }
)

_SEPARATORS = re.compile(r"[,;\n\r/]+")
_WORD = re.compile(r"[a-z0-9]+")


def normalise_skills(value: str | Iterable[str]) -> list[str]:
    """The skills as a clean list: split on commas, semicolons, slashes and new lines, spaces collapsed,
    duplicates (same folded text) dropped, the first spelling kept, order kept.

    >>> normalise_skills("May mặc, lái xe; may mặc ,  hàn  điện")
    ['May mặc', 'lái xe', 'hàn điện']
    """
    parts = _SEPARATORS.split(value) if isinstance(value, str) else list(value)
    seen: set[str] = set()
    skills: list[str] = []
    for part in parts:
        text = " ".join(str(part).split())
        key = fold(text)
        if text and key not in seen:
            seen.add(key)
            skills.append(text)
    return skills


def skill_words(*texts: str) -> dict[str, str]:
    """The skill words of ``texts``: folded word → the word as first written (for the reasons).

    >>> skill_words("May mặc", "Công nhân may")
    {'may': 'may', 'mac': 'mặc'}
    """
    words: dict[str, str] = {}
    for text in texts:
        for token in text.split():
            written = token.strip(".,;:()[]\"'").lower()
            keys = _WORD.findall(fold(written))
            for key in keys:
                if len(key) > 1 and key not in STOP_WORDS:
                    words.setdefault(key, written if len(keys) == 1 else key)
    return words


@dataclass(frozen=True, slots=True)
class SeekerProfile:
    """What matching reads of a job seeker."""

    id: int
    skills: tuple[str, ...]
    training: str = ""
    wants_abroad: bool = False
    desired_wage: Decimal | None = None
    commune_id: int | None = None
    province_code: str = ""
    age: int | None = None


@dataclass(frozen=True, slots=True)
class OpeningProfile:
    """What matching reads of a job opening. ``positions_left``: positions minus placements recorded."""

    id: int
    skills: tuple[str, ...]
    title: str = ""
    abroad: bool = False
    wage_min: Decimal | None = None
    wage_max: Decimal | None = None
    commune_id: int | None = None
    province_code: str = ""
    deadline: dt.date | None = None
    positions_left: int = 1
    is_open: bool = True


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason of a score: a stable ``code``, the points it gives (may be negative) and the text."""

    code: str
    points: float
    text: str


@dataclass(frozen=True, slots=True)
class Match:
    """A seeker × opening pair: ``score`` (sum of the reasons' points), ``eligible`` (false: not a match,
    the reasons say why), ``skill_overlap`` (the Jaccard index, 0 to 1) and the reasons, in order."""

    seeker_id: int
    opening_id: int
    score: float
    eligible: bool
    skill_overlap: float
    reasons: tuple[Reason, ...]
    deadline: dt.date | None = None


def _money(value: Decimal) -> str:
    return f"{number(value)} đồng"


def _day(value: dt.date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def _refusals(seeker: SeekerProfile, opening: OpeningProfile, today: dt.date) -> list[Reason]:
    refusals: list[Reason] = []
    if not opening.is_open:
        refusals.append(Reason("closed", 0.0, "Việc làm đã ngừng tuyển."))
    if opening.deadline is not None and opening.deadline < today:
        refusals.append(Reason("deadline_passed", 0.0, f"Đã hết hạn nộp hồ sơ ({_day(opening.deadline)})."))
    if opening.positions_left <= 0:
        refusals.append(Reason("no_positions", 0.0, "Đã tuyển đủ số lượng."))
    if opening.abroad and seeker.age is not None and seeker.age < MIN_AGE_ABROAD:
        refusals.append(
            Reason(
                "too_young_abroad",
                0.0,
                f"Chưa đủ {MIN_AGE_ABROAD} tuổi, chưa được đi làm việc ở nước ngoài theo hợp đồng "
                "(Luật số 69/2020/QH14, Điều 44).",
            )
        )
    return refusals


def _skills(seeker: SeekerProfile, opening: OpeningProfile) -> tuple[float, Reason]:
    mine = skill_words(*seeker.skills, seeker.training)
    wanted = skill_words(*opening.skills) if opening.skills else skill_words(opening.title)
    if not wanted:
        return 0.0, Reason("skills_unspecified", 0.0, "Việc làm không nêu kỹ năng cần có.")
    common = sorted(set(mine) & set(wanted))
    if not common:
        return 0.0, Reason("skills_none", 0.0, "Chưa có kỹ năng trùng với yêu cầu.")
    overlap = len(common) / len(set(mine) | set(wanted))
    points = round(SKILL_POINTS * overlap, 1)
    shown = ", ".join(mine[key] for key in common)
    return overlap, Reason("skills", points, f"Kỹ năng phù hợp: {shown} ({round(overlap * 100)}%).")


def _abroad(seeker: SeekerProfile, opening: OpeningProfile) -> Reason | None:
    if opening.abroad and seeker.wants_abroad:
        return Reason("abroad_wish", ABROAD_WISH_POINTS, "Có nguyện vọng đi làm việc ở nước ngoài.")
    if opening.abroad:
        return Reason(
            "abroad_unwanted", ABROAD_UNWANTED_POINTS, "Không có nguyện vọng đi làm việc ở nước ngoài."
        )
    if seeker.wants_abroad:
        return Reason(
            "domestic_for_abroad",
            DOMESTIC_FOR_ABROAD_POINTS,
            "Muốn đi làm việc ở nước ngoài; đây là việc làm trong nước.",
        )
    return None


def _wage(seeker: SeekerProfile, opening: OpeningProfile) -> Reason:
    top = opening.wage_max if opening.wage_max is not None else opening.wage_min
    if seeker.desired_wage is None or seeker.desired_wage <= 0:
        return Reason("wage_unknown", 0.0, "Người tìm việc chưa nêu mức lương mong muốn.")
    if top is None:
        return Reason("wage_unspecified", 0.0, "Việc làm chưa nêu mức lương.")
    wish = _money(seeker.desired_wage)
    if top >= seeker.desired_wage:
        return Reason("wage_met", WAGE_MET_POINTS, f"Lương đến {_money(top)}, đạt mức mong muốn {wish}.")
    if top >= seeker.desired_wage * WAGE_NEAR_SHARE:
        return Reason("wage_near", WAGE_NEAR_POINTS, f"Lương đến {_money(top)}, gần mức mong muốn {wish}.")
    return Reason("wage_low", WAGE_LOW_POINTS, f"Lương đến {_money(top)}, thấp hơn mức mong muốn {wish}.")


def _place(seeker: SeekerProfile, opening: OpeningProfile) -> Reason | None:
    if opening.abroad:
        return None
    if opening.commune_id is not None and opening.commune_id == seeker.commune_id:
        return Reason("same_commune", SAME_COMMUNE_POINTS, "Làm việc ngay tại xã của người lao động.")
    if opening.province_code and opening.province_code == seeker.province_code:
        return Reason("same_province", SAME_PROVINCE_POINTS, "Làm việc trong tỉnh của người lao động.")
    return Reason("other_province", 0.0, "Làm việc ngoài tỉnh của người lao động.")


def match(seeker: SeekerProfile, opening: OpeningProfile, *, today: dt.date) -> Match:
    """Score ``seeker`` for ``opening`` on ``today`` (see the module docstring for the rules)."""
    refusals = _refusals(seeker, opening, today)
    overlap, skills_reason = _skills(seeker, opening)
    reasons = [skills_reason]
    for reason in (_abroad(seeker, opening), _wage(seeker, opening), _place(seeker, opening)):
        if reason is not None:
            reasons.append(reason)
    score = round(sum(reason.points for reason in reasons), 1)
    return Match(
        seeker_id=seeker.id,
        opening_id=opening.id,
        score=score,
        eligible=not refusals,
        skill_overlap=overlap,
        reasons=tuple(refusals + reasons),
        deadline=opening.deadline,
    )


def _order(m: Match) -> tuple[float, float, dt.date, int, int]:
    return (-m.score, -m.skill_overlap, m.deadline or dt.date.max, m.opening_id, m.seeker_id)


def _ranked(matches: Iterable[Match], limit: int | None) -> list[Match]:
    kept = sorted((m for m in matches if m.eligible and m.score > 0), key=_order)
    return kept if limit is None else kept[:limit]


def rank_openings(
    seeker: SeekerProfile, openings: Sequence[OpeningProfile], *, today: dt.date, limit: int | None = 10
) -> list[Match]:
    """The openings that suit ``seeker`` best, best first (eligible, positive score; at most ``limit``)."""
    return _ranked((match(seeker, opening, today=today) for opening in openings), limit)


def rank_seekers(
    opening: OpeningProfile, seekers: Sequence[SeekerProfile], *, today: dt.date, limit: int | None = 20
) -> list[Match]:
    """The seekers who suit ``opening`` best, best first (eligible, positive score; at most ``limit``)."""
    return _ranked((match(seeker, opening, today=today) for seeker in seekers), limit)


def rate(placed: int, registered: int) -> float | None:
    """Placement rate in per cent (tỷ lệ có việc làm): ``placed / registered × 100``, one decimal;
    ``None`` when nobody registered."""
    if registered <= 0:
        return None
    return round(placed * 100 / registered, 1)
