"""Shared data and helpers of the public-page tests (``test_public_*.py``, the browser test); no tests.

:func:`posted_round`: a round of commune c1 whose posting runs today, listing
- H0001 in village V1: poor; head "Hồ Văn Minh" (citizen ID, born 20/05/1980) and a child "Hồ Thị Lan"
  (born 03/02/2017);
- H0003 in village V1B: near-poor; head "Lò Thị Mai" (born 11/07/1975);
- H0002 in village V1B: not poor (never on the public pages).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone

from giamngheo.accounts.models import Role, User
from giamngheo.registry.models import Household
from giamngheo.review import captcha
from giamngheo.review.models import ReviewRound
from giamngheo.review.services import meeting_record, meeting_villages, posting_start, round_classify
from tests.accounts.factories import scoped_user_factory
from tests.registry.conftest import Map
from tests.registry.factories import member_factory
from tests.review.factories import (
    POOR_INCOME,
    RICH_INCOME,
    adult_facts,
    household_facts,
    household_with_adult,
    open_round,
    survey,
)

CITIZEN_ID = "097080000123"
# Everything personal the posted households hold that no public page may show.
SECRETS = (
    CITIZEN_ID,
    "20/05/1980",
    "1980-05-20",
    "03/02/2017",
    "2017-02-03",
    "11/07/1975",
    "1975-07-11",
    "Hồ Thị Lan",  # a member other than the head
    "0987654321",  # the complainant's phone, once a complaint is sent
)
TRACKING_RE = re.compile(
    r"\b(KN|PA)-\d{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}\b"
)
TOKEN_RE = re.compile(r'name="captcha_token" value="([^"]+)"')


@dataclass
class Posted:
    round: ReviewRound
    officer: User
    poor: Household
    near_poor: Household
    not_poor: Household


def posted_round(geo_map: Map, *, start: datetime.date | None = None, officer: User | None = None) -> Posted:
    """The round described above, classified, its village meetings passed and its posting started on
    ``start`` (default: two days ago, so that it runs today with the 7-day posting)."""
    officer = officer or scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    start = start or timezone.localdate() - datetime.timedelta(days=2)
    poor, head = household_with_adult(commune=geo_map.c1, village=geo_map.v1, code="H0001")
    head.citizen_id = CITIZEN_ID
    head.save(update_fields=["citizen_id"])
    child = member_factory(
        household=poor,
        full_name="Hồ Thị Lan",
        sex="female",
        date_of_birth=datetime.date(2017, 2, 3),
        relation_to_head="Con",
    )
    near_poor, near_head = household_with_adult(commune=geo_map.c1, village=geo_map.v1b, code="H0003")
    near_head.full_name = "Lò Thị Mai"
    near_head.date_of_birth = datetime.date(1975, 7, 11)
    near_head.save(update_fields=["full_name", "date_of_birth"])
    not_poor, rich_head = household_with_adult(commune=geo_map.c1, village=geo_map.v1b, code="H0002")
    rnd = open_round(commune=geo_map.c1, households=[poor, near_poor, not_poor], actor=officer)
    survey(
        rnd,
        poor,
        household_facts(income=POOR_INCOME, deprived=3),
        [adult_facts(head), adult_facts(child, school_attendance="attending", has_labour_capacity=False)],
        officer,
    )
    survey(rnd, near_poor, household_facts(income=POOR_INCOME, deprived=0), [adult_facts(near_head)], officer)
    survey(rnd, not_poor, household_facts(income=RICH_INCOME), [adult_facts(rich_head)], officer)
    round_classify(review_round=rnd, actor=officer)
    rnd.refresh_from_db()
    for village_id in meeting_villages(rnd):
        assert village_id is not None  # every posted household here has a village
        entry = rnd.households.filter(village_id=village_id).first()
        assert entry is not None
        meeting_record(
            review_round=rnd,
            village=entry.village,
            held_on=min(start, timezone.localdate()) - datetime.timedelta(days=1),
            chair="Trưởng thôn",
            attendees=10,
            agreeing=9,
            actor=officer,
        )
    posting_start(review_round=rnd, start_date=start, actor=officer)
    rnd.refresh_from_db()
    return Posted(rnd, officer, poor, near_poor, not_poor)


def captcha_token(html: str) -> str:
    """The signed captcha token of the form in ``html``."""
    found = TOKEN_RE.search(html)
    assert found is not None, "no captcha in the page"
    return found.group(1)


def solve(token: str) -> int:
    """The answer of a captcha, found the way only the server can: trying each possible answer against
    the token's HMAC (without using the token up)."""
    return next(n for n in range(0, 19) if captcha.matches(token, n))
