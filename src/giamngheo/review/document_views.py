"""Downloads and uploads of the review: the village Phiếu B workbook (template and upload), certificates,
the posting list and the Excel exports.

Each view finds its round and households through ``review.selectors`` (a round or household outside
the viewer's territory is a 404), checks who may have the document (``review.permissions``: a leader
gets no document that names households), and hands the layout to ``review.documents``. Refusals are
Vietnamese: a ``PermissionDenied`` with the reason (the 403 page shows it) or a message on the round
page; a bad workbook is a table of errors, never a server error.
"""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from giamngheo.accounts.models import User
from giamngheo.accounts.permissions import can_edit
from giamngheo.documents import SurveyWorkbookError, survey_parse
from giamngheo.geo.models import Village
from giamngheo.review import documents, selectors, services
from giamngheo.review.models import APPROVED_STATUSES, ReviewRound
from giamngheo.review.permissions import certificate_refusal, ensure, review_view, round_access
from giamngheo.review.presentation import round_title
from giamngheo.review.services.surveys import SURVEY_STEPS

NO_VILLAGE = 0
"""``village_pk`` in the URLs for the listed households that have no village."""


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _round(request: HttpRequest, pk: int) -> ReviewRound:
    return get_object_or_404(selectors.rounds_visible_to(_user(request)).select_related("commune"), pk=pk)


def _village(request: HttpRequest, review_round: ReviewRound, village_pk: int) -> Village | None:
    """The village of the URL among the round's villages the viewer may see (404 otherwise)."""
    user = _user(request)
    if village_pk == NO_VILLAGE:
        if not selectors.village_entries(viewer=user, review_round=review_round, village_id=None).exists():
            raise Http404(village_pk)
        return None
    for village in selectors.round_villages(viewer=user, review_round=review_round):
        if village.pk == village_pk:
            return village
    raise Http404(village_pk)


def _ensure_can_fill(user: User, review_round: ReviewRound, village: Village | None) -> None:
    """The workbook is for those who enter Phiếu B there: a village surveyor for their own village, a
    commune or province officer for the commune (``accounts.permissions``)."""
    target = village if village is not None else review_round.commune
    if not can_edit(user, target):
        raise PermissionDenied(
            _("Bạn không được nhập Phiếu B của {place}.").format(place=documents.village_label(village))
        )


def _attachment(content: bytes, filename: str, content_type: str, *, inline: bool = False) -> FileResponse:
    return FileResponse(
        io.BytesIO(content), as_attachment=not inline, filename=filename, content_type=content_type
    )


def _slug(review_round: ReviewRound) -> str:
    return f"{review_round.year}{review_round.month:02d}" if review_round.month else str(review_round.year)


# --- Phiếu B workbook ---------------------------------------------------------------------------


@review_view(households=True)
def survey_template_download(request: HttpRequest, pk: int, village_pk: int) -> FileResponse:
    """Tải mẫu Phiếu B (Excel) of one village, prefilled from the registry and earlier entries."""
    review_round = _round(request, pk)
    village = _village(request, review_round, village_pk)
    user = _user(request)
    _ensure_can_fill(user, review_round, village)
    content = documents.survey_workbook(viewer=user, review_round=review_round, village=village)
    code = village.code if village is not None else "khong-thon"
    return _attachment(content, f"phieu-b-{_slug(review_round)}-{code}.xlsx", documents.XLSX_TYPE)


class SurveyUploadForm(forms.Form):
    workbook = forms.FileField(
        label=gettext_lazy("Tệp Phiếu B đã điền (.xlsx)"),
        error_messages={"required": gettext_lazy("Hãy chọn tệp Excel Phiếu B đã điền.")},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_workbook(self) -> Any:
        upload = self.cleaned_data["workbook"]
        if upload.size > documents.MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("Tệp quá lớn ({size} MB); chỉ nhận tệp đến {limit} MB.").format(
                    size=f"{upload.size / 1024 / 1024:.1f}".replace(".", ","),
                    limit=documents.MAX_UPLOAD_BYTES // (1024 * 1024),
                ),
                code="too_large",
            )
        return upload


@review_view(households=True)
@require_http_methods(["GET", "POST"])
def survey_upload(request: HttpRequest, pk: int, village_pk: int) -> HttpResponse:
    """Tải lên Phiếu B đã điền: parse the workbook (``documents.survey_parse``) and save it with
    ``services.survey_batch_save``, all or nothing; any problem is listed (sheet, Excel row, column,
    value, reason) and nothing is saved."""
    review_round = _round(request, pk)
    village = _village(request, review_round, village_pk)
    user = _user(request)
    _ensure_can_fill(user, review_round, village)
    form = SurveyUploadForm(request.POST or None, request.FILES or None)
    errors: list[documents.UploadError] = []
    summary = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["workbook"].read()
        batch = None
        try:
            batch = survey_parse(data)
            households, members = documents.batch_frames(batch)
            saved = services.survey_batch_save(
                review_round=review_round,
                village=village,
                households_frame=households,
                members_frame=members,
                actor=user,
            )
        except SurveyWorkbookError as error:
            errors = documents.workbook_errors(error)
            summary = error.message_vi
        except services.BatchRejected as error:
            assert batch is not None  # refused by the service, after the workbook was read
            errors = documents.batch_errors(error.errors, batch)
            summary = error.message
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("Bạn không có quyền thực hiện thao tác này."))
        else:
            messages.success(
                request,
                _("Đã lưu Phiếu B của {households} hộ ({members} nhân khẩu) — {place}.").format(
                    households=saved.created + saved.updated,
                    members=members.height,
                    place=documents.village_label(village),
                ),
            )
            return redirect("review:round", pk=pk)
    context = {
        "round": review_round,
        "title": round_title(review_round),
        "access": round_access(user, review_round),
        "village_name": documents.village_label(village),
        "village_pk": village_pk,
        "form": form,
        "errors": errors,
        "summary": summary,
        "open": review_round.status in SURVEY_STEPS,
        "max_mb": documents.MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    return render(request, "review/survey_upload.html", context, status=422 if errors else 200)


# --- certificates -------------------------------------------------------------------------------


def _ensure_can_certify(user: User) -> None:
    ensure(certificate_refusal(user))


def _not_approved(request: HttpRequest, review_round: ReviewRound) -> HttpResponse:
    messages.error(request, _("Chỉ in giấy chứng nhận sau khi kết quả rà soát đã được phê duyệt."))
    return redirect("review:round", pk=review_round.pk)


@review_view(households=True)
def certificate(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponseBase:
    """Giấy chứng nhận (PDF) of one poor or near-poor household of an approved round."""
    review_round = _round(request, pk)
    user = _user(request)
    entry = get_object_or_404(selectors.entries_visible_to(user, review_round), pk=entry_pk)
    _ensure_can_certify(user)
    if review_round.status not in APPROVED_STATUSES:
        return _not_approved(request, review_round)
    entries = list(selectors.certified_entries(viewer=user, review_round=review_round, entry_pk=entry.pk))
    if not entries:
        messages.error(request, _("Hộ này không phải hộ nghèo, hộ cận nghèo nên không có giấy chứng nhận."))
        return redirect("review:result", pk=pk, entry_pk=entry_pk)
    content = documents.certificates(viewer=user, review_round=review_round, entries=entries)
    filename = f"giay-chung-nhan-{entries[0].household.code}-{_slug(review_round)}.pdf"
    return _attachment(content, filename, documents.PDF_TYPE)


@review_view(households=True)
def certificates(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Every certificate of the round (or of one village, ``?thon=<id>``; ``?thon=0``: the households
    without a village) in one PDF, one page per household."""
    review_round = _round(request, pk)
    user = _user(request)
    _ensure_can_certify(user)
    if review_round.status not in APPROVED_STATUSES:
        return _not_approved(request, review_round)
    village_pk = request.GET.get("thon", "")
    entries_qs = selectors.certified_entries(viewer=user, review_round=review_round)
    suffix = ""
    if village_pk:
        try:
            village = _village(request, review_round, int(village_pk))
        except ValueError:
            raise Http404(village_pk) from None
        entries_qs = (
            entries_qs.filter(village=village)
            if village is not None
            else entries_qs.filter(village__isnull=True)
        )
        suffix = f"-{village.code if village is not None else 'khong-thon'}"
    content = documents.certificates(viewer=user, review_round=review_round, entries=list(entries_qs))
    return _attachment(content, f"giay-chung-nhan-{_slug(review_round)}{suffix}.pdf", documents.PDF_TYPE)


# --- exports ------------------------------------------------------------------------------------


@review_view(households=True)
def results_export(request: HttpRequest, pk: int) -> FileResponse:
    """ket-qua.xlsx: the round's households and their results (no citizen ID, no date of birth); not
    for a leader (``review_view(households=True)``)."""
    review_round = _round(request, pk)
    user = _user(request)
    content = documents.results_xlsx(viewer=user, review_round=review_round)
    return _attachment(content, f"ket-qua-ra-soat-{_slug(review_round)}.xlsx", documents.XLSX_TYPE)


@review_view()
def transitions_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """bien-dong.xlsx: the transitions table (per village and commune totals), as on the page."""
    review_round = _round(request, pk)
    found = selectors.round_transitions(viewer=_user(request), review_round=review_round)
    if found is None:
        messages.error(
            request,
            _("Chỉ xem được biến động khi đợt này đã phê duyệt và xã có một đợt đã phê duyệt trước đó."),
        )
        return redirect("review:transitions", pk=pk)
    content = documents.transitions_xlsx(found)
    return _attachment(content, f"bien-dong-{_slug(review_round)}.xlsx", documents.XLSX_TYPE)


@review_view(households=True)
def posting_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The posting list (PDF) for the round's officers, at any time after the posting started (the
    public copy, ``public_posting_pdf``, is served only while the round is public)."""
    review_round = _round(request, pk)
    found = selectors.public_posting(review_round.pk)
    if found is None:
        raise Http404(pk)
    content = documents.posting_pdf(found)
    return _attachment(content, f"danh-sach-niem-yet-{_slug(found.review_round)}.pdf", documents.PDF_TYPE)


# --- public -------------------------------------------------------------------------------------


def public_posting_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """Danh sách niêm yết (PDF), no sign-in: the same rows as the public page — never a citizen ID or
    a date of birth."""
    found = selectors.public_posting(pk)
    if found is None:
        raise Http404(pk)
    content = documents.posting_pdf(found)
    return _attachment(
        content, f"danh-sach-niem-yet-{_slug(found.review_round)}.pdf", documents.PDF_TYPE, inline=True
    )
