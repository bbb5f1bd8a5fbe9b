"""The support demo step (``support.demo.demo_support_load``) on a small province: what it writes, that
every record's eligibility is the rule's, and that it is idempotent and deterministic."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from giamngheo.accounts.management.commands.load_demo import STEPS
from giamngheo.accounts.models import AuditEvent, Role, User
from giamngheo.registry.birth_date import completed_years
from giamngheo.registry.models import Member, MemberStatus
from giamngheo.review.demo import demo_rounds_load
from giamngheo.review.models import Result
from giamngheo.support import demo
from giamngheo.support.eligibility import Facts, eligibility
from giamngheo.support.history import class_histories, latest_approved_class
from giamngheo.support.models import (
    HelperAssignment,
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
from giamngheo.support.services.helpers import VISIT_STALE_DAYS
from giamngheo.support.services.records import policy_rule
from tests.accounts.conftest import Map, geo_map
from tests.accounts.factories import scoped_user_factory
from tests.registry.factories import household_factory

__all__ = ["geo_map"]

pytestmark = pytest.mark.django_db

HOUSEHOLDS = 150  # per commune


def _registry(geo_map: Map) -> None:
    """Two communes of households with members of all ages (dates of birth known), as the review demo
    test makes them."""
    for commune, villages in ((geo_map.c1, [geo_map.v1, geo_map.v1b]), (geo_map.c2, [geo_map.v2])):
        for i in range(HOUSEHOLDS):
            household = household_factory(
                commune=commune, village=villages[i % len(villages)], code=f"D{i:04d}"
            )
            for j in range(1 + i % 5):
                Member.objects.create(
                    household=household,
                    province_code="97",
                    full_name=f"Người Mẫu {i} {j}",
                    full_name_search=f"nguoi mau {i} {j}",
                    sex="female" if j % 2 else "male",
                    date_of_birth=dt.date(1960 + (i * 7 + j * 13) % 60, 1 + j, 10),
                )


@pytest.fixture
def province(geo_map: Map, monkeypatch: pytest.MonkeyPatch) -> Map:
    """Province 97 with 2024 and 2025 rounds approved on 05/11 (the review demo), its officers under the
    demo usernames, and the support demo pointed at it."""
    _registry(geo_map)
    demo_rounds_load(write=lambda line: None)
    scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p, username="tinh", full_name="Trần Thị Hoa")
    scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1, username="xa", full_name="Lê Văn Bình")
    monkeypatch.setattr(demo, "PROVINCE_CODE", "97")
    monkeypatch.setattr(demo, "HELPER_COMMUNES", (geo_map.c1.code, geo_map.c2.code))
    monkeypatch.setattr(demo, "DEMO_COMMUNE", geo_map.c1.code)
    return geo_map


def _load() -> list[str]:
    lines: list[str] = []
    demo.demo_support_load(write=lines.append)
    return lines


def _snapshot() -> dict[str, object]:
    return {
        "records": sorted(
            SupportRecord.objects.values_list(
                "policy__code",
                "household_id",
                "member_id",
                "given_on",
                "amount",
                "eligible",
                "override_reason",
            )
        ),
        "helpers": sorted(
            HelperAssignment.objects.values_list("household_id", "name", "started_on", "user_id")
        ),
        "visits": sorted(HelperVisit.objects.values_list("assignment__household_id", "visited_on", "note")),
        "seekers": sorted(JobSeeker.objects.values_list("member_id", "skills", "wants_abroad", "created_at")),
        "openings": sorted(JobOpening.objects.values_list("title", "employer", "positions", "deadline")),
        "placements": sorted(
            Placement.objects.values_list("seeker__member_id", "opening__title", "placed_on")
        ),
    }


def test_the_step_comes_after_the_plans() -> None:
    assert STEPS.index("giamngheo.support.demo.demo_support_load") == (
        STEPS.index("giamngheo.planning.demo.demo_plans_load") + 1
    )


def test_it_writes_one_line_per_kind(province: Map) -> None:
    lines = _load()

    kinds = [line.split(":", 1)[0] for line in lines]
    assert kinds == [
        "Support policies",
        "Support agencies",
        "Support records",
        "Helpers",
        "Job seekers",
        "Job openings",
        "Placements",
    ]
    assert lines[0] == f"Support policies: {Policy.objects.count()} created, 0 already there."
    assert Policy.objects.count() == 17


def test_every_record_carries_the_eligibility_the_rule_gives(province: Map) -> None:
    _load()
    records = list(SupportRecord.objects.select_related("policy", "household", "override_by"))
    histories = class_histories(record.household_id for record in records)

    assert len(records) > 100
    for record in records:
        decision = eligibility(
            policy_rule(record.policy),
            histories[record.household_id],
            Facts(ethnic_minority=record.household.ethnic_minority, area=record.household.area),
            record.given_on,
        )
        assert (record.eligible, record.klass, record.review_round_id) == (
            decision.eligible,
            decision.klass,
            decision.round_id,
        )
        # after the approval of the 2025 rounds (05/11/2025), before the 2021-2025 programme ends
        assert dt.date(2025, 11, 6) <= record.given_on <= dt.date(2025, 12, 31)
        assert record.commune_id == record.household.commune_id
        assert record.village_id == record.household.village_id


def test_a_handful_of_ineligible_records_carry_the_province_officers_reason(province: Map) -> None:
    _load()
    ineligible = list(SupportRecord.objects.filter(eligible=False).select_related("override_by"))
    tinh = User.objects.get(username="tinh")

    assert 1 <= len(ineligible) <= len(demo.OVERRIDES)
    for record in ineligible:
        assert len(record.override_reason) > 50
        assert "(dữ liệu mẫu)" in record.override_reason
        assert record.override_by == tinh
    assert AuditEvent.objects.filter(action=SupportAuditAction.SUPPORT_OVERRIDDEN).count() == len(ineligible)
    assert not SupportRecord.objects.filter(eligible=True).exclude(override_reason="").exists()


def test_most_but_not_all_members_of_poor_households_get_a_card(province: Map) -> None:
    _load()
    poor = Result.objects.filter(round__year=2025, superseded=False, klass="poor").values("household_id")
    members = set(
        Member.objects.filter(household__in=poor, status=MemberStatus.PRESENT).values_list("pk", flat=True)
    )
    carded = set(
        SupportRecord.objects.filter(policy__code="bhyt-ho-ngheo", eligible=True).values_list(
            "member_id", flat=True
        )
    )

    assert members, "the small province has poor households"
    assert carded <= members
    assert 0.8 <= len(carded) / len(members) < 1.0


def test_bulk_records_come_in_batches_audited_as_uploads(province: Map) -> None:
    _load()
    batches = list(SupportBatch.objects.all())

    assert batches
    for batch in batches:
        assert batch.rows == SupportRecord.objects.filter(batch=batch).count()
        event = AuditEvent.objects.get(
            action=SupportAuditAction.SUPPORT_BATCH_IMPORTED, target_id=str(batch.pk)
        )
        assert event.after is not None and event.after["rows"] == batch.rows
    codes = set(SupportRecord.objects.exclude(batch=None).values_list("policy__code", flat=True))
    assert {"bhyt-ho-ngheo", "mien-hoc-phi"} <= codes


def test_helpers_go_to_poor_households_of_the_two_communes_with_visits(province: Map) -> None:
    _load()
    assignments = list(HelperAssignment.objects.select_related("household"))

    assert assignments
    assert {a.commune_id for a in assignments} <= {province.c1.pk, province.c2.pk}
    for assignment in assignments:
        assert latest_approved_class(assignment.household) == "poor"
        assert assignment.ended_on is None
        assert assignment.visits.exists()
        assert assignment.phone == ""  # no made-up phone numbers
    assert HelperAssignment.objects.filter(user__username="xa").count() == 3
    stale_before = dt.date.today() - dt.timedelta(days=VISIT_STALE_DAYS)
    recent = [a for a in assignments if max(v.visited_on for v in a.visits.all()) >= stale_before]
    assert len(recent) >= len(assignments) / 2  # most were visited lately; the others are flagged
    visits = HelperVisit.objects.count()
    assert AuditEvent.objects.filter(action=SupportAuditAction.HELPER_ASSIGNED).count() == len(assignments)
    assert AuditEvent.objects.filter(action=SupportAuditAction.HELPER_VISIT_RECORDED).count() == visits


def test_job_seekers_openings_and_placements(province: Map) -> None:
    _load()
    seekers = list(JobSeeker.objects.select_related("member", "household"))
    today = dt.date.today()

    assert 0 < len(seekers) <= demo.SEEKERS
    assert len({s.household_id for s in seekers}) == len(seekers)  # one per household
    for seeker in seekers:
        assert latest_approved_class(seeker.household) in ("poor", "near_poor")
        registered = seeker.created_at.date()
        age = completed_years(seeker.member.date_of_birth, registered)
        assert age is not None and 18 <= age <= 45
        assert seeker.skills and seeker.search_text
    openings = JobOpening.objects.all()
    assert openings.count() == demo.OPENINGS
    assert len({(o.title, o.employer) for o in openings}) == demo.OPENINGS  # no opening posted twice
    assert openings.filter(abroad=True).exclude(country="").count() == 10
    assert not openings.filter(deadline__lt=today).exists()
    placements = list(Placement.objects.select_related("seeker", "opening"))
    assert 0 < len(placements) <= demo.PLACEMENTS
    for placement in placements:
        assert placement.seeker.status == SeekerStatus.PLACED
        assert placement.seeker.wants_abroad == placement.opening.abroad
        assert {s.casefold() for s in placement.seeker.skills} & {
            s.casefold() for s in placement.opening.skills
        }
        assert placement.seeker.created_at.date() <= placement.placed_on <= today
    per_opening = Counter(p.opening_id for p in placements)
    assert all(per_opening[o.pk] < o.positions for o in openings)


def test_running_it_again_changes_nothing(province: Map) -> None:
    _load()
    before = _snapshot()
    events = AuditEvent.objects.count()

    lines = _load()

    assert _snapshot() == before
    assert AuditEvent.objects.count() == events
    assert lines[0] == "Support policies: 0 created, 17 already there."
    assert all("already there" in line for line in lines[1:]), lines


def test_it_is_deterministic(province: Map) -> None:
    _load()
    first = _snapshot()
    Placement.objects.all().delete()
    JobSeeker.objects.all().delete()
    JobOpening.objects.all().delete()
    HelperVisit.objects.all().delete()
    HelperAssignment.objects.all().delete()
    SupportRecord.objects.all().delete()
    SupportBatch.objects.all().delete()

    _load()

    assert _snapshot() == first


def test_without_an_approved_round_it_writes_no_support(
    geo_map: Map, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "PROVINCE_CODE", "97")
    lines = _load()

    assert lines[0].startswith("Support policies: 17 created")
    assert "Support records: skipped" in lines[-5]
    assert not SupportRecord.objects.exists()
    assert Policy.objects.count() == 17
