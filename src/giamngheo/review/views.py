"""Pages of the review (rà soát): parse the request, call one service or selector, render.

Every page needs a signed-in user and finds its round through ``selectors.rounds_visible_to``: a round
(or a household) outside the viewer's territory is a 404. What each role may see and do is decided by
``review.permissions`` (a refused page or POST is a 403 with the reason); the templates get booleans
(``access``) and never decide. Refusals from the services (wrong step, stale version) are shown in
Vietnamese on the page, never as a server error.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.middleware import HtmxDetails

from giamngheo.accounts.models import User
from giamngheo.accounts.permissions import can_edit
from giamngheo.accounts.selectors import units_visible_to
from giamngheo.geo.models import Level
from giamngheo.registry.birth_date import completed_years
from giamngheo.registry.models import Household, Member, MemberStatus
from giamngheo.review import selectors, services
from giamngheo.review.forms import (
    ApplicationForm,
    ApproveForm,
    CausesForm,
    ComplaintForm,
    ComplaintResolveForm,
    MeetingForm,
    PhieuAForm,
    PostingForm,
    RoundCreateForm,
    SurveyForm,
)
from giamngheo.review.history import history_rows
from giamngheo.review.models import (
    Complaint,
    ListReason,
    ReviewRound,
    RoundHousehold,
    RoundStatus,
    Survey,
    needs_survey_q,
)
from giamngheo.review.permissions import (
    ensure,
    entry_refusal,
    review_view,
    round_access,
    steps_refusal,
    steps_role_refusal,
)
from giamngheo.review.presentation import (
    class_name,
    result_explanation,
    round_deadline_view,
    round_steps,
    round_title,
    transition_columns,
)
from giamngheo.review.procedure import procedure
from giamngheo.review.services.surveys import SURVEY_STEPS


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _round(request: HttpRequest, pk: int) -> ReviewRound:
    return get_object_or_404(selectors.rounds_visible_to(_user(request)).select_related("commune"), pk=pk)


def _entry(request: HttpRequest, review_round: ReviewRound, entry_pk: int) -> RoundHousehold:
    entries = selectors.entries_visible_to(_user(request), review_round).select_related(
        "household__head", "village", "round__commune"
    )
    return get_object_or_404(entries, pk=entry_pk)


def _page(request: HttpRequest, review_round: ReviewRound) -> dict[str, Any]:
    """What every page of a round shows in its header and tabs: the round, its title and the viewer's
    ``permissions.RoundAccess`` (the tabs and actions the templates may show)."""
    return {
        "round": review_round,
        "title": round_title(review_round),
        "access": round_access(_user(request), review_round),
    }


HISTORY_PAGE_SIZE = 100
SURVEY_FILTERS = {"chua": "missing", "co": "entered"}  # ?phieu= of the household list


def _refusal(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return str(error) or _("Bạn không có quyền thực hiện thao tác này.")
    return " ".join(error.messages)


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for key, texts in error.message_dict.items():
            form.add_error(key if key in form.fields else None, texts)
    else:
        form.add_error(None, error)


# --- rounds -------------------------------------------------------------------------------------


def _creatable_communes(user: User) -> Any:
    """The 2025 communes the user may open a round in (none for a role that may not take the steps)."""
    communes = units_visible_to(user).filter(level=Level.COMMUNE, generation="2025").order_by("name")
    return communes if steps_role_refusal(user) is None else communes.none()


@review_view()
def round_list(request: HttpRequest) -> HttpResponse:
    """Đợt rà soát: the rounds of the communes the user may see, newest first, with each round's legal
    period or deadline (overdue in red)."""
    user = _user(request)
    today = timezone.localdate()
    rows = [(r, round_title(r), round_deadline_view(r, today)) for r in selectors.round_list(viewer=user)]
    can_create = _creatable_communes(user).exists()
    return render(request, "review/round_list.html", {"rows": rows, "can_create": can_create})


@review_view()
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    """Tạo đợt rà soát (step 1): the commune, periodic or ongoing, year (and month)."""
    user = _user(request)
    ensure(steps_role_refusal(user))
    communes = _creatable_communes(user)
    today = timezone.localdate()
    initial: dict[str, Any] = {"year": today.year, "kind": "periodic"}
    only = list(communes[:2])
    if len(only) == 1:  # a commune officer's own commune: nothing to choose
        initial["commune"] = only[0].pk
    form = RoundCreateForm(request.POST or None, communes=communes, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.round_create(
                commune=data["commune"],
                kind=data["kind"],
                year=data["year"],
                month=data["month"],
                reference_date=data["reference_date"],
                actor=user,
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, ValidationError):
                _add_errors(form, error)
            else:
                form.add_error(None, _refusal(error))
        else:
            messages.success(request, _("Đã tạo đợt rà soát."))
            return redirect("review:round", pk=created.pk)
    return render(request, "review/round_create.html", {"form": form})


def _villages_for_meeting(review_round: ReviewRound) -> list[tuple[int | None, str]]:
    from giamngheo.geo.models import Village

    ids = services.meeting_villages(review_round)
    names = dict(Village.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "name"))
    return [(i, names.get(i, "") if i else _("Hộ chưa gắn thôn")) for i in ids]


def _round_context(request: HttpRequest, review_round: ReviewRound, **forms: Any) -> dict[str, Any]:
    user = _user(request)
    today = timezone.localdate()
    posting = (
        getattr(review_round, "posting", None)
        if review_round.status
        in (
            RoundStatus.POSTING,
            RoundStatus.APPROVED,
            RoundStatus.REPORTED,
        )
        else None
    )
    villages = _villages_for_meeting(review_round)
    passed = services.villages_passed(review_round)
    counts = selectors.class_counts(review_round, user)
    page = _page(request, review_round)
    access = page["access"]
    by_reason = selectors.listed_by_reason(viewer=user, review_round=review_round)
    previous = selectors.previous_approved_round(review_round)
    return {
        **page,
        "deadline": round_deadline_view(review_round, today),
        "steps": round_steps(review_round),
        "can_edit": access.steps,
        "counts": [
            (k, class_name(k), counts.get(k, 0))
            for k in ("poor", "near_poor", "middle_living", "not_poor", "incomplete")
        ],
        "listed": sum(by_reason.values()),
        "listed_by_reason": [
            (label, by_reason[key]) for key, label in ListReason.choices if by_reason.get(key)
        ],
        "listed_current": by_reason.get(ListReason.CURRENT_LIST, 0),
        "needs_survey": selectors.entries_visible_to(user, review_round).filter(needs_survey_q()).count(),
        "awaiting_phieu_a": selectors.entries_visible_to(user, review_round)
        .filter(reason=ListReason.APPLIED, phieu_a_passed__isnull=True)
        .count(),
        "previous_title": round_title(previous) if previous is not None else "",
        "surveying_open": review_round.status in SURVEY_STEPS,
        "surveyed": Survey.objects.filter(
            round_household__in=selectors.entries_visible_to(user, review_round)
        ).count(),
        "village_meetings": [(name, vid in passed) for vid, name in villages],
        "meetings": review_round.meetings.select_related("village").order_by("-held_on", "-pk")[:20],
        "posting": posting,
        "open_complaints": review_round.complaints.filter(status__in=("received", "resurveyed")).count(),
        "procedure": procedure(),
        "meeting_form": forms.get("meeting_form")
        or MeetingForm(villages=villages, initial={"held_on": today, "version": review_round.version}),
        "posting_form": forms.get("posting_form")
        or PostingForm(
            initial={
                "start_date": today,
                "places": "\n".join(procedure().posting.places),
                "version": review_round.version,
            }
        ),
        "approve_form": forms.get("approve_form")
        or ApproveForm(initial={"on": today, "version": review_round.version}),
        "public_url": posting is not None and access.households,
        "is_public": selectors.public_round(review_round.pk, today=today) is not None,
        "workbooks": _workbook_villages(user, review_round)
        if review_round.status in SURVEY_STEPS and access.enter
        else [],
        "approved": review_round.is_approved,
        "can_certify": access.certificates,
        "can_list": access.households,
        "document_villages": _document_villages(user, review_round) if access.households else [],
    }


def _document_villages(user: User, review_round: ReviewRound) -> list[tuple[int, str]]:
    """(village pk, name) of the round's villages the user may see; ``0`` for households without one."""
    villages = [(v.pk, v.name) for v in selectors.round_villages(viewer=user, review_round=review_round)]
    if selectors.village_entries(viewer=user, review_round=review_round, village_id=None).exists():
        villages.append((0, _("Hộ chưa gắn thôn")))
    return villages


def _workbook_villages(user: User, review_round: ReviewRound) -> list[tuple[int, str]]:
    """The villages whose Phiếu B workbook the user may download and upload (``can_edit``: a village
    surveyor only their own village)."""
    targets = {v.pk: v for v in selectors.round_villages(viewer=user, review_round=review_round)}
    return [
        (pk, name)
        for pk, name in _document_villages(user, review_round)
        if can_edit(user, targets[pk] if pk else review_round.commune)
    ]


@review_view()
@require_http_methods(["GET", "POST"])
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Một đợt rà soát: the steps as a progress list with the next action (classify, village meeting,
    posting, approval, report); each action posts here with ``action`` (commune-level steps only:
    ``permissions.steps_refusal``)."""
    review_round = _round(request, pk)
    user = _user(request)
    forms: dict[str, Any] = {}
    form: Any
    if request.method == "POST":
        ensure(steps_refusal(user, review_round))
        action = request.POST.get("action", "")
        version = _int(request.POST.get("version"))
        try:
            if action == "classify":
                counts = services.round_classify(
                    review_round=review_round, actor=user, expected_version=version
                )
                messages.success(request, _("Đã phân loại {n} hộ.").format(n=sum(counts.values())))
                return redirect("review:round", pk=pk)
            if action == "meeting":
                form = MeetingForm(request.POST, villages=_villages_for_meeting(review_round))
                forms["meeting_form"] = form
                if form.is_valid():
                    data = form.cleaned_data
                    village = (
                        review_round.households.filter(village_id=data["village"])
                        .select_related("village")
                        .first()
                    )
                    meeting = services.meeting_record(
                        review_round=review_round,
                        village=village.village if village is not None else None,
                        held_on=data["held_on"],
                        chair=data["chair"],
                        attendees=data["attendees"],
                        agreeing=data["agreeing"],
                        minutes=data["minutes"],
                        actor=user,
                        expected_version=data["version"],
                    )
                    if meeting.passed:
                        messages.success(request, _("Cuộc họp đã thông qua kết quả."))
                    else:
                        messages.warning(
                            request,
                            _("Chưa đủ số người đồng ý: rà soát lại và họp lại."),
                        )
                    return redirect("review:round", pk=pk)
            elif action == "posting":
                form = PostingForm(request.POST)
                forms["posting_form"] = form
                if form.is_valid():
                    data = form.cleaned_data
                    services.posting_start(
                        review_round=review_round,
                        start_date=data["start_date"],
                        places=data["places"].splitlines(),
                        actor=user,
                        expected_version=data["version"],
                    )
                    messages.success(request, _("Đã niêm yết công khai danh sách."))
                    return redirect("review:round", pk=pk)
            elif action == "approve":
                form = ApproveForm(request.POST)
                forms["approve_form"] = form
                if form.is_valid():
                    services.round_approve(
                        review_round=review_round,
                        on=form.cleaned_data["on"],
                        actor=user,
                        expected_version=form.cleaned_data["version"],
                    )
                    messages.success(request, _("Đã phê duyệt kết quả rà soát."))
                    return redirect("review:round", pk=pk)
            elif action == "report":
                services.round_report(review_round=review_round, actor=user, expected_version=version)
                messages.success(request, _("Đã báo cáo kết quả rà soát."))
                return redirect("review:round", pk=pk)
        except ValidationError as error:
            target = forms.get(f"{action}_form")
            if target is not None and hasattr(error, "error_dict"):
                _add_errors(target, error)
            else:
                messages.error(request, _refusal(error))
        except PermissionDenied as error:
            messages.error(request, _refusal(error))
        review_round.refresh_from_db()
    return render(request, "review/round_detail.html", _round_context(request, review_round, **forms))


def _int(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _class_of(entry: RoundHousehold) -> str:
    klass = getattr(entry, "current_class", None)  # annotated by selectors.round_households
    return class_name(klass) if klass else ""


@review_view(households=True)
def round_households(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Danh sách hộ của đợt: class badges and filters (village, class, reason, code); an htmx request
    gets only the table."""
    review_round = _round(request, pk)
    user = _user(request)
    village = _int(request.GET.get("thon"))
    klass, reason, query = request.GET.get("loai", ""), request.GET.get("ly_do", ""), request.GET.get("q", "")
    survey_filter = request.GET.get("phieu", "")
    entries = selectors.round_households(
        viewer=user,
        review_round=review_round,
        village=village,
        klass=klass,
        reason=reason,
        query=query,
        survey=SURVEY_FILTERS.get(survey_filter, ""),
    )
    context = {
        **_page(request, review_round),
        "entries": [(e, _class_of(e)) for e in entries[:1000]],
        "total": entries.count(),
        "villages": selectors.round_villages(viewer=user, review_round=review_round),
        "classes": [
            (k, class_name(k)) for k in ("poor", "near_poor", "middle_living", "not_poor", "incomplete")
        ],
        "reasons": ListReason.choices,
        "filters": {"thon": village, "loai": klass, "ly_do": reason, "q": query, "phieu": survey_filter},
        "survey_filters": [("chua", _("Chưa có Phiếu B")), ("co", _("Đã có Phiếu B"))],
    }
    if request.htmx:
        return render(request, "review/_household_table.html", context)
    return render(request, "review/round_households.html", context)


@review_view(households=True)
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """Ghi nhận giấy đề nghị rà soát (Mẫu số 01) of a household of the commune (commune-level step)."""
    review_round = _round(request, pk)
    user = _user(request)
    ensure(steps_refusal(user, review_round))
    form = ApplicationForm(
        request.POST or None, initial={"applied_on": timezone.localdate(), "kind": "review"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = Household.objects.filter(
            commune=review_round.commune, code=data["household_code"].strip()
        ).first()
        if household is None:
            form.add_error("household_code", _("Không có hộ mã này trong sổ hộ của xã."))
        else:
            try:
                entry = services.application_record(
                    review_round=review_round,
                    household=household,
                    kind=data["kind"],
                    applied_on=data["applied_on"],
                    actor=user,
                )
            except ValidationError as error:
                _add_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, _refusal(error))
            else:
                messages.success(
                    request, _("Đã ghi nhận giấy đề nghị của hộ {code}.").format(code=household.code)
                )
                return redirect("review:phieu_a", pk=pk, entry_pk=entry.pk)
    context = {**_page(request, review_round), "form": form, "procedure": procedure()}
    return render(request, "review/application.html", context)


# --- one household ------------------------------------------------------------------------------


@review_view(households=True)
@require_http_methods(["GET", "POST"])
def phieu_a(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Phiếu A (nhận dạng nhanh) of a household that applied (for those who enter it)."""
    review_round = _round(request, pk)
    entry = _entry(request, review_round, entry_pk)
    ensure(entry_refusal(_user(request), entry))
    form = PhieuAForm(request.POST or None, answers=entry.phieu_a_answers)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.phieu_a_record(
                round_household=entry, answers=form.cleaned_data, actor=_user(request)
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, _refusal(error))
        else:
            if entry.phieu_a_passed:
                messages.success(request, _("Hộ qua nhận dạng nhanh: tiếp tục lập Phiếu B."))
                return redirect("review:survey", pk=pk, entry_pk=entry.pk)
            messages.info(request, _("Hộ có đặc điểm loại trừ theo Phiếu A: không lập Phiếu B."))
            return redirect("review:households", pk=pk)
    context = {**_page(request, review_round), "entry": entry, "form": form, "procedure": procedure()}
    return render(request, "review/phieu_a.html", context)


def _survey_members(entry: RoundHousehold, survey: Survey | None) -> list[Member]:
    ids = {m.get("member_id") for m in (survey.member_facts if survey is not None else [])}
    members = Member.objects.filter(household=entry.household).order_by("pk")
    return [m for m in members if m.status == MemberStatus.PRESENT or m.pk in ids]


@review_view(households=True)
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Phiếu B of one household, in the paper form's order, with errors on the fields (for those who
    enter it)."""
    review_round = _round(request, pk)
    entry = _entry(request, review_round, entry_pk)
    ensure(entry_refusal(_user(request), entry))
    stored = Survey.objects.filter(round_household=entry).first()
    members = _survey_members(entry, stored)
    form_kwargs: dict[str, Any] = {
        "members": members,
        "household_facts": stored.household_facts if stored else {"area": entry.household.area},
        "member_facts": stored.member_facts if stored else [],
        "version": stored.version if stored else 0,
    }
    form = SurveyForm(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        household_facts, member_facts = form.facts()
        try:
            services.survey_save(
                round_household=entry,
                household_facts=household_facts,
                member_facts=member_facts,
                expected_version=form.cleaned_data["version"],
                actor=_user(request),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as error:
            form.add_error(None, _refusal(error))
        else:
            messages.success(request, _("Đã lưu Phiếu B của hộ {code}.").format(code=entry.household.code))
            return redirect("review:survey", pk=pk, entry_pk=entry.pk)
    ages = [completed_years(m.date_of_birth, review_round.reference_date) for m in members]
    context = {
        **_page(request, review_round),
        "entry": entry,
        "form": form,
        "member_rows": list(zip(form.member_rows(), ages, strict=True)),
        "headers": form.member_headers(),
        "stored": stored,
    }
    return render(request, "review/survey.html", context)


@review_view(households=True)
@require_http_methods(["GET", "POST"])
def result(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Kết quả phân loại of one household with its explanation, history, causes and support needs
    (the form for those who enter the household's Phiếu B)."""
    review_round = _round(request, pk)
    entry = _entry(request, review_round, entry_pk)
    can_enter = entry_refusal(_user(request), entry) is None
    if request.method == "POST":
        ensure(entry_refusal(_user(request), entry))
    form = CausesForm(
        request.POST or None, initial={"causes": entry.causes, "support_needs": entry.support_needs}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.causes_record(
                round_household=entry,
                causes=form.cleaned_data["causes"],
                support_needs=form.cleaned_data["support_needs"],
                actor=_user(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, _refusal(error))
        else:
            messages.success(request, _("Đã lưu nguyên nhân nghèo và nhu cầu hỗ trợ."))
            return redirect("review:result", pk=pk, entry_pk=entry.pk)
    current = selectors.current_result(entry)
    history = entry.results.order_by("-computed_at", "-pk").select_related("computed_by")
    page = _page(request, review_round)
    context = {
        **page,
        "entry": entry,
        "can_enter": can_enter,
        "causes": [procedure().causes.label(c) for c in entry.causes],
        "support_needs": [procedure().support_needs.label(c) for c in entry.support_needs],
        "result": current,
        "explanation": result_explanation(current) if current is not None else None,
        "history": [(r, class_name(r.klass)) for r in history],
        "form": form,
        # A certificate for a poor or near-poor household of an approved round, for the roles that may
        # read members' personal data (not an agency viewer or a leader).
        "can_certify": review_round.is_approved
        and current is not None
        and current.klass in selectors.CERTIFIED_CLASSES
        and page["access"].certificates,
    }
    return render(request, "review/result.html", context)


# --- complaints, transitions --------------------------------------------------------------------


@review_view(households=True)
@require_http_methods(["GET", "POST"])
def complaints(request: HttpRequest, pk: int) -> HttpResponse:
    """Khiếu nại: the list, a form to record one (during the posting) and one to handle each (the forms
    for those who take the commune-level steps)."""
    review_round = _round(request, pk)
    user = _user(request)
    if request.method == "POST":
        ensure(steps_refusal(user, review_round))
    form = ComplaintForm(
        request.POST if request.POST.get("action") == "record" else None,
        initial={"received_on": timezone.localdate()},
    )
    resolve_errors: dict[int, str] = {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "record" and form.is_valid():
                data = form.cleaned_data
                entry = None
                if data["household_code"].strip():
                    entry = review_round.households.filter(
                        household__code=data["household_code"].strip()
                    ).first()
                    if entry is None:
                        form.add_error(
                            "household_code", _("Hộ này không có trong danh sách của đợt rà soát.")
                        )
                if not form.errors:
                    services.complaint_record(
                        review_round=review_round,
                        complainant=data["complainant"],
                        received_on=data["received_on"],
                        content=data["content"],
                        round_household=entry,
                        actor=user,
                    )
                    messages.success(request, _("Đã ghi nhận khiếu nại."))
                    return redirect("review:complaints", pk=pk)
            elif request.POST.get("action") == "resolve":
                complaint = get_object_or_404(
                    Complaint, pk=_int(request.POST.get("complaint")) or 0, round=review_round
                )
                resolve = ComplaintResolveForm(request.POST)
                if resolve.is_valid():
                    try:
                        services.complaint_resolve(
                            complaint=complaint,
                            decision=resolve.cleaned_data["decision"],
                            resolution=resolve.cleaned_data["resolution"],
                            actor=user,
                        )
                    except ValidationError as error:
                        resolve_errors[complaint.pk] = _refusal(error)
                    else:
                        messages.success(request, _("Đã cập nhật khiếu nại."))
                        return redirect("review:complaints", pk=pk)
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, _refusal(error))
    rows = (
        selectors.complaints_visible_to(user, review_round)
        .select_related("round_household__household")
        .order_by("-received_on", "-pk")
    )
    page = _page(request, review_round)
    context = {
        **page,
        "form": form,
        "rows": [(c, resolve_errors.get(c.pk, "")) for c in rows],
        "resolve_form": ComplaintResolveForm(),
        "posting": getattr(review_round, "posting", None)
        if review_round.status == RoundStatus.POSTING and page["access"].steps
        else None,
    }
    return render(request, "review/complaints.html", context)


@review_view()
def transitions(request: HttpRequest, pk: int) -> HttpResponse:
    """Biến động: households per transition category and village, against the previous approved round."""
    review_round = _round(request, pk)
    found = selectors.round_transitions(viewer=_user(request), review_round=review_round)
    columns = transition_columns()
    context = {
        **_page(request, review_round),
        "found": found,
        "previous_title": round_title(found.previous) if found else "",
        "columns": columns,
        "rows": [
            (row.village, [row.counts[c] for c, _name in columns])
            for row in (found.villages if found else [])
        ],
        "totals": [found.totals[c] for c, _name in columns] if found else [],
    }
    return render(request, "review/transitions.html", context)


# --- history ------------------------------------------------------------------------------------


def _history_page(request: HttpRequest, events: Any) -> tuple[Any, list[Any]]:
    page = Paginator(events, HISTORY_PAGE_SIZE).get_page(request.GET.get("trang"))
    return page, history_rows(page.object_list)


@review_view(households=True)
@require_http_methods(["GET"])
def round_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Lịch sử đợt rà soát: every audit event of the round and of the objects in it that the viewer may
    see, newest first, 100 per page."""
    review_round = _round(request, pk)
    events = selectors.round_audit_events(viewer=_user(request), review_round=review_round)
    page, rows = _history_page(request, events)
    context = {**_page(request, review_round), "page": page, "rows": rows, "entry": None}
    return render(request, "review/history.html", context)


@review_view(households=True)
@require_http_methods(["GET"])
def entry_history(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Lịch sử của một hộ trong đợt: the events of that listed household (listing, Phiếu A, Phiếu B,
    causes, complaints), newest first, 100 per page."""
    review_round = _round(request, pk)
    entry = _entry(request, review_round, entry_pk)
    events = selectors.entry_audit_events(viewer=_user(request), entry=entry)
    page, rows = _history_page(request, events)
    context = {**_page(request, review_round), "page": page, "rows": rows, "entry": entry}
    return render(request, "review/history.html", context)


# --- public -------------------------------------------------------------------------------------
