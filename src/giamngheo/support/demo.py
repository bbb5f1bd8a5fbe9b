"""Demo support data (dữ liệu hỗ trợ mẫu) for ``manage.py load_demo``: the national policy catalogue, the
support delivered in Quảng Ngãi (51) after the approval of its 2025 review rounds, helpers of poor
households in two communes, and jobs matching.

What :func:`demo_support_load` writes, for the households of the province's approved periodic rounds of
:data:`YEAR` (the review demo approves them on 05/11/2025), on days after the approval and no later than
31/12/2025 — the policies of the 2021-2025 national target programme end that day in the catalogue:

- health-insurance cards (thẻ BHYT) for about 95 % of the members of poor households and 90 % of those of
  near-poor households, so that the coverage page shows a gap; preferential loans (vay vốn Ngân hàng
  Chính sách xã hội) for part of the poor and near-poor households that stated the
  ``preferential_credit`` need, and for a few newly escaped households; school-fee exemptions and
  learning-cost support for children of poor and near-poor households that stated the ``education`` need;
  housing support for a few households with the ``housing`` need (through ``services.records.
  support_record``); and a handful of records given outside the rules with a supervisor's written reason
  (so the "support to ineligible households" list is not empty);
- helpers (người giúp đỡ) for about 80 % of the poor households of two communes (:data:`HELPER_COMMUNES`),
  with a couple of visits each (one in five not visited for more than 90 days, so the list's flag shows);
  three households of the demo commune are helped by the demo commune officer, so "Hộ tôi giúp đỡ" has
  something to show;
- about 200 job seekers from poor and near-poor households, 30 openings (some abroad), about 40
  placements (``services.jobs``).

The eligibility of every record is computed, never typed: records written in bulk go through the same
``history.class_histories`` + ``eligibility.eligibility`` as the Excel upload (one ``SupportBatch`` and one
audit row per policy, as an upload), the others through ``support_record``. Helpers, visits and seekers are
bulk-inserted with one audit row each; openings and placements go through their services.

Deterministic (seeded by :data:`SEED`); dates of the jobs part are counted back from today, since an
opening cannot be posted with a past deadline. Employers' names are invented; no phone number is made up.
Idempotent by kind: support records are written only if the province has none, helpers only if the two
communes have none, and likewise for job seekers, openings and placements.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from django.db import transaction
from django.utils import timezone

from giamngheo.accounts.demo import DEMO_USERS
from giamngheo.accounts.models import Role, User
from giamngheo.accounts.services import audit_record
from giamngheo.geo.models import AdminUnit, Generation, Level
from giamngheo.planning.models import Agency
from giamngheo.planning.services.agencies import agencies_seed
from giamngheo.registry.birth_date import completed_years
from giamngheo.registry.models import Household, HouseholdStatus, Member, MemberStatus
from giamngheo.review.models import APPROVED_STATUSES, Result, RoundKind
from giamngheo.support.catalogue import catalogue
from giamngheo.support.eligibility import Facts, HistoryEntry, eligibility
from giamngheo.support.history import class_histories, latest_class_subquery
from giamngheo.support.models import (
    HelperAssignment,
    HelperKind,
    HelperVisit,
    JobOpening,
    JobSeeker,
    Placement,
    Policy,
    SeekerStatus,
    SupportAuditAction,
    SupportBatch,
    SupportRecord,
)
from giamngheo.support.permissions import supervisor_refusal
from giamngheo.support.services.helpers import VISIT_STALE_DAYS, assignment_snapshot
from giamngheo.support.services.jobs import (
    MIN_WORKING_AGE,
    SEEKER_CLASSES,
    job_opening_save,
    placement_record,
    seeker_search_text,
    seeker_snapshot,
)
from giamngheo.support.services.policies import policies_load
from giamngheo.support.services.records import period_key, policy_rule, support_record

__all__ = ["HELPER_COMMUNES", "PROVINCE_CODE", "SEED", "YEAR", "demo_support_load"]

PROVINCE_CODE: Final = "51"  # Quảng Ngãi (2025), the demo province
YEAR: Final = 2025  # the year of the approved rounds the support follows
HELPER_COMMUNES: Final = ("23485", "21484")  # Xã Đăk Kôi (the demo commune officer's), Xã Ba Tơ
DEMO_COMMUNE: Final = "23485"
SEED: Final = 2025
BATCH: Final = 5000  # ids per query (SQLite's limit of bound parameters)

CARD_SHARE: Final = {"poor": 0.95, "near_poor": 0.90}
CARD_POLICIES: Final = {"poor": "bhyt-ho-ngheo", "near_poor": "bhyt-ho-can-ngheo"}
CREDIT_SHARE: Final = 0.45
CREDIT_POLICIES: Final = {"poor": "tin-dung-ho-ngheo", "near_poor": "tin-dung-ho-can-ngheo"}
ESCAPED_CREDIT_POLICY: Final = "tin-dung-ho-moi-thoat-ngheo"
ESCAPED_LOANS: Final = 25
TUITION_SHARE: Final = 0.80
TUITION_POLICY: Final = "mien-hoc-phi"
LEARNING_COST_POLICY: Final = "ho-tro-chi-phi-hoc-tap"
SCHOOL_AGES: Final = range(3, 18)  # kindergarten to upper secondary (the school checks the level)
HOUSING_POLICY: Final = "nha-o-ctmtqg-du-an-5"
HOUSES: Final = 20
HELPER_SHARE: Final = 0.80
HOUSEHOLDS_PER_HELPER: Final = 5
RECENTLY_VISITED_SHARE: Final = 0.8
SEEKERS: Final = 200
SEEKER_AGES: Final = range(18, 46)
PLACEMENTS: Final = 40


def _rng(kind: str) -> random.Random:
    return random.Random(f"{SEED}-{kind}")


def _chunks(values: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


# --- the households of the approved rounds ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Household:
    """A household of the province's approved periodic round of :data:`YEAR`, as the demo needs it."""

    pk: int
    klass: str
    commune_id: int
    village_id: int | None
    area: str
    ethnic_minority: bool
    needs: tuple[str, ...]
    approved_on: dt.date

    @property
    def facts(self) -> Facts:
        return Facts(ethnic_minority=self.ethnic_minority, area=self.area)


@dataclass(frozen=True, slots=True)
class _Member:
    pk: int
    household_id: int
    date_of_birth: dt.date | None


def _population() -> list[_Household]:
    rows = (
        Result.objects.filter(
            superseded=False,
            round__kind=RoundKind.PERIODIC,
            round__year=YEAR,
            round__status__in=APPROVED_STATUSES,
            round__approved_on__isnull=False,
            round__commune__province_code=PROVINCE_CODE,
            household__status=HouseholdStatus.ACTIVE,
        )
        .order_by("household_id")
        .values_list(
            "household_id",
            "klass",
            "household__commune_id",
            "household__village_id",
            "household__area",
            "household__ethnic_minority",
            "round_household__support_needs",
            "round__approved_on",
        )
    )
    return [
        _Household(pk, klass, commune_id, village_id, area, bool(minority), tuple(needs or ()), approved_on)
        for pk, klass, commune_id, village_id, area, minority, needs, approved_on in rows
        if approved_on is not None
    ]


def _classes_of(year: int, household_ids: Sequence[int]) -> dict[int, str]:
    """The households' class in the approved periodic round of ``year``."""
    found: dict[int, str] = {}
    for chunk in _chunks(household_ids):
        found.update(
            Result.objects.filter(
                household_id__in=chunk,
                superseded=False,
                round__kind=RoundKind.PERIODIC,
                round__year=year,
                round__status__in=APPROVED_STATUSES,
            ).values_list("household_id", "klass")
        )
    return found


def _members(household_ids: Sequence[int]) -> dict[int, list[_Member]]:
    """The members living in the households now, by household, in id order."""
    found: dict[int, list[_Member]] = defaultdict(list)
    ids = sorted(set(household_ids))
    for chunk in _chunks(ids):
        rows = (
            Member.objects.filter(household_id__in=chunk, status=MemberStatus.PRESENT)
            .order_by("household_id", "pk")
            .values_list("pk", "household_id", "date_of_birth")
        )
        for pk, household_id, born in rows:
            found[household_id].append(_Member(pk, household_id, born))
    return found


@dataclass
class _Days:
    """The days support may be dated: after the approval of the round, in :data:`YEAR`, not in the future."""

    last: dt.date

    def day(self, household: _Household, offset: int) -> dt.date | None:
        first = household.approved_on + dt.timedelta(days=1)
        if first > self.last:
            return None
        return min(first + dt.timedelta(days=offset), self.last)


# --- support records ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Planned:
    household: _Household
    day: dt.date
    member_id: int | None = None
    amount: Decimal | None = None
    reference: str = ""


@dataclass
class _RecordsDone:
    counts: Counter[str] = field(default_factory=Counter)
    refused: int = 0


def _agencies_by_kind(unit: AdminUnit) -> dict[str, Agency]:
    return {agency.kind: agency for agency in Agency.objects.filter(unit=unit).exclude(kind="")}


def _bulk_records(
    *,
    policy: Policy,
    planned: Sequence[_Planned],
    histories: dict[int, list[HistoryEntry]],
    agency: Agency | None,
    done: _RecordsDone,
) -> None:
    """Write the planned support of ``policy`` as an Excel upload would: eligibility computed per row with
    ``eligibility.eligibility`` on the class history (a refused row is left out), one batch, one audit
    row."""
    rule = policy_rule(policy)
    records: list[SupportRecord] = []
    for item in planned:
        household = item.household
        decision = eligibility(rule, histories.get(household.pk, []), household.facts, item.day)
        if not decision.eligible:
            done.refused += 1
            continue
        records.append(
            SupportRecord(
                policy=policy,
                household_id=household.pk,
                member_id=item.member_id,
                province_code=PROVINCE_CODE,
                commune_id=household.commune_id,
                village_id=household.village_id,
                given_on=item.day,
                period_key=period_key(policy.period, item.day),
                amount=item.amount,
                reference=item.reference,
                agency=agency,
                review_round_id=decision.round_id,
                klass=decision.klass,
                eligible=True,
            )
        )
    if not records:
        return
    batch = SupportBatch.objects.create(
        province_code=PROVINCE_CODE, file_name=f"du-lieu-mau-{policy.code}-{YEAR}.xlsx", rows=len(records)
    )
    for record in records:
        record.batch = batch
    SupportRecord.objects.bulk_create(records, batch_size=1000)
    audit_record(
        actor=None,
        action=SupportAuditAction.SUPPORT_BATCH_IMPORTED,
        target=batch,
        after={
            "file_name": batch.file_name,
            "rows": len(records),
            "agency": agency.pk if agency is not None else None,
            "policies": {policy.code: len(records)},
            "provinces": [PROVINCE_CODE],
            "given_from": min(record.given_on for record in records),
            "given_to": max(record.given_on for record in records),
            "demo": True,
        },
    )
    done.counts[policy.code] += len(records)


def _commune_order(population: Sequence[_Household]) -> dict[int, int]:
    return {pk: i for i, pk in enumerate(sorted({h.commune_id for h in population}))}


def _card_plans(
    population: Sequence[_Household], members: dict[int, list[_Member]], days: _Days
) -> tuple[dict[str, list[_Planned]], set[int]]:
    """Health-insurance cards: most members of poor and near-poor households, one distribution day per
    commune (a few days after the approval)."""
    rng = _rng("cards")
    order = _commune_order(population)
    plans: dict[str, list[_Planned]] = defaultdict(list)
    carded: set[int] = set()
    for household in population:
        code = CARD_POLICIES.get(household.klass)
        day = days.day(household, 3 + 2 * (order[household.commune_id] % 10))
        if code is None or day is None:
            continue
        for member in members.get(household.pk, []):
            if rng.random() < CARD_SHARE[household.klass]:
                plans[code].append(_Planned(household, day, member_id=member.pk))
                carded.add(member.pk)
    return plans, carded


def _credit_plans(
    population: Sequence[_Household], previous: dict[int, str], days: _Days
) -> dict[str, list[_Planned]]:
    """Preferential loans: part of the poor and near-poor households that stated the need, and a few
    households that escaped poverty or near-poverty at this year's round."""
    rng = _rng("credit")
    plans: dict[str, list[_Planned]] = defaultdict(list)
    escaped: list[_Household] = []
    number = 0
    for household in population:
        code = CREDIT_POLICIES.get(household.klass)
        if code is None:
            if previous.get(household.pk) in CREDIT_POLICIES:
                escaped.append(household)
            continue
        if "preferential_credit" not in household.needs or rng.random() >= CREDIT_SHARE:
            continue
        day = days.day(household, rng.randint(4, 50))
        if day is None:
            continue
        number += 1
        amount = Decimal(rng.choice((30, 40, 50, 60, 80, 100)) * 1_000_000)
        plans[code].append(_Planned(household, day, amount=amount, reference=f"HĐTD-{YEAR}-{number:05d}"))
    for household in rng.sample(escaped, min(ESCAPED_LOANS, len(escaped))):
        day = days.day(household, rng.randint(10, 50))
        if day is None:
            continue
        number += 1
        amount = Decimal(rng.choice((50, 60, 80, 100)) * 1_000_000)
        plans[ESCAPED_CREDIT_POLICY].append(
            _Planned(household, day, amount=amount, reference=f"HĐTD-{YEAR}-{number:05d}")
        )
    return plans


def _school_plans(
    population: Sequence[_Household], members: dict[int, list[_Member]], days: _Days
) -> dict[str, list[_Planned]]:
    """School-fee exemptions for the children (3-17) of poor and near-poor households that stated the
    education need, and the monthly learning-cost support of the poor ones (November and December)."""
    rng = _rng("school")
    order = _commune_order(population)
    plans: dict[str, list[_Planned]] = defaultdict(list)
    cost = Decimal(150_000)
    for household in population:
        if household.klass not in ("poor", "near_poor") or "education" not in household.needs:
            continue
        if rng.random() >= TUITION_SHARE:
            continue
        day = days.day(household, 8 + order[household.commune_id] % 10)
        if day is None:
            continue
        for member in members.get(household.pk, []):
            age = completed_years(member.date_of_birth, day)
            if age is None or age not in SCHOOL_AGES:
                continue
            plans[TUITION_POLICY].append(_Planned(household, day, member_id=member.pk))
            if household.klass != "poor":
                continue
            for month in (11, 12):
                paid = dt.date(YEAR, month, 25)
                if household.approved_on < paid <= days.last:
                    plans[LEARNING_COST_POLICY].append(
                        _Planned(household, paid, member_id=member.pk, amount=cost)
                    )
    return plans


@dataclass(frozen=True, slots=True)
class _Override:
    """Support given outside the rules, with the supervisor's written reason: ``classes`` the household's
    class this year, ``previous`` (if any) its class the year before, ``member`` ``""`` for a household
    policy, ``adult`` or ``child``."""

    policy: str
    classes: tuple[str, ...]
    member: str
    reason: str
    previous: tuple[str, ...] = ()


OVERRIDES: Final = (
    _Override(
        "ho-tro-tien-dien",
        ("near_poor",),
        "",
        "Chủ hộ bị tai nạn lao động tháng 10/2025, thu nhập của hộ giảm mạnh; Ủy ban nhân dân xã đề nghị hỗ "
        "trợ tiền điện trong khi chờ rà soát thường xuyên (dữ liệu mẫu).",
    ),
    _Override(
        "bhyt-ho-ngheo",
        ("near_poor",),
        "adult",
        "Người bệnh mạn tính đang điều trị dài ngày; hộ vừa ra khỏi danh sách hộ nghèo ở đợt rà soát năm "
        "2025, tỉnh đồng ý cấp thẻ đến hết năm theo đề nghị của xã (dữ liệu mẫu).",
        previous=("poor",),
    ),
    _Override(
        HOUSING_POLICY,
        ("middle_living",),
        "",
        "Nhà bị sập hoàn toàn do bão tháng 11/2025, hộ không còn chỗ ở; Ban Chỉ đạo các chương trình mục "
        "tiêu quốc gia của tỉnh đồng ý hỗ trợ theo đề nghị của xã (dữ liệu mẫu).",
    ),
    _Override(
        TUITION_POLICY,
        ("not_poor", "middle_living"),
        "child",
        "Học sinh mồ côi cha từ tháng 9/2025, mẹ không có việc làm ổn định; nhà trường đề nghị miễn học phí "
        "trong khi chờ xét hộ cận nghèo (dữ liệu mẫu).",
    ),
    _Override(
        "tro-giup-phap-ly",
        ("near_poor",),
        "adult",
        "Người thuộc hộ cận nghèo có khó khăn về tài chính, là nạn nhân của vụ việc bạo lực gia đình; Trung "
        "tâm Trợ giúp pháp lý nhà nước quyết định trợ giúp (dữ liệu mẫu).",
    ),
)


def _agency(kind: str, province: dict[str, Agency], commune_id: int) -> Agency | None:
    """The agency of ``kind`` in the province's list, else in the commune's (the commune's offices)."""
    if not kind:
        return None
    return province.get(kind) or Agency.objects.filter(unit_id=commune_id, kind=kind).first()


def _supervisor() -> User | None:
    """The demo province officer (who may allow support outside the rules), if loaded."""
    for demo in DEMO_USERS:
        if demo.role == Role.PROVINCE_OFFICER:
            return User.objects.filter(username=demo.username, role=demo.role, is_active=True).first()
    return None


def _pick_member(people: Sequence[_Member], kind: str, day: dt.date, taken: set[int]) -> _Member | None:
    for member in people:
        age = completed_years(member.date_of_birth, day)
        if member.pk in taken or age is None:
            continue
        if (kind == "child" and 6 <= age <= 15) or (kind == "adult" and age >= 18):
            return member
    return None


def _overrides(
    population: Sequence[_Household],
    previous: dict[int, str],
    histories: dict[int, list[HistoryEntry]],
    policies: dict[str, Policy],
    days: _Days,
    carded: set[int],
    agencies: dict[str, Agency],
) -> int:
    """A handful of records refused by the rules and allowed by the demo province officer with a reason,
    through ``support_record`` (the supervisor's override is audited there)."""
    rng = _rng("overrides")
    supervisor = _supervisor()
    kinds = {entry.code: entry.agency_kind for entry in catalogue()}
    used: set[int] = set()
    written = 0
    for index, spec in enumerate(OVERRIDES):
        policy = policies.get(spec.policy)
        if policy is None:
            continue
        candidates = [
            h
            for h in population
            if h.klass in spec.classes
            and h.pk not in used
            and (not spec.previous or previous.get(h.pk) in spec.previous)
        ]
        rng.shuffle(candidates)
        people = _members([h.pk for h in candidates[:200]])
        for household in candidates[:200]:
            day = days.day(household, 26 + 2 * index)
            if day is None:
                continue
            decision = eligibility(
                policy_rule(policy), _history_of(household, histories), household.facts, day
            )
            if decision.eligible or decision.code == "not_in_force":
                continue
            member = None
            if spec.member:
                member = _pick_member(people.get(household.pk, []), spec.member, day, carded)
                if member is None:
                    continue
            actor = supervisor
            target = Household.objects.get(pk=household.pk)
            if actor is not None and supervisor_refusal(actor, target) is not None:
                actor = None
            support_record(
                policy=policy,
                household=target,
                member=Member.objects.get(pk=member.pk) if member is not None else None,
                given_on=day,
                actor=actor,
                amount=policy.default_amount.quantize(Decimal(1)) if policy.default_amount else None,
                agency=_agency(kinds.get(policy.code, ""), agencies, household.commune_id),
                override_reason=spec.reason,
            )
            used.add(household.pk)
            written += 1
            break
    return written


def _history_of(household: _Household, histories: dict[int, list[HistoryEntry]]) -> list[HistoryEntry]:
    """The household's class history (read now if it was not read with the others)."""
    if household.pk not in histories:
        histories.update(class_histories([household.pk]))
    return histories[household.pk]


def _houses(
    population: Sequence[_Household], policies: dict[str, Policy], days: _Days, agencies: dict[str, Agency]
) -> int:
    """Housing support (once per household) for a few poor and near-poor households that stated the
    housing need, through ``support_record``: 40 million đồng to build, 20 million to repair."""
    policy = policies.get(HOUSING_POLICY)
    if policy is None:
        return 0
    rng = _rng("housing")
    candidates = [h for h in population if h.klass in ("poor", "near_poor") and "housing" in h.needs]
    chosen = sorted(rng.sample(candidates, min(HOUSES, len(candidates))), key=lambda h: h.pk)
    households = Household.objects.in_bulk([h.pk for h in chosen])
    agency = agencies.get(next((e.agency_kind for e in catalogue() if e.code == HOUSING_POLICY), ""))
    written = 0
    for index, household in enumerate(chosen):
        day = days.day(household, 30 + index)
        if day is None:
            continue
        support_record(
            policy=policy,
            household=households[household.pk],
            given_on=day,
            actor=None,
            amount=Decimal(40_000_000 if index % 3 else 20_000_000),
            reference=f"{120 + index}/QĐ-UBND",
            agency=agency,
        )
        written += 1
    return written


def _records_load(province: AdminUnit, today: dt.date) -> str:
    if SupportRecord.objects.filter(province_code=PROVINCE_CODE).exists():
        count = SupportRecord.objects.filter(province_code=PROVINCE_CODE).count()
        return f"Support records: {count} already there in {province.name}."
    population = _population()
    if not population:
        return f"Support records: skipped, {province.name} has no approved {YEAR} round."
    days = _Days(last=min(dt.date(YEAR, 12, 31), today))
    ids = [h.pk for h in population]
    previous = _classes_of(YEAR - 1, ids)
    supported = [h for h in population if h.klass in CARD_POLICIES]
    members = _members([h.pk for h in supported])
    policies = {p.code: p for p in Policy.objects.filter(unit__isnull=True)}
    agencies = _agencies_by_kind(province)
    kinds = {entry.code: entry.agency_kind for entry in catalogue()}
    cards, carded = _card_plans(population, members, days)
    plans: dict[str, list[_Planned]] = defaultdict(list)
    for part in (cards, _credit_plans(population, previous, days), _school_plans(population, members, days)):
        for code, planned in part.items():
            plans[code].extend(planned)
    histories = class_histories(sorted({item.household.pk for planned in plans.values() for item in planned}))
    done = _RecordsDone()
    with transaction.atomic():
        for code, planned in sorted(plans.items()):
            policy = policies.get(code)
            if policy is not None:
                _bulk_records(
                    policy=policy,
                    planned=planned,
                    histories=histories,
                    agency=agencies.get(kinds.get(code, "")),
                    done=done,
                )
    houses = _houses(population, policies, days, agencies)
    overridden = _overrides(population, previous, histories, policies, days, carded, agencies)
    counts = done.counts
    cards_total = sum(counts[code] for code in CARD_POLICIES.values())
    loans = sum(counts[code] for code in (*CREDIT_POLICIES.values(), ESCAPED_CREDIT_POLICY))
    school = counts[TUITION_POLICY] + counts[LEARNING_COST_POLICY]
    return (
        f"Support records: {cards_total} health-insurance cards, {loans} loans, {school} school-fee and "
        f"learning-cost records, {houses} houses, {overridden} given outside the rules with a reason"
        + (f" ({done.refused} planned rows refused by the rules, left out)." if done.refused else ".")
    )


# --- helpers of poor households -------------------------------------------------------------------------

#: People who help poor households (invented names): the first commune takes the even ones, the second
#: the odd ones, so nobody helps in two communes.
HELPER_NAMES: Final = (
    "Nguyễn Văn Hùng", "Trần Thị Mai", "A Thuân", "Y Blong", "Đinh Văn Lực", "Phạm Thị Hằng",
    "Lê Quang Vinh", "Võ Thị Thu", "A Kiên", "Hồ Văn Nhân", "Huỳnh Thị Bích", "Đinh Thị Lý",
    "Bùi Văn Tâm", "Y Hiên", "A Pó", "Nguyễn Thị Loan", "Trương Văn Toàn", "Phan Thị Yến",
    "Đặng Văn Lộc", "Y Sía", "A Hơ", "Lê Thị Nhung", "Hồ Thị Tươi", "Đinh Văn Chít",
    "Nguyễn Ngọc Sơn", "Trần Văn Bảy", "Y Khuy", "A Sang", "Phạm Văn Mới", "Võ Thanh Hải",
    "Đinh Thị Bông", "Hà Văn Tiến", "Lương Thị Hoa", "Cao Văn Đức", "Y Mơ", "A Rin",
)  # fmt: skip
#: Their positions, with the kind of their agency in the commune's list (``planning.services.agencies``).
HELPER_POSITIONS: Final = (
    ("Phó Chủ tịch Ủy ban nhân dân xã", "people_committee"),
    ("Công chức Phòng Văn hóa - Xã hội", "culture_social"),
    ("Công chức Phòng Kinh tế", "economy"),
    ("Hội viên Hội Nông dân xã", "farmers_union"),
    ("Hội viên Hội Liên hiệp Phụ nữ xã", "women_union"),
    ("Đoàn viên Đoàn Thanh niên xã", "youth_union"),
    ("Hội viên Hội Cựu chiến binh xã", "veterans_association"),
    ("Ủy viên Ủy ban Mặt trận Tổ quốc Việt Nam xã", "fatherland_front"),
    ("Bí thư Chi bộ thôn", ""),
    ("Trưởng thôn", ""),
)
#: Organisations that help poor households: the kind of their agency in the commune's list.
ORGANISATION_HELPERS: Final = ("farmers_union", "women_union", "youth_union")
VISIT_NOTES: Final = (
    "Thăm hỏi, nắm hoàn cảnh; hộ cần vốn nuôi bò sinh sản, đã hướng dẫn làm hồ sơ vay Ngân hàng Chính "
    "sách xã hội.",
    "Hướng dẫn kỹ thuật trồng keo và chăm sóc cây sắn; hẹn tháng sau kiểm tra lại.",
    "Vận động con trong độ tuổi đi học trở lại trường; phối hợp với nhà trường làm thủ tục miễn học phí.",
    "Kiểm tra thẻ bảo hiểm y tế của các thành viên; hướng dẫn khám chữa bệnh tại trạm y tế xã.",
    "Giới thiệu người lao động của hộ tham gia lớp đào tạo nghề may ngắn hạn.",
    "Cùng hộ lập kế hoạch thoát nghèo năm 2026: nuôi heo, trồng rau; hộ cam kết thực hiện.",
    "Hỗ trợ ngày công sửa mái nhà trước mùa mưa bão.",
)


def _commune_officer() -> User | None:
    """The demo commune officer (helps three households of the demo commune), if loaded."""
    for demo in DEMO_USERS:
        if demo.role == Role.COMMUNE_OFFICER:
            return User.objects.filter(username=demo.username, role=demo.role, is_active=True).first()
    return None


def _helper_of(group: int, side: int, agencies: dict[str, Agency]) -> tuple[str, str, str, Agency | None]:
    """(kind, name, position, agency) of the ``group``-th helper of the ``side``-th commune (0 or 1); every
    fifth is an organisation of the commune."""
    if group % 5 == 4:
        agency = agencies.get(ORGANISATION_HELPERS[(group // 5) % len(ORGANISATION_HELPERS)])
        if agency is not None:
            return HelperKind.ORGANISATION, agency.name, "", agency
    names = HELPER_NAMES[side % 2 :: 2]
    position, kind_key = HELPER_POSITIONS[group % len(HELPER_POSITIONS)]
    return (
        HelperKind.PERSON,
        names[group % len(names)],
        position,
        agencies.get(kind_key) if kind_key else None,
    )


def _visit_days(started_on: dt.date, today: dt.date, rng: random.Random) -> list[dt.date]:
    """A couple of visits: two weeks after the start, a recent one for most households (one in five is
    last visited more than ``VISIT_STALE_DAYS`` ago, so the "not visited lately" filter shows some), and
    sometimes one in between; never after today."""
    first = started_on + dt.timedelta(days=14)
    if first > today:
        return []
    if rng.random() < RECENTLY_VISITED_SHARE:
        last = today - dt.timedelta(days=rng.randint(3, VISIT_STALE_DAYS - 10))
    else:
        last = min(
            first + dt.timedelta(days=rng.randint(40, 120)), today - dt.timedelta(days=VISIT_STALE_DAYS + 10)
        )
    days = [first]
    if last > first + dt.timedelta(days=60) and rng.random() < 0.5:
        days.append(first + (last - first) / 2)
    if last > first:
        days.append(last)
    return days


def _helpers_load(today: dt.date) -> str:
    """Helpers for about 80 % of the poor households (latest approved round, as ``services.helpers``
    requires) of :data:`HELPER_COMMUNES`, up to five households per helper, with their visits."""
    communes = list(
        AdminUnit.objects.filter(
            generation=Generation.Y2025, level=Level.COMMUNE, code__in=HELPER_COMMUNES
        ).order_by("code")
    )
    if not communes:
        return "Helpers: skipped, the communes are not loaded."
    existing = HelperAssignment.objects.filter(commune__in=communes).count()
    if existing:
        return f"Helpers: {existing} already there."
    for commune in communes:
        agencies_seed(unit=commune, actor=None)  # adds only what the commune's list lacks
    rng = _rng("helpers")
    officer = _commune_officer()
    assignments: list[HelperAssignment] = []
    for side, commune in enumerate(communes):
        agencies = _agencies_by_kind(commune)
        poor = list(
            Household.objects.filter(commune=commune, status=HouseholdStatus.ACTIVE)
            .annotate(latest_class=latest_class_subquery())
            .filter(latest_class="poor")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        chosen = [pk for pk in poor if rng.random() < HELPER_SHARE]
        mine = 3 if officer is not None and commune.code == DEMO_COMMUNE else 0
        for index, household_id in enumerate(chosen):
            group = (index - mine) // HOUSEHOLDS_PER_HELPER
            started_on = min(dt.date(YEAR, 11, 15) + dt.timedelta(days=max(group, 0) % 30), today)
            kind, name, position, agency = _helper_of(group, side, agencies)
            user = None
            if index < mine and officer is not None:
                kind, name, position, agency = (
                    HelperKind.PERSON,
                    officer.get_full_name() or officer.get_username(),
                    "Cán bộ xã",
                    None,
                )
                user = officer
            assignments.append(
                HelperAssignment(
                    household_id=household_id,
                    province_code=commune.province_code,
                    commune=commune,
                    kind=kind,
                    name=name,
                    position=position,
                    agency=agency,
                    user=user,
                    started_on=started_on,
                )
            )
    with transaction.atomic():
        HelperAssignment.objects.bulk_create(assignments)
        visits = [
            HelperVisit(
                assignment=assignment,
                province_code=assignment.province_code,
                visited_on=day,
                note=rng.choice(VISIT_NOTES),
            )
            for assignment in assignments
            for day in _visit_days(assignment.started_on, today, rng)
        ]
        HelperVisit.objects.bulk_create(visits)
        for assignment in assignments:
            audit_record(
                actor=None,
                action=SupportAuditAction.HELPER_ASSIGNED,
                target=assignment,
                after=assignment_snapshot(assignment),
            )
        for visit in visits:
            audit_record(
                actor=None,
                action=SupportAuditAction.HELPER_VISIT_RECORDED,
                target=visit,
                after={"assignment": visit.assignment_id, "visited_on": visit.visited_on, "note": visit.note},
            )
    names = ", ".join(commune.name for commune in communes)
    return f"Helpers: {len(assignments)} poor households of {names} given a helper, {len(visits)} visits."


# --- jobs matching ----------------------------------------------------------------------------------------

SKILLS: Final = (
    "may mặc",
    "xây dựng",
    "lái xe",
    "hàn điện",
    "chăn nuôi",
    "trồng trọt",
    "chế biến thủy sản",
    "điện dân dụng",
    "nấu ăn",
    "chăm sóc người cao tuổi",
    "lắp ráp điện tử",
    "chế biến thực phẩm",
)
TRAININGS: Final = (
    "Chưa qua đào tạo",
    "Sơ cấp nghề (dưới 3 tháng)",
    "Tốt nghiệp trung học cơ sở",
    "Tốt nghiệp trung học phổ thông",
    "Trung cấp nghề",
)
WISHES: Final = (
    "Làm việc gần nhà, có thu nhập ổn định",
    "Muốn vào làm công nhân ở khu công nghiệp trong tỉnh",
    "Cần việc làm theo mùa vụ, không đi xa",
    "Muốn học thêm nghề rồi đi làm",
)


@dataclass(frozen=True, slots=True)
class _OpeningSpec:
    title: str
    employers: tuple[str, ...]
    skills: tuple[str, ...]
    wage: tuple[int, int]
    place: str
    commune: str = ""
    country: str = ""


#: Job openings of the demo (employers invented). Abroad: with the country, posted by recruitment companies.
_MIEN_TRUNG: Final = "Công ty CP Cung ứng nhân lực Miền Trung"
_SONG_TRA: Final = "Công ty CP Hợp tác lao động Sông Trà"
OPENING_SPECS: Final = (
    _OpeningSpec("Công nhân may công nghiệp",
                 ("Công ty TNHH May mặc Sông Trà", "Công ty CP Dệt may Thiên Ấn", "Công ty TNHH May Đức Phổ"),
                 ("may mặc",), (6_000_000, 8_500_000), "Khu công nghiệp Tịnh Phong"),
    _OpeningSpec("Công nhân chế biến thủy sản", ("Công ty CP Thủy sản Sa Kỳ", "Công ty TNHH Hải sản Mỹ Á",
                                                  "Công ty TNHH Chế biến thủy sản Tịnh Kỳ"),
                 ("chế biến thủy sản",), (5_500_000, 7_500_000), "Phường Sa Huỳnh", commune="21478"),
    _OpeningSpec("Thợ hàn", ("Công ty TNHH Cơ khí Bình Sơn", "Công ty CP Kết cấu thép Dung Quất"),
                 ("hàn điện",), (8_000_000, 12_000_000), "Khu kinh tế Dung Quất"),
    _OpeningSpec("Lái xe tải", ("Hợp tác xã Vận tải Trà Bồng", "Công ty TNHH Vận tải Kon Rẫy"),
                 ("lái xe",), (9_000_000, 12_000_000), "Xã Mộ Đức", commune="21400"),
    _OpeningSpec("Thợ xây, phụ hồ", ("Công ty CP Xây dựng Sông Vệ", "Công ty TNHH Xây dựng Đăk Rve"),
                 ("xây dựng",), (7_000_000, 10_000_000), "Phường Cẩm Thành", commune="21025"),
    _OpeningSpec("Công nhân trồng và chăm sóc cây dược liệu",
                 ("Hợp tác xã Dược liệu Măng Đen", "Công ty TNHH Nông nghiệp Ngọc Linh Xanh"),
                 ("trồng trọt",), (5_000_000, 7_000_000), "Xã Măng Đen", commune="23473"),
    _OpeningSpec("Nhân viên phụ bếp", ("Khách sạn Đồi Thông", "Nhà hàng Suối Đá"),
                 ("nấu ăn",), (5_000_000, 6_500_000), "Xã Măng Đen", commune="23473"),
    _OpeningSpec("Công nhân chăn nuôi", ("Trang trại chăn nuôi Ba Tơ", "Hợp tác xã Chăn nuôi Đăk Kôi"),
                 ("chăn nuôi",), (5_500_000, 7_000_000), "Xã Ba Tơ", commune="21484"),
    _OpeningSpec("Thợ điện dân dụng", ("Công ty TNHH Điện nước Nghĩa Lộ", "Công ty CP Cơ điện Trà Khúc"),
                 ("điện dân dụng",), (7_000_000, 9_000_000), "Phường Nghĩa Lộ", commune="21028"),
    _OpeningSpec("Thực tập sinh chế biến thực phẩm", (_MIEN_TRUNG, _SONG_TRA),
                 ("chế biến thực phẩm",), (28_000_000, 35_000_000), "Tỉnh Aichi", country="Nhật Bản"),
    _OpeningSpec("Lao động nông nghiệp thời vụ", (_SONG_TRA, _MIEN_TRUNG),
                 ("trồng trọt", "chăn nuôi"), (35_000_000, 42_000_000), "Tỉnh Gyeongsang Bắc",
                 country="Hàn Quốc"),
    _OpeningSpec("Công nhân lắp ráp điện tử", (_MIEN_TRUNG, _SONG_TRA),
                 ("lắp ráp điện tử",), (20_000_000, 26_000_000), "Thành phố Đài Trung", country="Đài Loan"),
    _OpeningSpec("Hộ lý chăm sóc người cao tuổi", (_SONG_TRA, _MIEN_TRUNG),
                 ("chăm sóc người cao tuổi",), (30_000_000, 38_000_000), "Tỉnh Osaka", country="Nhật Bản"),
    _OpeningSpec("Công nhân xây dựng", (_MIEN_TRUNG, _SONG_TRA),
                 ("xây dựng", "hàn điện"), (30_000_000, 36_000_000), "Tỉnh Saitama", country="Nhật Bản"),
)  # fmt: skip
OPENINGS: Final = 30


def _seekers_load(today: dt.date) -> str:
    """About :data:`SEEKERS` job seekers, one per household, from the province's households that are poor
    or near-poor in their latest approved round (``services.jobs.SEEKER_CLASSES``), aged 18-45 (above the
    minimum working age of ``services.jobs``), registered over the last ten months."""
    existing = JobSeeker.objects.filter(province_code=PROVINCE_CODE).count()
    if existing:
        return f"Job seekers: {existing} already there."
    assert SEEKER_AGES.start >= MIN_WORKING_AGE
    households = dict(
        Household.objects.filter(province_code=PROVINCE_CODE, status=HouseholdStatus.ACTIVE)
        .annotate(latest_class=latest_class_subquery())
        .filter(latest_class__in=SEEKER_CLASSES)
        .values_list("pk", "commune_id")
    )
    rng = _rng("seekers")
    ids = sorted(households)
    rng.shuffle(ids)
    people: dict[int, list[tuple[int, str, dt.date | None]]] = defaultdict(list)
    for chunk in _chunks(ids[: SEEKERS * 3]):
        rows = (
            Member.objects.filter(household_id__in=chunk, status=MemberStatus.PRESENT)
            .order_by("pk")
            .values_list("household_id", "pk", "full_name", "date_of_birth")
        )
        for household_id, pk, name, born in rows:
            people[household_id].append((pk, name, born))
    seekers: list[JobSeeker] = []
    registered: list[dt.date] = []
    for household_id in ids:
        if len(seekers) >= SEEKERS:
            break
        day = today - dt.timedelta(days=rng.randint(30, 300))
        adults = [p for p in people.get(household_id, []) if completed_years(p[2], day) in SEEKER_AGES]
        if not adults:
            continue
        member_id, name, _born = rng.choice(adults)
        abroad = rng.random() < 0.25
        skills = rng.sample(SKILLS, 1 + rng.randrange(2))
        training = rng.choice(TRAININGS)
        wishes = "Muốn đi làm việc ở nước ngoài theo hợp đồng" if abroad else rng.choice(WISHES)
        wage = rng.choice((20, 25, 30)) if abroad else rng.choice((5, 6, 7, 8, 9))
        seekers.append(
            JobSeeker(
                member_id=member_id,
                household_id=household_id,
                province_code=PROVINCE_CODE,
                commune_id=households[household_id],
                skills=skills,
                training=training,
                wishes=wishes,
                wants_abroad=abroad,
                desired_wage=Decimal(wage * 1_000_000),
                search_text=seeker_search_text(name=name, skills=skills, training=training, wishes=wishes),
            )
        )
        registered.append(day)
    with transaction.atomic():
        JobSeeker.objects.bulk_create(seekers)
        for seeker, day in zip(seekers, registered, strict=True):
            # registered on that day (``created_at`` is the registration date of the placement rate)
            seeker.created_at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
        JobSeeker.objects.bulk_update(seekers, ["created_at"])
        for seeker in seekers:
            audit_record(
                actor=None,
                action=SupportAuditAction.JOB_SEEKER_SAVED,
                target=seeker,
                after=seeker_snapshot(seeker),
            )
    abroad_count = sum(seeker.wants_abroad for seeker in seekers)
    return f"Job seekers: {len(seekers)} registered ({abroad_count} wishing to work abroad)."


def _openings_load(province: AdminUnit, today: dt.date) -> str:
    """:data:`OPENINGS` openings through ``services.jobs.job_opening_save``, with deadlines in the coming
    months."""
    existing = JobOpening.objects.filter(province_code=PROVINCE_CODE).count()
    if existing:
        return f"Job openings: {existing} already there."
    communes = {
        unit.code: unit
        for unit in AdminUnit.objects.filter(
            generation=Generation.Y2025,
            level=Level.COMMUNE,
            code__in=[spec.commune for spec in OPENING_SPECS if spec.commune],
        )
    }
    rng = _rng("openings")
    abroad = 0
    for index in range(OPENINGS):
        spec = OPENING_SPECS[index % len(OPENING_SPECS)]
        employer = spec.employers[(index // len(OPENING_SPECS)) % len(spec.employers)]
        low, high = spec.wage
        job_opening_save(
            employer=employer,
            title=spec.title,
            place=spec.place,
            province_code=province.province_code,
            positions=rng.randint(3, 15),
            actor=None,
            commune=communes.get(spec.commune) if spec.commune else None,
            abroad=bool(spec.country),
            country=spec.country,
            skills=list(spec.skills),
            requirements="Từ đủ 18 tuổi, đủ sức khỏe." if spec.country else "Từ đủ 18 tuổi.",
            wage_min=low,
            wage_max=high,
            deadline=today + dt.timedelta(days=rng.randint(20, 120)),
        )
        abroad += bool(spec.country)
    return f"Job openings: {OPENINGS} posted ({abroad} abroad)."


def _placements_load(today: dt.date) -> str:
    """About :data:`PLACEMENTS` seekers placed, through ``services.jobs.placement_record``: each opening in
    turn takes a seeker with one of its skills (abroad: one who wishes to go), two weeks to two months after
    registering."""
    existing = Placement.objects.filter(province_code=PROVINCE_CODE).count()
    if existing:
        return f"Placements: {existing} already there."
    openings = list(JobOpening.objects.filter(province_code=PROVINCE_CODE).order_by("pk"))
    seekers = list(
        JobSeeker.objects.filter(province_code=PROVINCE_CODE, status=SeekerStatus.SEEKING).order_by("pk")
    )
    rng = _rng("placements")
    taken: set[int] = set()
    filled: Counter[int] = Counter()
    placed = 0
    progress = True
    while placed < PLACEMENTS and progress:
        progress = False
        for opening in openings:
            if placed >= PLACEMENTS or filled[opening.pk] >= opening.positions - 1:
                continue
            wanted = {skill.casefold() for skill in opening.skills}
            match = next(
                (
                    s
                    for s in seekers
                    if s.pk not in taken
                    and s.wants_abroad == opening.abroad
                    and wanted & {skill.casefold() for skill in s.skills}
                ),
                None,
            )
            if match is None:
                continue
            registered = timezone.localtime(match.created_at).date()
            placed_on = min(registered + dt.timedelta(days=rng.randint(14, 60)), today)
            placement_record(seeker=match, opening=opening, placed_on=placed_on, actor=None)
            taken.add(match.pk)
            filled[opening.pk] += 1
            placed += 1
            progress = True
    return f"Placements: {placed} seekers placed."


# --- the step -----------------------------------------------------------------------------------------------


def demo_support_load(*, write: Callable[[str], None]) -> None:
    """Load the national policies, then the demo province's support, helpers and jobs (see the module
    docstring). A ``load_demo`` step, after the review rounds and the plans. Idempotent; one line per kind."""
    with transaction.atomic():
        loaded = policies_load(actor=None)
    write(
        f"Support policies: {len(loaded.created)} created, "
        f"{len(loaded.updated) + len(loaded.unchanged)} already there."
    )
    province = AdminUnit.objects.filter(
        generation=Generation.Y2025, level=Level.PROVINCE, code=PROVINCE_CODE
    ).first()
    if province is None:
        write("Support: skipped, the 2025 units are not loaded.")
        return
    added = agencies_seed(unit=province, actor=None)  # only what the province's list lacks
    if added:
        write(f"Support agencies: {len(added)} added to {province.name}.")
    today = timezone.localdate()
    write(_records_load(province, today))
    write(_helpers_load(today))
    write(_seekers_load(today))
    write(_openings_load(province, today))
    write(_placements_load(today))
