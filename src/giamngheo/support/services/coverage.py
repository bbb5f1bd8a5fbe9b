"""Writes of the coverage store (số liệu lưu sẵn để tính độ bao phủ): what the coverage of the support
policies reads from an approved periodic review round and that cannot change once the round is approved
(:class:`~giamngheo.support.models.CoverageHousehold`, one row per household some figure may count).

:func:`coverage_round_store` stores one round — each listed household's current class in the round (the
household's entry in the round and its result not superseded; ``""`` without a result), its village as
listed, its stated support needs and ``poor_before``, the latest earlier year in which it was poor or
near-poor in an approved periodic round (of any commune: the household's own history, as
:mod:`giamngheo.support.history` reads it for a record) — in one ``INSERT … SELECT``, replacing what the
round had. Kept: the households of a class a policy may name
(:data:`~giamngheo.support.eligibility.DIRECT_CLASSES`), those that stated a need (the gaps), and those
above the near-poor line with a ``poor_before`` (newly escaped, Decision 28/2015/QĐ-TTg art. 2).
Everything that may change after the approval is read live by
:mod:`giamngheo.support.coverage_selectors`: the members living in the household, its area and ethnic
minority in the registry, the support records.

It runs when a round is approved (``review.signals.round_approved``, from ``SupportConfig.ready``, in
the approval's transaction) — then also for the later approved periodic rounds of this round's
households, whose ``poor_before`` may now read this round (a round approved out of order) —, for rounds
found without a store when they are read (:func:`coverage_rounds_ensure`: rounds approved before the
store existed, rounds loaded in bulk) and from :func:`coverage_rebuild`. Derived data, rebuilt at will
from the approved rounds: no audit row.

The SQL runs on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from giamngheo.review.models import APPROVED_STATUSES, Result, ReviewRound, RoundHousehold, RoundKind
from giamngheo.support.eligibility import DIRECT_CLASSES, ESCAPE_CLASSES, ESCAPED_FROM
from giamngheo.support.models import CoverageHousehold, CoverageRound

__all__ = [
    "coverage_after_approval",
    "coverage_rebuild",
    "coverage_round_store",
    "coverage_rounds_ensure",
]

log = logging.getLogger(__name__)

_POOR = tuple(sorted(ESCAPED_FROM))
_ESCAPES = tuple(sorted(ESCAPE_CLASSES))


def _table(model: type[object]) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))  # type: ignore[attr-defined]


def _in(values: Iterable[object]) -> str:
    return "(" + ", ".join("%s" for _v in values) + ")"


def _is_stored(review_round: ReviewRound) -> bool:
    """Whether the round is one the store keeps: an approved periodic round."""
    return review_round.kind == RoundKind.PERIODIC and review_round.status in APPROVED_STATUSES


def _insert_sql(review_round: ReviewRound) -> tuple[str, list[Any]]:
    """``INSERT … SELECT`` of the round's households (see the module docstring)."""
    before = (
        f"SELECT MAX(pr.year) FROM {_table(Result)} e JOIN {_table(ReviewRound)} pr ON pr.id = e.round_id"
        f" WHERE e.household_id = rh.household_id AND e.superseded = %s AND e.klass IN {_in(_POOR)}"
        f" AND pr.kind = %s AND pr.status IN {_in(APPROVED_STATUSES)} AND pr.year < %s"
    )
    before_params: list[Any] = [
        False,
        *_POOR,
        RoundKind.PERIODIC.value,
        *APPROVED_STATUSES,
        review_round.year,
    ]
    listed = (
        "SELECT rh.round_id AS round_id, rh.household_id AS household_id, rh.province_code AS province_code,"
        " rh.village_id AS village_id, COALESCE(r.klass, '') AS klass,"
        f" ({before}) AS poor_before, rh.support_needs AS needs"
        f" FROM {_table(RoundHousehold)} rh LEFT JOIN {_table(Result)} r"
        " ON r.round_household_id = rh.id AND r.round_id = %s AND r.superseded = %s WHERE rh.round_id = %s"
    )
    listed_params = [*before_params, review_round.pk, False, review_round.pk]
    columns = "review_round_id, household_id, province_code, village_id, klass, poor_before, needs"
    sql = (
        f"INSERT INTO {_table(CoverageHousehold)} ({columns})"
        " SELECT x.round_id, x.household_id, x.province_code, x.village_id, x.klass, x.poor_before, x.needs"
        f" FROM ({listed}) x"
        f" WHERE x.klass IN {_in(DIRECT_CLASSES)} OR CAST(x.needs AS TEXT) <> %s"
        f" OR (x.klass IN {_in(_ESCAPES)} AND x.poor_before IS NOT NULL)"
    )
    return sql, [*listed_params, *DIRECT_CLASSES, "[]", *_ESCAPES]


@transaction.atomic
def coverage_round_store(review_round: ReviewRound) -> int:
    """Store the coverage rows of an approved periodic round (replacing any it had) and mark the round
    stored; returns the number of households stored. A round that is not an approved periodic round gets
    none and no mark. The round's row is locked, so that two readers storing it at once do it in turn."""
    locked = ReviewRound.objects.select_for_update().filter(pk=review_round.pk).first()
    CoverageHousehold.objects.filter(review_round_id=review_round.pk).delete()
    CoverageRound.objects.filter(review_round_id=review_round.pk).delete()
    if locked is None or not _is_stored(locked):
        return 0
    sql, params = _insert_sql(locked)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    count = CoverageHousehold.objects.filter(review_round_id=locked.pk).count()
    CoverageRound.objects.create(
        review_round=locked,
        province_code=locked.province_code,
        year=locked.year,
        households=count,
        computed_at=timezone.now(),
    )
    log.info(
        "round %s (%s, %s): stored the coverage rows of %s households",
        locked.pk,
        locked.commune_id,
        locked.year,
        count,
    )
    return count


def coverage_after_approval(review_round: ReviewRound) -> None:
    """On approval: the round's rows, and those of the later approved periodic rounds that list one of
    its poor or near-poor households (their ``poor_before`` may now be this round's year)."""
    coverage_round_store(review_round)
    poor = Result.objects.filter(round=review_round, superseded=False, klass__in=_POOR).values("household_id")
    later = (
        ReviewRound.objects.filter(
            kind=RoundKind.PERIODIC,
            status__in=APPROVED_STATUSES,
            year__gt=review_round.year,
            pk__in=RoundHousehold.objects.filter(household_id__in=poor).values("round_id"),
        )
        .exclude(pk=review_round.pk)
        .order_by("year", "pk")
    )
    for found in later:
        coverage_round_store(found)


def coverage_rounds_ensure(rounds: Iterable[ReviewRound]) -> int:
    """Store the rows of the approved periodic ``rounds`` not stored yet (approved before the store
    existed, or loaded in bulk); returns how many rounds were stored."""
    kept = [r for r in rounds if _is_stored(r)]
    if not kept:
        return 0
    stored = set(
        CoverageRound.objects.filter(review_round_id__in=[r.pk for r in kept]).values_list(
            "review_round_id", flat=True
        )
    )
    missing = sorted((r for r in kept if r.pk not in stored), key=lambda r: (r.year, r.pk))
    for review_round in missing:
        coverage_round_store(review_round)
    return len(missing)


def coverage_rebuild(*, province_code: str | None = None, year: int | None = None) -> int:
    """Store again the rows of every approved periodic round (of a province, of a year), e.g. after
    correcting approved data; returns the number of rounds."""
    rounds = ReviewRound.objects.filter(kind=RoundKind.PERIODIC, status__in=APPROVED_STATUSES)
    if province_code:
        rounds = rounds.filter(province_code=province_code)
    if year:
        rounds = rounds.filter(year=year)
    count = 0
    for review_round in rounds.order_by("year", "pk").iterator():
        coverage_round_store(review_round)
        count += 1
    return count
