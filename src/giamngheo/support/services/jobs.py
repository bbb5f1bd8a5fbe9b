"""Jobs matching (kết nối việc làm): job seekers (người tìm việc) from poor and near-poor households, job
openings (việc làm, at home or abroad — xuất khẩu lao động), placements (nhận việc); and the reads the jobs
pages need (search, ranked matches, placement rate).

Writes validate, then write inside one durable transaction with an audit row
(:class:`~giamngheo.support.models.SupportAuditAction`). A refusal is a ``ValidationError`` keyed to the
field, in Vietnamese; a refusal by role or territory is a ``PermissionDenied`` with the reason.

Rules:

- a job seeker is a member, still in the household, of a household that is poor or near-poor in its
  latest approved review round (the target group of the vocational training and sustainable employment
  project, Dự án 4 of the National Target Programme for Sustainable Poverty Reduction 2021-2025,
  Quyết định 90/QĐ-TTg of 18/01/2022; best reading), aged at least ``MIN_WORKING_AGE`` when the date of
  birth is known (the minimum working age of the Labour Code, Bộ luật Lao động 45/2019/QH14, Điều 3
  khoản 1); when it is not known the seeker is saved and the page warns (:func:`seeker_age_warning`);
- a job opening has ``wage_min ≤ wage_max``, at least one position, and a deadline not in the past when
  it is created; its ``province_code`` is the province that posts it, its commune (optional) the commune
  of the workplace in that province;
- a placement needs an open opening with positions left; the seeker becomes "placed"; the same seeker
  is placed in the same opening once.

Who may write: seekers and placements — whoever may edit the seeker's household
(``accounts.permissions.edit_refusal`` on its village or commune); openings — whoever may edit the
opening's commune, or the province for an opening without a commune.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import and_
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.models import User
from giamngheo.accounts.permissions import edit_refusal
from giamngheo.accounts.selectors import Viewer
from giamngheo.accounts.services import audit_record
from giamngheo.documents.formatting import date_short
from giamngheo.geo.models import AdminUnit, Generation, Level
from giamngheo.registry.birth_date import completed_years
from giamngheo.registry.models import Household, Member, MemberStatus
from giamngheo.registry.text import fold
from giamngheo.support import matching
from giamngheo.support.history import latest_approved_class, latest_class_subquery
from giamngheo.support.matching import Match, OpeningProfile, SeekerProfile
from giamngheo.support.models import (
    JobOpening,
    JobSeeker,
    OpeningStatus,
    Placement,
    SeekerStatus,
    SupportAuditAction,
)
from giamngheo.support.selectors import openings_visible_to, placements_visible_to, seekers_visible_to
from giamngheo.support.services.helpers import class_label

#: Minimum working age: Bộ luật Lao động 45/2019/QH14, Điều 3 khoản 1 ("đủ 15 tuổi").
MIN_WORKING_AGE: Final = 15
#: Classes (in the latest approved round) whose members may register as job seekers.
SEEKER_CLASSES: Final = ("poor", "near_poor")


def _ensure(reason: str | None) -> None:
    if reason is not None:
        raise PermissionDenied(reason)


# --- Job seekers ----------------------------------------------------------------------------------------


def seeker_snapshot(seeker: JobSeeker) -> dict[str, Any]:
    return {
        "member": seeker.member_id,
        "household": seeker.household_id,
        "skills": list(seeker.skills),
        "training": seeker.training,
        "wishes": seeker.wishes,
        "wants_abroad": seeker.wants_abroad,
        "desired_wage": seeker.desired_wage,
        "status": seeker.status,
    }


def seeker_search_text(*, name: str, skills: Iterable[str], training: str, wishes: str) -> str:
    """What the seekers' search looks in: name, skills, training and wishes, folded."""
    return fold(" ".join([name, *skills, training, wishes]))


def seeker_age_warning(member: Member, today: dt.date | None = None) -> str | None:
    """A warning when the member's age cannot be checked (no date of birth), else ``None``."""
    if member.date_of_birth is None:
        return _(
            "Chưa có ngày sinh của {name}; hãy kiểm tra người lao động đã đủ {age} tuổi "
            "(Bộ luật Lao động 2019, Điều 3)."
        ).format(name=member.full_name, age=MIN_WORKING_AGE)
    return None


def seeker_refusal(member: Member, today: dt.date) -> str | None:
    """Why ``member`` may not register as a job seeker, or ``None``: not in the household any more, the
    household not poor / near-poor in its latest approved round, or under the minimum working age."""
    if member.status != MemberStatus.PRESENT:
        return _("{name} không còn ở trong hộ ({status}).").format(
            name=member.full_name, status=member.get_status_display()
        )
    klass = latest_approved_class(member.household)
    if klass not in SEEKER_CLASSES:
        return _(
            "Chỉ đăng ký tìm việc cho thành viên hộ nghèo, hộ cận nghèo; theo đợt rà soát được phê duyệt "
            "gần nhất, hộ {code}: {klass}."
        ).format(code=member.household.code, klass=class_label(klass))
    age = completed_years(member.date_of_birth, today)
    if age is not None and age < MIN_WORKING_AGE:
        return _(
            "{name} mới {age} tuổi, chưa đủ {minimum} tuổi lao động (Bộ luật Lao động 2019, Điều 3)."
        ).format(name=member.full_name, age=age, minimum=MIN_WORKING_AGE)
    return None


@transaction.atomic(durable=True)
def job_seeker_save(
    *,
    member: Member,
    skills: str | Sequence[str],
    training: str,
    wishes: str,
    wants_abroad: bool,
    desired_wage: Decimal | int | None,
    actor: User | None,
    seeker: JobSeeker | None = None,
    today: dt.date | None = None,
) -> JobSeeker:
    """Register a job seeker, or update ``seeker`` (same member). ``skills``: a list, or text separated
    by commas, semicolons or new lines (``matching.normalise_skills``)."""
    household = Household.objects.select_related("commune", "village").get(pk=member.household_id)
    _ensure(edit_refusal(actor, household.territory))
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if seeker is not None and seeker.member_id != member.pk:
        errors["member"] = _("Không thể đổi người lao động của một hồ sơ tìm việc.")
    elif seeker is None:
        member.household = household
        reason = seeker_refusal(member, today)
        if reason is not None:
            errors["member"] = reason
        elif JobSeeker.objects.filter(member=member).exclude(status=SeekerStatus.WITHDRAWN).exists():
            errors["member"] = _("{name} đã đăng ký tìm việc.").format(name=member.full_name)
    if desired_wage is not None and Decimal(desired_wage) < 0:
        errors["desired_wage"] = _("Mức lương mong muốn không được âm.")
    skill_list = matching.normalise_skills(skills)
    if errors:
        raise ValidationError(errors)
    before = seeker_snapshot(seeker) if seeker is not None else None
    if seeker is None:
        seeker = JobSeeker(
            member=member,
            household=household,
            province_code=household.province_code,
            commune=household.commune,
        )
    seeker.skills = skill_list
    seeker.training = training.strip()
    seeker.wishes = wishes.strip()
    seeker.wants_abroad = wants_abroad
    seeker.desired_wage = Decimal(desired_wage) if desired_wage is not None else None
    seeker.search_text = seeker_search_text(
        name=member.full_name, skills=skill_list, training=seeker.training, wishes=seeker.wishes
    )
    seeker.full_clean(exclude=["member", "household", "commune"])
    seeker.save()
    audit_record(
        actor=actor,
        action=SupportAuditAction.JOB_SEEKER_SAVED,
        target=seeker,
        before=before,
        after=seeker_snapshot(seeker),
    )
    return seeker


# --- Job openings ---------------------------------------------------------------------------------------


def opening_snapshot(opening: JobOpening) -> dict[str, Any]:
    return {
        "province_code": opening.province_code,
        "employer": opening.employer,
        "title": opening.title,
        "place": opening.place,
        "commune": opening.commune_id,
        "abroad": opening.abroad,
        "country": opening.country,
        "skills": list(opening.skills),
        "requirements": opening.requirements,
        "wage_min": opening.wage_min,
        "wage_max": opening.wage_max,
        "positions": opening.positions,
        "deadline": opening.deadline,
        "status": opening.status,
    }


def opening_search_text(opening: JobOpening) -> str:
    """What the openings' search looks in: title, employer, place, country, skills, requirements, folded."""
    parts = [opening.title, opening.employer, opening.place, opening.country, *opening.skills]
    return fold(" ".join([*parts, opening.requirements]))


def province_unit(province_code: str) -> AdminUnit | None:
    """The 2025 province with ``province_code``."""
    return AdminUnit.objects.filter(
        level=Level.PROVINCE, generation=Generation.Y2025, code=province_code
    ).first()


def opening_edit_refusal(actor: User | None, *, province_code: str, commune: AdminUnit | None) -> str | None:
    """Why ``actor`` may not post or change an opening of this province / commune, or ``None``."""
    if commune is not None:
        return edit_refusal(actor, commune)
    province = province_unit(province_code)
    if province is None:
        return _("Không tìm thấy tỉnh có mã {code}.").format(code=province_code)
    return edit_refusal(actor, province)


@transaction.atomic(durable=True)
def job_opening_save(
    *,
    employer: str,
    title: str,
    place: str,
    province_code: str,
    positions: int,
    actor: User | None,
    commune: AdminUnit | None = None,
    abroad: bool = False,
    country: str = "",
    skills: str | Sequence[str] = (),
    requirements: str = "",
    wage_min: Decimal | int | None = None,
    wage_max: Decimal | int | None = None,
    deadline: dt.date | None = None,
    status: str = OpeningStatus.OPEN,
    opening: JobOpening | None = None,
    today: dt.date | None = None,
) -> JobOpening:
    """Post a job opening, or update ``opening``."""
    if opening is not None:
        _ensure(opening_edit_refusal(actor, province_code=opening.province_code, commune=opening.commune))
    _ensure(opening_edit_refusal(actor, province_code=province_code, commune=commune))
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not employer.strip():
        errors["employer"] = _("Hãy nhập đơn vị tuyển dụng.")
    if not title.strip():
        errors["title"] = _("Hãy nhập vị trí cần tuyển.")
    if not place.strip():
        errors["place"] = _("Hãy nhập nơi làm việc.")
    if commune is not None and commune.province_code != province_code:
        errors["commune"] = _("{commune} không thuộc tỉnh đăng tin.").format(commune=commune.name)
    if abroad and not country.strip():
        errors["country"] = _("Việc làm ở nước ngoài cần ghi nước đến làm việc.")
    for name, wage in (("wage_min", wage_min), ("wage_max", wage_max)):
        if wage is not None and wage < 0:
            errors[name] = _("Mức lương không được âm.")
    if "wage_max" not in errors and wage_min is not None and wage_max is not None and wage_min > wage_max:
        errors["wage_max"] = _("Lương đến phải lớn hơn hoặc bằng lương từ.")
    if positions < 1:
        errors["positions"] = _("Số lượng cần tuyển phải từ 1 trở lên.")
    if opening is None and deadline is not None and deadline < today:
        errors["deadline"] = _("Hạn nộp hồ sơ đã qua ({day}).").format(day=date_short(deadline))
    if status not in OpeningStatus.values:
        errors["status"] = _("Tình trạng không hợp lệ.")
    if errors:
        raise ValidationError(errors)
    before = opening_snapshot(opening) if opening is not None else None
    if opening is None:
        opening = JobOpening(created_by=actor)
    opening.province_code = province_code
    opening.commune = commune
    opening.employer = employer.strip()
    opening.title = title.strip()
    opening.place = place.strip()
    opening.abroad = abroad
    opening.country = country.strip() if abroad else ""
    opening.skills = matching.normalise_skills(skills)
    opening.requirements = requirements.strip()
    opening.wage_min = Decimal(wage_min) if wage_min is not None else None
    opening.wage_max = Decimal(wage_max) if wage_max is not None else None
    opening.positions = positions
    opening.deadline = deadline
    opening.status = status
    opening.search_text = opening_search_text(opening)
    opening.full_clean(exclude=["commune", "created_by"])
    opening.save()
    audit_record(
        actor=actor,
        action=SupportAuditAction.JOB_OPENING_SAVED,
        target=opening,
        before=before,
        after=opening_snapshot(opening),
    )
    return opening


# --- Placements -----------------------------------------------------------------------------------------


def positions_left(opening: JobOpening) -> int:
    """Positions of ``opening`` not yet filled by a recorded placement."""
    return max(opening.positions - Placement.objects.filter(opening=opening).count(), 0)


@transaction.atomic(durable=True)
def placement_record(
    *,
    seeker: JobSeeker,
    opening: JobOpening,
    placed_on: dt.date,
    actor: User | None,
    note: str = "",
    today: dt.date | None = None,
) -> Placement:
    """Record that ``seeker`` took a job in ``opening`` (ghi nhận nhận việc)."""
    household = Household.objects.select_related("commune", "village").get(pk=seeker.household_id)
    _ensure(edit_refusal(actor, household.territory))
    if actor is not None and not openings_visible_to(actor).filter(pk=opening.pk).exists():
        raise PermissionDenied(_("Việc làm này không thuộc địa bàn của bạn."))
    opening = JobOpening.objects.select_for_update().get(pk=opening.pk)
    seeker = JobSeeker.objects.select_for_update().select_related("member").get(pk=seeker.pk)
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    name = seeker.member.full_name
    if Placement.objects.filter(seeker=seeker, opening=opening).exists():
        errors["opening"] = _("{name} đã được ghi nhận nhận việc tại {opening}.").format(
            name=name, opening=str(opening)
        )
    elif opening.status != OpeningStatus.OPEN:
        errors["opening"] = _("Việc làm {opening} đã ngừng tuyển.").format(opening=str(opening))
    elif positions_left(opening) <= 0:
        errors["opening"] = _("Việc làm {opening} đã tuyển đủ {n} người.").format(
            opening=str(opening), n=opening.positions
        )
    if seeker.status == SeekerStatus.WITHDRAWN:
        errors["seeker"] = _("{name} không còn nhu cầu tìm việc.").format(name=name)
    if placed_on > today:
        errors["placed_on"] = _("Ngày nhận việc không được sau hôm nay ({today}).").format(
            today=date_short(today)
        )
    if errors:
        raise ValidationError(errors)
    placement = Placement.objects.create(
        seeker=seeker,
        opening=opening,
        province_code=seeker.province_code,
        commune_id=seeker.commune_id,
        placed_on=placed_on,
        note=note.strip(),
        recorded_by=actor,
    )
    status_before = seeker.status
    seeker.status = SeekerStatus.PLACED
    seeker.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=SupportAuditAction.PLACEMENT_RECORDED,
        target=placement,
        before={"seeker_status": status_before},
        after={
            "seeker": seeker.pk,
            "opening": opening.pk,
            "placed_on": placed_on,
            "note": placement.note,
            "seeker_status": seeker.status,
        },
    )
    return placement


# --- Reads: search ----------------------------------------------------------------------------------------


def _words(query: str) -> list[str]:
    return fold(query).split()


def seeker_list(
    *, viewer: Viewer, query: str = "", status: str = "", commune: AdminUnit | None = None
) -> QuerySet[JobSeeker]:
    """The viewer's job seekers, newest first; ``query`` finds every word, with or without diacritics, in
    the name, skills, training or wishes ("nguyen van" finds "Nguyễn Văn …", "may" finds "may mặc")."""
    seekers = seekers_visible_to(viewer).select_related(
        "member", "household", "commune", "household__village"
    )
    for word in _words(query):
        seekers = seekers.filter(Q(search_text__contains=word) | Q(member__full_name_search__contains=word))
    if status:
        seekers = seekers.filter(status=status)
    if commune is not None:
        seekers = seekers.filter(commune=commune)
    return seekers.order_by("-created_at", "-pk")


def opening_list(
    *, viewer: Viewer, query: str = "", status: str = "", abroad: bool | None = None
) -> QuerySet[JobOpening]:
    """The openings the viewer sees, newest first, searched like :func:`seeker_list`, each with
    ``placed`` (placements recorded)."""
    openings = openings_visible_to(viewer).select_related("commune")
    words = _words(query)
    if words:
        openings = openings.filter(reduce(and_, (Q(search_text__contains=word) for word in words)))
    if status:
        openings = openings.filter(status=status)
    if abroad is not None:
        openings = openings.filter(abroad=abroad)
    return openings.annotate(placed=Count("placements")).order_by("-created_at", "-pk")


# --- Reads: ranked matches --------------------------------------------------------------------------------


def seeker_profile(seeker: JobSeeker, today: dt.date) -> SeekerProfile:
    return SeekerProfile(
        id=seeker.pk,
        skills=tuple(seeker.skills),
        training=seeker.training,
        wants_abroad=seeker.wants_abroad,
        desired_wage=seeker.desired_wage,
        commune_id=seeker.commune_id,
        province_code=seeker.province_code,
        age=completed_years(seeker.member.date_of_birth, today),
    )


def _opening_profiles(openings: QuerySet[JobOpening]) -> list[OpeningProfile]:
    rows = openings.annotate(placed=Count("placements")).values(
        "pk",
        "skills",
        "title",
        "abroad",
        "wage_min",
        "wage_max",
        "commune_id",
        "province_code",
        "deadline",
        "positions",
        "placed",
        "status",
    )
    return [
        OpeningProfile(
            id=row["pk"],
            skills=tuple(row["skills"] or ()),
            title=row["title"],
            abroad=row["abroad"],
            wage_min=row["wage_min"],
            wage_max=row["wage_max"],
            commune_id=row["commune_id"],
            province_code=row["province_code"],
            deadline=row["deadline"],
            positions_left=row["positions"] - row["placed"],
            is_open=row["status"] == OpeningStatus.OPEN,
        )
        for row in rows
    ]


def opening_profile(opening: JobOpening) -> OpeningProfile:
    return _opening_profiles(JobOpening.objects.filter(pk=opening.pk))[0]


@dataclass(frozen=True, slots=True)
class RankedOpening:
    opening: JobOpening
    match: Match


@dataclass(frozen=True, slots=True)
class RankedSeeker:
    seeker: JobSeeker
    match: Match


def openings_for_seeker(
    *, viewer: Viewer, seeker: JobSeeker, limit: int = 10, today: dt.date | None = None
) -> list[RankedOpening]:
    """The open openings the viewer sees that suit ``seeker`` best (``matching.rank_openings``)."""
    today = today or timezone.localdate()
    candidates = (
        openings_visible_to(viewer)
        .filter(status=OpeningStatus.OPEN)
        .exclude(Q(deadline__lt=today) | Q(placements__seeker=seeker))
    )
    profile = seeker_profile(seeker, today)
    ranked = matching.rank_openings(profile, _opening_profiles(candidates), today=today, limit=limit)
    by_pk = JobOpening.objects.select_related("commune").in_bulk([m.opening_id for m in ranked])
    return [RankedOpening(by_pk[m.opening_id], m) for m in ranked]


def seekers_for_opening(
    *, viewer: Viewer, opening: JobOpening, limit: int = 20, today: dt.date | None = None
) -> list[RankedSeeker]:
    """The seeking job seekers of the viewer's territory who suit ``opening`` best
    (``matching.rank_seekers``)."""
    today = today or timezone.localdate()
    rows = (
        seekers_visible_to(viewer)
        .filter(status=SeekerStatus.SEEKING)
        .exclude(placements__opening=opening)
        .values(
            "pk",
            "skills",
            "training",
            "wants_abroad",
            "desired_wage",
            "commune_id",
            "province_code",
            "member__date_of_birth",
        )
    )
    profiles = [
        SeekerProfile(
            id=row["pk"],
            skills=tuple(row["skills"] or ()),
            training=row["training"],
            wants_abroad=row["wants_abroad"],
            desired_wage=row["desired_wage"],
            commune_id=row["commune_id"],
            province_code=row["province_code"],
            age=completed_years(row["member__date_of_birth"], today),
        )
        for row in rows
    ]
    ranked = matching.rank_seekers(opening_profile(opening), profiles, today=today, limit=limit)
    by_pk = JobSeeker.objects.select_related("member", "household", "commune").in_bulk(
        [m.seeker_id for m in ranked]
    )
    return [RankedSeeker(by_pk[m.seeker_id], m) for m in ranked]


def match_of(seeker: JobSeeker, opening: JobOpening, today: dt.date | None = None) -> Match:
    """The match of one pair (for the placement page: why this pair, or why not)."""
    today = today or timezone.localdate()
    return matching.match(seeker_profile(seeker, today), opening_profile(opening), today=today)


# --- Reads: placement rate --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RateRow:
    """Seekers registered in the period and, of them, those placed in the period, for one unit."""

    code: str
    name: str
    registered: int
    placed: int

    @property
    def rate(self) -> float | None:
        return matching.rate(self.placed, self.registered)


@dataclass(frozen=True, slots=True)
class ProvinceRates:
    province: RateRow
    communes: list[RateRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RateTable:
    """Placement rate per commune, with each province's total and the grand total."""

    date_from: dt.date
    date_to: dt.date
    provinces: list[ProvinceRates]
    total: RateRow


def placement_rates(*, viewer: Viewer, date_from: dt.date, date_to: dt.date) -> RateTable:
    """Placement rate per commune and province (tỷ lệ người tìm việc có việc làm): of the job seekers of the
    viewer's territory registered from ``date_from`` to ``date_to``, the share placed in a job in that
    period. One query, grouped by commune."""
    placed_in_period = Q(placements__placed_on__gte=date_from, placements__placed_on__lte=date_to)
    rows = (
        seekers_visible_to(viewer)
        .filter(created_at__date__gte=date_from, created_at__date__lte=date_to)
        .values("province_code", "commune_id", "commune__code", "commune__name")
        .annotate(
            registered=Count("pk", distinct=True),
            placed=Count("pk", filter=placed_in_period, distinct=True),
        )
        .order_by("province_code", "commune__name")
    )
    communes: dict[str, list[RateRow]] = defaultdict(list)
    for row in rows:
        communes[row["province_code"]].append(
            RateRow(row["commune__code"], row["commune__name"], row["registered"], row["placed"])
        )
    names = dict(
        AdminUnit.objects.filter(
            level=Level.PROVINCE, generation=Generation.Y2025, code__in=list(communes)
        ).values_list("code", "name")
    )
    provinces = [
        ProvinceRates(
            province=RateRow(
                code,
                names.get(code, code),
                sum(r.registered for r in rows_),
                sum(r.placed for r in rows_),
            ),
            communes=rows_,
        )
        for code, rows_ in sorted(communes.items())
    ]
    total = RateRow(
        "",
        _("Tổng cộng"),
        sum(p.province.registered for p in provinces),
        sum(p.province.placed for p in provinces),
    )
    return RateTable(date_from=date_from, date_to=date_to, provinces=provinces, total=total)


def seeker_placements(*, viewer: Viewer, seeker: JobSeeker) -> QuerySet[Placement]:
    placements = placements_visible_to(viewer).filter(seeker=seeker)
    return placements.select_related("opening").order_by("-placed_on", "-pk")


def opening_placements(*, viewer: Viewer, opening: JobOpening) -> QuerySet[Placement]:
    """The placements in ``opening`` of the seekers the viewer sees."""
    return (
        placements_visible_to(viewer)
        .filter(opening=opening)
        .select_related("seeker", "seeker__member", "seeker__household")
        .order_by("-placed_on", "-pk")
    )


def eligible_members(*, household: Household) -> QuerySet[Member]:
    """The present members of ``household`` not registered as seeking or placed (for the register form)."""
    taken = JobSeeker.objects.filter(household=household).exclude(status=SeekerStatus.WITHDRAWN)
    return (
        Member.objects.filter(household=household, status=MemberStatus.PRESENT)
        .exclude(pk__in=taken.values("member_id"))
        .order_by("pk")
    )


def household_class_annotated(households: QuerySet[Household]) -> QuerySet[Household]:
    """``households`` with ``latest_class`` (the class in the latest approved round)."""
    return households.annotate(latest_class=latest_class_subquery())
