import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from giamngheo.accounts.models import AuditEvent, Role, User
from giamngheo.registry.models import Household, Member
from giamngheo.review.models import (
    Complaint,
    ComplaintStatus,
    ListReason,
    Result,
    ReviewAuditAction,
    ReviewRound,
    RoundHousehold,
    RoundStatus,
    VillageMeeting,
)
from giamngheo.review.services import (
    application_record,
    causes_record,
    complaint_record,
    complaint_resolve,
    meeting_record,
    phieu_a_record,
    posting_start,
    round_approve,
    round_classify,
    round_create,
    round_report,
    survey_save,
)
from tests.accounts.factories import scoped_user_factory
from tests.registry.conftest import Map
from tests.review.factories import (
    POOR_INCOME,
    adult_facts,
    approve,
    entry_of,
    household_facts,
    household_with_adult,
    open_round,
    survey,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 1)


def _officer(geo_map: Map) -> User:
    return scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)


def _surveyor(geo_map: Map) -> User:
    return scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1)


def _classified_round(geo_map: Map, officer: User) -> tuple[ReviewRound, Household, Member]:
    household, member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    rnd = open_round(commune=geo_map.c1, households=[household], actor=officer)
    survey(rnd, household, household_facts(income=POOR_INCOME, deprived=3), [adult_facts(member)], officer)
    round_classify(review_round=rnd, actor=officer)
    rnd.refresh_from_db()
    return rnd, household, member


# --- round_create -------------------------------------------------------------------------------


def test_round_create_lists_extra_households_and_audits(geo_map: Map) -> None:
    officer = _officer(geo_map)
    household, _ = household_with_adult(commune=geo_map.c1, village=geo_map.v1)

    rnd = open_round(commune=geo_map.c1, households=[household], actor=officer)

    assert (rnd.status, rnd.province_code, rnd.reference_date, rnd.version) == (
        RoundStatus.LISTING,
        "97",
        datetime.date(2026, 10, 1),
        1,
    )
    entry = entry_of(rnd, household)
    assert (entry.reason, entry.village, entry.province_code) == (ListReason.OTHER, geo_map.v1, "97")
    audit = AuditEvent.objects.get(action=ReviewAuditAction.ROUND_CREATED)
    assert audit.actor == officer
    assert audit.after is not None and audit.after["listed"] == {"other": 1}


def test_round_create_takes_a_queryset_of_households_and_lists_them_with_defaults(geo_map: Map) -> None:
    officer = _officer(geo_map)
    first, _ = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    second, _ = household_with_adult(commune=geo_map.c1)

    rnd = round_create(
        commune=geo_map.c1,
        kind="periodic",
        year=2026,
        reference_date=datetime.date(2026, 10, 1),
        extra_households=Household.objects.filter(pk__in=[first.pk, second.pk]),
        actor=officer,
    )

    entries = {e.household_id: e for e in rnd.households.all()}
    assert {pk: (e.village_id, e.reason) for pk, e in entries.items()} == {
        first.pk: (geo_map.v1.pk, ListReason.OTHER),
        second.pk: (None, ListReason.OTHER),
    }
    entry = entries[first.pk]
    assert (entry.causes, entry.support_needs, entry.phieu_a_answers, entry.reopened) == ([], [], None, False)
    assert entry.created_at is not None and entry.application_kind == ""


def test_a_periodic_round_lists_the_poor_and_near_poor_of_the_latest_approved_round(geo_map: Map) -> None:
    officer = _officer(geo_map)
    poor, poor_member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    rich, rich_member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    first = open_round(commune=geo_map.c1, households=[poor, rich], actor=officer, year=2025)
    survey(first, poor, household_facts(income=POOR_INCOME, deprived=3), [adult_facts(poor_member)], officer)
    survey(first, rich, household_facts(), [adult_facts(rich_member)], officer)
    approve(first, actor=officer, posting_day=datetime.date(2025, 11, 1))

    second = round_create(commune=geo_map.c1, kind="periodic", year=2026, actor=officer)

    assert second.reference_date == datetime.date(2026, 9, 1)
    assert list(second.households.values_list("household", "reason")) == [(poor.pk, ListReason.CURRENT_LIST)]


def test_one_periodic_round_per_commune_and_year(geo_map: Map) -> None:
    officer = _officer(geo_map)
    open_round(commune=geo_map.c1, households=[], actor=officer)
    with pytest.raises(ValidationError, match="đã có đợt rà soát định kỳ năm 2026"):
        open_round(commune=geo_map.c1, households=[], actor=officer)


def test_a_periodic_round_outside_the_window_is_refused(geo_map: Map) -> None:
    with pytest.raises(ValidationError) as error:
        round_create(
            commune=geo_map.c1,
            kind="periodic",
            year=2026,
            reference_date=datetime.date(2026, 12, 15),
            actor=_officer(geo_map),
        )
    assert "01/09/2026 đến 14/12/2026" in error.value.message_dict["reference_date"][0]


def test_an_ongoing_round_starts_on_the_15th(geo_map: Map) -> None:
    rnd = round_create(commune=geo_map.c1, kind="ongoing", year=2026, month=3, actor=_officer(geo_map))
    assert (rnd.reference_date, rnd.month) == (datetime.date(2026, 3, 15), 3)
    assert rnd.households.count() == 0


def test_round_create_outside_the_territory_is_refused(geo_map: Map) -> None:
    outsider = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.d1)
    with pytest.raises(PermissionDenied, match="Ngoài địa bàn"):
        open_round(commune=geo_map.c1, households=[], actor=outsider)
    assert not ReviewRound.objects.exists()


def test_a_village_surveyor_cannot_create_a_round(geo_map: Map) -> None:
    with pytest.raises(PermissionDenied, match="không sửa dữ liệu cấp xã"):
        open_round(commune=geo_map.c1, households=[], actor=_surveyor(geo_map))


# --- applications and Phiếu A -------------------------------------------------------------------


def test_an_application_lists_the_household_and_phieu_a_decides_the_survey(geo_map: Map) -> None:
    officer = _officer(geo_map)
    household, member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    rnd = round_create(commune=geo_map.c1, kind="ongoing", year=2026, month=10, actor=officer)

    entry = application_record(
        review_round=rnd, household=household, applied_on=datetime.date(2026, 10, 3), actor=officer
    )
    assert (entry.reason, entry.application_kind, entry.needs_survey) == (ListReason.APPLIED, "review", False)
    with pytest.raises(ValidationError, match="chưa qua Phiếu A"):
        survey(rnd, household, household_facts(), [adult_facts(member)], officer)

    with pytest.raises(ValidationError) as missing:
        phieu_a_record(round_household=entry, answers={"car": False}, actor=officer)
    assert "salaried_member" in missing.value.message_dict

    no = dict.fromkeys(("salaried_member", "car", "durable_large_house", "air_conditioner"), False)
    no |= dict.fromkeys(("boat", "business", "large_land", "high_income_member"), False)
    entry = phieu_a_record(round_household=entry, answers=no, actor=officer)
    assert entry.phieu_a_passed is True
    entry = phieu_a_record(round_household=entry, answers={**no, "car": True}, actor=officer)
    assert entry.phieu_a_passed is False
    assert entry.phieu_a_answers is not None and entry.phieu_a_answers["car"] is True


def test_phieu_a_is_only_for_applicants(geo_map: Map) -> None:
    officer = _officer(geo_map)
    household, _ = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    rnd = open_round(commune=geo_map.c1, households=[household], actor=officer)
    with pytest.raises(ValidationError, match="chỉ dùng cho hộ có giấy đề nghị"):
        phieu_a_record(round_household=entry_of(rnd, household), answers={}, actor=officer)


# --- survey_save --------------------------------------------------------------------------------


def test_survey_save_stores_entered_facts_and_takes_age_from_the_registry(geo_map: Map) -> None:
    officer = _officer(geo_map)
    household, member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    rnd = open_round(commune=geo_map.c1, households=[household], actor=officer)

    saved = survey(
        rnd, household, household_facts(water_source="giếng khoan"), [adult_facts(member)], officer
    )

    assert saved.version == 1
    assert saved.household_facts["water_source"] == "drilled_well"  # the Vietnamese label, normalised
    assert "age" not in saved.member_facts[0]  # derived at classification, not stored
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.SURVEYING
    assert AuditEvent.objects.filter(action=ReviewAuditAction.SURVEY_SAVED, actor=officer).count() == 1


def test_survey_save_puts_errors_on_the_fields(geo_map: Map) -> None:
    officer = _officer(geo_map)
    household, member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    nameless = Member.objects.create(
        household=household,
        province_code="97",
        full_name="Chưa rõ tuổi",
        full_name_search="chua ro tuoi",
        sex="female",
    )
    rnd = open_round(commune=geo_map.c1, households=[household], actor=officer)

    with pytest.raises(ValidationError) as error:
        survey(
            rnd,
            household,
            household_facts(durable_main_parts=5),
            [adult_facts(member), adult_facts(nameless)],
            officer,
        )

    errors = error.value.message_dict
    assert errors["durable_main_parts"] == [
        "“Số kết cấu chính (tường, cột, mái) bằng vật liệu bền chắc” phải trong khoảng 0–3."
    ]
    assert errors["m-1-age"] == ["“Tuổi (tròn năm tại ngày rà soát)” không được để trống."]
    assert "m-0-age" not in errors


def test_survey_save_refuses_a_member_of_another_household(geo_map: Map) -> None:
    officer = _officer(geo_map)
    household, _ = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    _, stranger = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    rnd = open_round(commune=geo_map.c1, households=[household], actor=officer)
    with pytest.raises(ValidationError) as error:
        survey(rnd, household, household_facts(), [adult_facts(stranger)], officer)
    assert "m-0-member_id" in error.value.message_dict


def test_survey_save_with_a_stale_version_is_refused(geo_map: Map) -> None:
    officer = _officer(geo_map)
    household, member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    rnd = open_round(commune=geo_map.c1, households=[household], actor=officer)
    survey(rnd, household, household_facts(), [adult_facts(member)], officer)

    with pytest.raises(ValidationError) as error:
        survey_save(
            round_household=entry_of(rnd, household),
            household_facts=household_facts(),
            member_facts=[adult_facts(member)],
            expected_version=0,
            actor=officer,
        )
    assert error.value.code == "stale"


def test_a_surveyor_saves_surveys_of_their_own_village_only(geo_map: Map) -> None:
    officer, surveyor = _officer(geo_map), _surveyor(geo_map)
    own, own_member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    other, other_member = household_with_adult(commune=geo_map.c1, village=geo_map.v1b)
    rnd = open_round(commune=geo_map.c1, households=[own, other], actor=officer)

    assert survey(rnd, own, household_facts(), [adult_facts(own_member)], surveyor).surveyor == surveyor
    with pytest.raises(PermissionDenied, match="Ngoài địa bàn"):
        survey(rnd, other, household_facts(), [adult_facts(other_member)], surveyor)


def test_causes_and_support_needs_come_from_the_procedure_lists(geo_map: Map) -> None:
    officer = _officer(geo_map)
    household, _ = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    rnd = open_round(commune=geo_map.c1, households=[household], actor=officer)
    entry = causes_record(
        round_household=entry_of(rnd, household),
        causes=["illness", "land"],
        support_needs=["housing"],
        actor=officer,
    )
    assert (entry.causes, entry.support_needs) == (["land", "illness"], ["housing"])
    with pytest.raises(ValidationError) as error:
        causes_record(round_household=entry, causes=["lottery"], support_needs=[], actor=officer)
    assert "causes" in error.value.message_dict


# --- classification -----------------------------------------------------------------------------


def test_a_2026_round_classifies_with_the_2022_2025_standard(geo_map: Map) -> None:
    officer = _officer(geo_map)
    poor, poor_member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    near, near_member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    middle, middle_member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    rnd = open_round(commune=geo_map.c1, households=[poor, near, middle], actor=officer)
    survey(rnd, poor, household_facts(income=POOR_INCOME, deprived=3), [adult_facts(poor_member)], officer)
    survey(rnd, near, household_facts(income=POOR_INCOME, deprived=2), [adult_facts(near_member)], officer)
    survey(rnd, middle, household_facts(income=24_000_000), [adult_facts(middle_member)], officer)

    counts = round_classify(review_round=rnd, actor=officer)

    assert counts == {"poor": 1, "near_poor": 1, "middle_living": 1}
    rnd.refresh_from_db()
    assert (rnd.status, rnd.standard_id, rnd.standard_version, rnd.classified_by) == (
        RoundStatus.CLASSIFIED,
        "vn-2022-2025",
        1,
        officer,
    )
    result = Result.objects.get(household=poor)
    assert result.klass == "poor"
    assert result.deprived == ["housing_quality", "water_source", "latrine"]
    assert (result.income_per_person, result.line, result.members) == (1_000_000, 1_500_000, 1)
    assert result.computed_by == officer and result.standard_id == "vn-2022-2025"


def test_a_2027_round_classifies_with_the_2027_2030_standard(geo_map: Map) -> None:
    officer = _officer(geo_map)
    household, member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    rnd = open_round(commune=geo_map.c1, households=[household], actor=officer, year=2027)
    # 1,800,000 per month: above the 2022-2025 rural line (1,500,000), below the 2027-2030 one (2,200,000).
    survey(rnd, household, household_facts(income=21_600_000, deprived=3), [adult_facts(member)], officer)

    round_classify(review_round=rnd, actor=officer)

    rnd.refresh_from_db()
    assert rnd.standard_id == "vn-2027-2030"
    result = Result.objects.get(household=household)
    assert (result.klass, result.line, result.standard_id) == ("poor", 2_200_000, "vn-2027-2030")


def test_a_household_without_a_survey_is_incomplete(geo_map: Map) -> None:
    officer = _officer(geo_map)
    surveyed, member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    missing, _ = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    rnd = open_round(commune=geo_map.c1, households=[surveyed, missing], actor=officer)
    survey(rnd, surveyed, household_facts(), [adult_facts(member)], officer)

    round_classify(review_round=rnd, actor=officer)

    result = Result.objects.get(household=missing)
    assert result.klass == "incomplete"
    assert result.missing[:2] == ["members", "income_12m"]


def test_classifying_again_supersedes_the_older_results(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, household, member = _classified_round(geo_map, officer)
    survey(rnd, household, household_facts(), [adult_facts(member)], officer)
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.SURVEYING  # new facts make the classification stale

    round_classify(review_round=rnd, actor=officer)

    rows = list(Result.objects.filter(household=household).order_by("pk").values_list("klass", "superseded"))
    assert rows == [("poor", True), ("not_poor", False)]


def test_classify_before_any_survey_is_refused_with_the_step(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd = open_round(commune=geo_map.c1, households=[], actor=officer)
    with pytest.raises(ValidationError, match="đang ở bước “Lập danh sách hộ”, chưa thể phân loại hộ"):
        round_classify(review_round=rnd, actor=officer)


def test_classify_with_a_stale_round_version_is_refused(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, _, _ = _classified_round(geo_map, officer)
    with pytest.raises(ValidationError) as error:
        round_classify(review_round=rnd, actor=officer, expected_version=rnd.version - 1)
    assert error.value.code == "stale"


def test_classify_a_5000_household_round_in_one_call(geo_map: Map) -> None:
    """Its speed is measured by ``benchmarks/registry.py`` (``round_s``), not here."""
    from tests.review.test_batch import bulk_surveyed_round

    rnd = bulk_surveyed_round(geo_map, households=5_000)
    counts = round_classify(review_round=rnd, actor=None)

    assert sum(counts.values()) == 5_000
    assert Result.objects.filter(round=rnd, superseded=False).count() == 5_000


# --- village meeting ----------------------------------------------------------------------------


def test_exactly_half_of_the_attendees_passes_the_meeting(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, _, _ = _classified_round(geo_map, officer)

    meeting = meeting_record(
        review_round=rnd,
        village=geo_map.v1,
        held_on=DAY,
        chair="Trưởng thôn",
        attendees=10,
        agreeing=5,
        actor=officer,
    )

    assert meeting.passed is True
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.MEETING


def test_just_under_half_fails_and_sends_the_round_back_to_surveying(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, _, _ = _classified_round(geo_map, officer)

    meeting = meeting_record(
        review_round=rnd,
        village=geo_map.v1,
        held_on=DAY,
        chair="Trưởng thôn",
        attendees=9,
        agreeing=4,
        actor=officer,
    )

    assert meeting.passed is False
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.SURVEYING
    round_classify(review_round=rnd, actor=officer)  # re-survey or not, classify again and meet again
    rnd.refresh_from_db()
    meeting_record(
        review_round=rnd,
        village=geo_map.v1,
        held_on=DAY,
        chair="Trưởng thôn",
        attendees=9,
        agreeing=5,
        actor=officer,
    )
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.MEETING
    assert VillageMeeting.objects.filter(round=rnd).count() == 2


def test_every_village_must_pass_before_the_meeting_step_is_done(geo_map: Map) -> None:
    officer = _officer(geo_map)
    first, first_member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    second, second_member = household_with_adult(commune=geo_map.c1, village=geo_map.v1b)
    rnd = open_round(commune=geo_map.c1, households=[first, second], actor=officer)
    survey(rnd, first, household_facts(), [adult_facts(first_member)], officer)
    survey(rnd, second, household_facts(), [adult_facts(second_member)], officer)
    round_classify(review_round=rnd, actor=officer)
    rnd.refresh_from_db()

    meeting_record(
        review_round=rnd, village=geo_map.v1, held_on=DAY, chair="A", attendees=3, agreeing=3, actor=officer
    )
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.CLASSIFIED
    meeting_record(
        review_round=rnd, village=geo_map.v1b, held_on=DAY, chair="B", attendees=3, agreeing=2, actor=officer
    )
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.MEETING


def test_meeting_input_errors_are_on_the_fields(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, _, _ = _classified_round(geo_map, officer)
    with pytest.raises(ValidationError) as error:
        meeting_record(
            review_round=rnd,
            village=geo_map.v1,
            held_on=DAY,
            chair=" ",
            attendees=5,
            agreeing=6,
            actor=officer,
        )
    assert set(error.value.message_dict) == {"agreeing", "chair"}
    with pytest.raises(ValidationError) as other:
        meeting_record(
            review_round=rnd,
            village=geo_map.v1b,
            held_on=DAY,
            chair="X",
            attendees=5,
            agreeing=5,
            actor=officer,
        )
    assert "village" in other.value.message_dict


def test_a_meeting_before_classification_is_refused(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd = open_round(commune=geo_map.c1, households=[], actor=officer)
    with pytest.raises(ValidationError, match="chưa thể họp thôn"):
        meeting_record(
            review_round=rnd, village=None, held_on=DAY, chair="X", attendees=1, agreeing=1, actor=officer
        )


# --- posting, complaints, approval --------------------------------------------------------------


def _posted(geo_map: Map, officer: User) -> tuple[ReviewRound, Household, Member]:
    rnd, household, member = _classified_round(geo_map, officer)
    meeting_record(
        review_round=rnd,
        village=geo_map.v1,
        held_on=DAY,
        chair="Trưởng thôn",
        attendees=4,
        agreeing=4,
        actor=officer,
    )
    posting = posting_start(review_round=rnd, start_date=DAY, actor=officer)
    assert (posting.start_date, posting.end_date) == (DAY, datetime.date(2026, 11, 7))
    assert posting.places == "Trụ sở Ủy ban nhân dân xã\nNhà văn hóa thôn"
    rnd.refresh_from_db()
    return rnd, household, member


def test_posting_before_the_meetings_is_refused(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, _, _ = _classified_round(geo_map, officer)
    with pytest.raises(ValidationError, match="chưa thể niêm yết công khai"):
        posting_start(review_round=rnd, start_date=DAY, actor=officer)


def test_approval_is_refused_while_the_posting_runs(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, _, _ = _posted(geo_map, officer)
    with pytest.raises(ValidationError, match="đang niêm yết đến hết ngày 07/11/2026"):
        round_approve(review_round=rnd, actor=officer, on=datetime.date(2026, 11, 7))
    approved = round_approve(review_round=rnd, actor=officer, on=datetime.date(2026, 11, 8))
    assert (approved.status, approved.approved_on, approved.approved_by) == (
        RoundStatus.APPROVED,
        datetime.date(2026, 11, 8),
        officer,
    )
    counts = round_report(review_round=approved, actor=officer)
    assert counts == {"poor": 1}
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.REPORTED


def test_a_complaint_outside_the_posting_period_is_refused(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, _, _ = _posted(geo_map, officer)
    with pytest.raises(ValidationError) as error:
        complaint_record(
            review_round=rnd,
            complainant="Ông A",
            received_on=datetime.date(2026, 11, 8),
            content="…",
            actor=officer,
        )
    assert "01/11/2026 đến 07/11/2026" in error.value.message_dict["received_on"][0]


def test_a_complaint_resurvey_reopens_and_reclassifies_the_household(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, household, member = _posted(geo_map, officer)
    entry = entry_of(rnd, household)
    complaint = complaint_record(
        review_round=rnd,
        complainant="Bà B",
        received_on=datetime.date(2026, 11, 3),
        content="Hộ này có thu nhập cao.",
        round_household=entry,
        actor=officer,
    )
    with pytest.raises(ValidationError, match="Còn 1 khiếu nại"):
        round_approve(review_round=rnd, actor=officer, on=datetime.date(2026, 11, 9))

    complaint = complaint_resolve(complaint=complaint, decision="resurvey", actor=officer)
    assert complaint.status == ComplaintStatus.RESURVEYED
    assert RoundHousehold.objects.get(pk=entry.pk).reopened is True
    survey(rnd, household, household_facts(), [adult_facts(member)], officer)  # allowed while reopened

    complaint = complaint_resolve(
        complaint=complaint, decision="resolved", resolution="Phúc tra: hộ không nghèo.", actor=officer
    )

    assert (complaint.status, complaint.handled_by) == (ComplaintStatus.RESOLVED, officer)
    assert RoundHousehold.objects.get(pk=entry.pk).reopened is False
    rows = list(Result.objects.filter(household=household).order_by("pk").values_list("klass", "superseded"))
    assert rows == [("poor", True), ("not_poor", False)]
    approved = round_approve(review_round=rnd, actor=officer, on=datetime.date(2026, 11, 9))
    assert approved.status == RoundStatus.APPROVED
    assert Complaint.objects.get().status == ComplaintStatus.RESOLVED


def test_a_surveyor_cannot_approve(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, _, _ = _posted(geo_map, officer)
    with pytest.raises(PermissionDenied):
        round_approve(review_round=rnd, actor=_surveyor(geo_map), on=datetime.date(2026, 11, 9))
    leader = scoped_user_factory(role=Role.LEADER, unit=geo_map.p)
    with pytest.raises(PermissionDenied, match="Lãnh đạo"):
        round_approve(review_round=rnd, actor=leader, on=datetime.date(2026, 11, 9))
