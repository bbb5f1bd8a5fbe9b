"""Public pages of the review (trang công khai), under ``/cong-khai/``: no sign-in.

- ``/cong-khai/``: choose a province, then a commune, then one of its rounds whose posting is public
  (``selectors.public_rounds``). Never a list of households.
- ``/cong-khai/<round>/`` (``?thon=<village>``): the posting (niêm yết) by village — household code,
  head's name and class, never a citizen ID or a date of birth — with a "send a complaint" link per row.
  ``danh-sach.pdf``: the same list as a PDF.
- ``/cong-khai/<round>/gui-phan-anh/`` (``?ho=<household code>``): send a complaint or feedback with
  a captcha (``review.captcha``); the answer page gives the tracking code and the answer's due day.
- ``/cong-khai/tra-cuu/``: a tracking code (and a captcha) → the status, dates and, once closed, the
  answer; a wrong code and a guessed one get the same "not found".

A round that is not public, a village or a household code that is not in its posting: a 404 with no
data. Sending and tracking are rate-limited per client (``review.ratelimit``, HTTP 429). Views parse
the request and call one selector or service; the rules live in ``selectors`` (which rounds are public)
and ``services.public`` (when complaints are received, the tracking code, the due day).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from giamngheo.geo.models import AdminUnit, Village
from giamngheo.review import captcha, document_views, ratelimit, selectors
from giamngheo.review.models import ComplaintKind, ComplaintStatus, ReviewRound
from giamngheo.review.presentation import class_name, round_title
from giamngheo.review.procedure import procedure
from giamngheo.review.services.public import (
    MAX_CONTACT,
    MAX_CONTENT,
    MAX_NAME,
    answer_due,
    complaint_submit_public,
    complaints_open,
    normalise_tracking_code,
)

CLOSED_STATUSES = (ComplaintStatus.RESOLVED, ComplaintStatus.REJECTED)


class PublicComplaintForm(forms.Form):
    """The fields a citizen fills in (the captcha is read apart: ``captcha_token``/``captcha_answer``).
    ``village`` and ``household`` offer the round's villages and the posting's households only."""

    complainant = forms.CharField(label=gettext_lazy("Họ và tên người gửi"), max_length=MAX_NAME)
    contact = forms.CharField(
        label=gettext_lazy("Số điện thoại hoặc email (không bắt buộc)"),
        max_length=MAX_CONTACT,
        required=False,
        help_text=gettext_lazy("Chỉ cán bộ xã xem được, để liên hệ khi cần; không hiển thị công khai."),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại"),
        choices=ComplaintKind.choices,
        widget=forms.RadioSelect,
        initial=ComplaintKind.COMPLAINT,
    )
    village = forms.TypedChoiceField(label=gettext_lazy("Thôn"), required=False, coerce=int, empty_value=None)
    household = forms.ChoiceField(label=gettext_lazy("Hộ được phản ánh (không bắt buộc)"), required=False)
    content = forms.CharField(
        label=gettext_lazy("Nội dung phản ánh, khiếu nại"),
        max_length=MAX_CONTENT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(
        self,
        *args: Any,
        villages: list[Village],
        households: list[selectors.PublicHousehold],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        village_field = self.fields["village"]
        assert isinstance(village_field, forms.TypedChoiceField)
        village_field.choices = [("", _("— Chọn thôn —")), *((v.pk, v.name) for v in villages)]
        household_field = self.fields["household"]
        assert isinstance(household_field, forms.ChoiceField)
        household_field.choices = [
            ("", _("— Không chọn hộ cụ thể —")),
            *((h.code, f"{h.code} — {h.head or '—'} ({h.village or '—'})") for h in households),
        ]


def _today() -> dt.date:
    return timezone.localdate()


def _int(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def _public_round(pk: int) -> ReviewRound:
    found = selectors.public_round(pk, today=_today())
    if found is None:
        raise Http404("not public")
    return found


def _too_many(request: HttpRequest, scope: str) -> HttpResponse:
    rate = ratelimit.rate_for(scope)
    response = render(
        request,
        "review/public/too_many.html",
        {"minutes": max(1, rate.window // 60), "limit": rate.limit},
        status=429,
    )
    response["Retry-After"] = str(rate.window)
    return response


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for key, texts in error.message_dict.items():
            form.add_error(key if key in form.fields else None, texts)
    else:
        form.add_error(None, error)


CAPTCHA_WRONG = gettext_lazy(
    "Kết quả phép tính chưa đúng hoặc mã kiểm tra đã hết hạn; vui lòng làm lại với hình mới."
)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Trang công khai: provinces with a public posting (``?tinh=<code>``), their communes
    (``?xa=<commune>``) and the commune's public rounds."""
    today = _today()
    provinces = list(selectors.public_provinces(today=today))
    province: AdminUnit | None = None
    commune: AdminUnit | None = None
    communes: list[AdminUnit] = []
    rounds: list[tuple[ReviewRound, str]] = []
    commune_pk = _int(request.GET.get("xa"))
    if commune_pk is not None:
        found = selectors.public_rounds(today=today).filter(commune_id=commune_pk).first()
        if found is not None:
            commune = found.commune
            province = next((p for p in provinces if p.pk == commune.parent_id), None)
    elif request.GET.get("tinh"):
        province = next((p for p in provinces if p.code == request.GET["tinh"].strip()), None)
    if province is not None:
        communes = list(selectors.public_communes(province=province, today=today))
    if commune is not None:
        rounds = [(r, round_title(r)) for r in selectors.public_commune_rounds(commune=commune, today=today)]
    context = {
        "provinces": provinces,
        "province": province,
        "communes": communes,
        "commune": commune,
        "rounds": rounds,
    }
    return render(request, "review/public/index.html", context)


@require_GET
def posting(request: HttpRequest, pk: int) -> HttpResponse:
    """Niêm yết công khai (no sign-in): the posted households by village (``?thon=<village pk>`` shows
    one village), with the posting period and a link to send a complaint about each household."""
    review_round = _public_round(pk)
    today = _today()
    villages = selectors.public_villages(selectors.public_households(review_round))
    sections = villages
    selected: int | None = None
    if "thon" in request.GET:
        selected = _int(request.GET.get("thon"))
        sections = [v for v in villages if selected is not None and v.village_id == selected]
        if not sections:
            raise Http404("village not in the posting")
    context = {
        "round": review_round,
        "posting": review_round.posting,
        "title": round_title(review_round),
        "villages": villages,
        "selected": selected,
        "sections": [(v, [(row, class_name(row.klass)) for row in v.households]) for v in sections],
        "complaints_open": complaints_open(review_round, review_round.posting, today),
        "count": sum(len(v.households) for v in villages),
    }
    return render(request, "review/public_posting.html", context)


@require_GET
def posting_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The posting as a PDF (``document_views.public_posting_pdf``), only while the round is public."""
    _public_round(pk)
    return document_views.public_posting_pdf(request, pk)


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Gửi phản ánh, khiếu nại (no sign-in): the form with a captcha; on success the tracking code, the
    date and the answer's due day. Outside the posting period: a message and no form."""
    review_round = _public_round(pk)
    posting = review_round.posting
    households = selectors.public_households(review_round)
    villages = selectors.public_round_villages(review_round)
    initial: dict[str, Any] = {"kind": ComplaintKind.COMPLAINT}
    if "ho" in request.GET:
        row = next((h for h in households if h.code == request.GET["ho"]), None)
        if row is None:
            raise Http404("household not in the posting")
        initial.update(household=row.code, village=row.village_id)
    due = answer_due(procedure().complaints, posting.end_date)
    context: dict[str, Any] = {
        "round": review_round,
        "posting": posting,
        "title": round_title(review_round),
        "due": due,
    }
    if not complaints_open(review_round, posting, _today()):
        return render(request, "review/public/complaint_closed.html", context)
    captcha_error = ""
    if request.method == "POST":
        if not ratelimit.hit(request, "complaint_submit"):
            return _too_many(request, "complaint_submit")
        form = PublicComplaintForm(request.POST, villages=villages, households=households)
        solved = captcha.verify(request.POST.get("captcha_token", ""), request.POST.get("captcha_answer"))
        if not solved:
            captcha_error = str(CAPTCHA_WRONG)
        if form.is_valid() and solved:
            data = form.cleaned_data
            village = next((v for v in villages if v.pk == data["village"]), None)
            entry = selectors.public_entry(review_round, data["household"]) if data["household"] else None
            try:
                complaint = complaint_submit_public(
                    review_round=review_round,
                    complainant=data["complainant"],
                    contact=data["contact"],
                    kind=data["kind"],
                    content=data["content"],
                    village=village,
                    round_household=entry,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                context["complaint"] = complaint
                return render(request, "review/public/complaint_sent.html", context)
    else:
        form = PublicComplaintForm(initial=initial, villages=villages, households=households)
    context.update(form=form, challenge=captcha.new_challenge(), captcha_error=captcha_error)
    return render(request, "review/public/complaint_form.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def tracking(request: HttpRequest) -> HttpResponse:
    """Tra cứu phản ánh, khiếu nại: the tracking code and a captcha → the status, the dates and, once
    closed, the answer. Never the sender's name, contact or other complaints; any code that is not
    one of an online complaint gets the same "not found" message."""
    code_text = ""
    captcha_error = ""
    not_found = False
    if request.method == "POST":
        if not ratelimit.hit(request, "complaint_track"):
            return _too_many(request, "complaint_track")
        code_text = request.POST.get("code", "")[:40]
        if not captcha.verify(request.POST.get("captcha_token", ""), request.POST.get("captcha_answer")):
            captcha_error = str(CAPTCHA_WRONG)
        else:
            complaint = selectors.public_complaint(normalise_tracking_code(code_text) or "")
            if complaint is not None:
                posting = getattr(complaint.round, "posting", None)
                context = {
                    "complaint": complaint,
                    "title": round_title(complaint.round),
                    "due": answer_due(procedure().complaints, posting.end_date) if posting else None,
                    "closed": complaint.status in CLOSED_STATUSES,
                }
                return render(request, "review/public/tracking_result.html", context)
            not_found = True
    context = {
        "code": code_text,
        "challenge": captcha.new_challenge(),
        "captcha_error": captcha_error,
        "not_found": not_found,
    }
    return render(request, "review/public/tracking.html", context)
