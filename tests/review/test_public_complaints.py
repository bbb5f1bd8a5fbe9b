"""Complaints and feedback sent without sign-in: the form and its captcha, the tracking code, the
rate limits, tracking the status, and the officers' side (list, resolve, approval)."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import SettingsWrapper

from giamngheo.accounts.models import AuditEvent
from giamngheo.review.models import (
    Complaint,
    ComplaintChannel,
    ComplaintKind,
    ComplaintStatus,
    ReviewAuditAction,
)
from giamngheo.review.services import complaint_record, complaint_resolve, round_approve
from giamngheo.review.services import public as public_services
from giamngheo.review.services.public import (
    complaint_submit_public,
    new_tracking_code,
    normalise_tracking_code,
)
from tests.accounts.factories import PASSWORD
from tests.registry.conftest import Map
from tests.review.test_public_common import (
    SECRETS,
    TRACKING_RE,
    Posted,
    captcha_token,
    posted_round,
    solve,
)

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

PHONE = "0987654321"
NAME = "Nguyễn Thị Hoa"
CONTENT = "Nhà tôi có ba người ốm, đề nghị xem lại kết quả của hộ H0001."


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()  # rate-limit counters and used captcha tokens
    yield
    cache.clear()


def _url(posted: Posted) -> str:
    return reverse("review_public:complaint", args=[posted.round.pk])


def _payload(token: str, answer: Any, **fields: Any) -> dict[str, Any]:
    data = {
        "complainant": NAME,
        "contact": PHONE,
        "kind": "complaint",
        "village": "",
        "household": "H0001",
        "content": CONTENT,
        "captcha_token": token,
        "captcha_answer": str(answer),
    }
    data.update(fields)
    return data


def _send(
    client: Client, posted: Posted, *, answer: Any = None, ip: str = "127.0.0.1", **fields: Any
) -> Response:
    """Open the form, read its captcha, send it (solved unless ``answer`` is given)."""
    token = captcha_token(client.get(_url(posted)).content.decode())
    data = _payload(token, solve(token) if answer is None else answer, **fields)
    response: Response = client.post(_url(posted), data, REMOTE_ADDR=ip)
    return response


def _track(client: Client, code: str, *, answer: Any = None, ip: str = "127.0.0.1") -> Response:
    url = reverse("review_public:tracking")
    token = captcha_token(client.get(url).content.decode())
    data = {
        "code": code,
        "captcha_token": token,
        "captcha_answer": str(solve(token) if answer is None else answer),
    }
    response: Response = client.post(url, data, REMOTE_ADDR=ip)
    return response


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- sending --------------------------------------------------------------------------------------


def test_a_citizen_sends_a_complaint_and_gets_a_tracking_code(geo_map: Map) -> None:
    posted = posted_round(geo_map)
    response = _send(Client(), posted)
    page = response.content.decode()

    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.tracking_code is not None and TRACKING_RE.fullmatch(complaint.tracking_code)
    assert complaint.tracking_code.startswith(f"KN-{timezone.localdate().year}-")
    assert complaint.tracking_code in page
    assert _date(timezone.localdate()) in page
    end = posted.round.posting.end_date
    assert f"trong thời gian niêm yết, chậm nhất ngày {_date(end)}" in page
    assert (complaint.channel, complaint.kind, complaint.status) == (
        ComplaintChannel.ONLINE,
        ComplaintKind.COMPLAINT,
        ComplaintStatus.RECEIVED,
    )
    assert (complaint.complainant, complaint.contact, complaint.content) == (NAME, PHONE, CONTENT)
    assert complaint.received_by is None and complaint.received_on == timezone.localdate()
    assert complaint.round_household is not None and complaint.round_household.household == posted.poor
    assert complaint.village == geo_map.v1  # taken from the household
    for secret in SECRETS:
        assert secret not in page, secret

    event = AuditEvent.objects.get(action=ReviewAuditAction.COMPLAINT_SUBMITTED_ONLINE)
    assert event.actor is None
    assert (event.target_type, event.target_id) == ("review.complaint", str(complaint.pk))
    assert event.after is not None
    assert event.after["tracking_code"] == complaint.tracking_code
    assert event.after["village"] == geo_map.v1.pk
    assert event.after["round_household"] == complaint.round_household.pk
    assert event.after["received_on"] == timezone.localdate().isoformat()
    stored = json.dumps(event.after, ensure_ascii=False)
    assert PHONE not in stored and NAME not in stored and CONTENT not in stored


def test_feedback_about_the_list_without_a_household(geo_map: Map) -> None:
    posted = posted_round(geo_map)
    _send(Client(), posted, kind="feedback", household="", village=str(geo_map.v1b.pk), contact="")
    complaint = Complaint.objects.get()
    assert complaint.kind == ComplaintKind.FEEDBACK and complaint.tracking_code is not None
    assert complaint.tracking_code.startswith("PA-")
    assert complaint.round_household is None and complaint.village == geo_map.v1b
    assert complaint.contact == ""


def test_the_household_link_preselects_the_household_and_its_village(geo_map: Map) -> None:
    posted = posted_round(geo_map)
    page = Client().get(_url(posted) + "?ho=H0003").content.decode()
    assert '<option value="H0003" selected>H0003 — Lò Thị Mai (Thôn V1B)</option>' in page
    assert f'<option value="{geo_map.v1b.pk}" selected>Thôn V1B</option>' in page
    assert 'value="H0002"' not in page  # not poor: not in the posting, not offered


def test_the_captcha_is_required_and_checked(geo_map: Map) -> None:
    posted = posted_round(geo_map)
    client = Client()
    for answer in ("", "99", "abc", "-1"):
        response = _send(client, posted, answer=answer)
        page = response.content.decode()
        assert response.status_code == 200
        assert "Kết quả phép tính chưa đúng hoặc mã kiểm tra đã hết hạn" in page, answer
    token = captcha_token(client.get(_url(posted)).content.decode())
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    client.post(_url(posted), _payload(tampered, solve(token)))
    client.post(_url(posted), {k: v for k, v in _payload(token, 1).items() if k != "captcha_token"})
    assert not Complaint.objects.exists()
    assert not AuditEvent.objects.filter(action=ReviewAuditAction.COMPLAINT_SUBMITTED_ONLINE).exists()


def test_a_captcha_token_is_used_once(geo_map: Map) -> None:
    posted = posted_round(geo_map)
    client = Client()
    token = captcha_token(client.get(_url(posted)).content.decode())
    data = _payload(token, solve(token))

    first = client.post(_url(posted), data)
    again = client.post(_url(posted), data)  # a replay, e.g. the browser's "send again"

    assert TRACKING_RE.search(first.content.decode())
    assert "Kết quả phép tính chưa đúng hoặc mã kiểm tra đã hết hạn" in again.content.decode()
    assert Complaint.objects.count() == 1


def test_an_expired_captcha_is_refused(geo_map: Map, settings: SettingsWrapper) -> None:
    posted = posted_round(geo_map)
    client = Client()
    token = captcha_token(client.get(_url(posted)).content.decode())
    answer = solve(token)
    settings.GIAMNGHEO_CAPTCHA_MAX_AGE = -1  # every token is older than that
    response = client.post(_url(posted), _payload(token, answer))
    assert "Kết quả phép tính chưa đúng hoặc mã kiểm tra đã hết hạn" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_bad_form_saves_nothing_and_says_why(geo_map: Map, settings: SettingsWrapper) -> None:
    settings.GIAMNGHEO_PUBLIC_RATE_LIMITS = {"complaint_submit": (100, 600)}
    posted = posted_round(geo_map)
    client = Client()
    invalid = "Hãy chọn một lựa chọn hợp lệ. {} không phải là một trong các lựa chọn khả thi."
    cases: dict[str, tuple[dict[str, str], str, str]] = {
        "empty content": ({"content": "  "}, "content", "Trường này là bắt buộc."),
        "bad contact": (
            {"contact": "gọi tôi"},
            "contact",
            "Ghi số điện thoại (chỉ gồm chữ số) hoặc địa chỉ email.",
        ),
        "bad email": ({"contact": "hoa@"}, "contact", "Địa chỉ email không hợp lệ."),
        "village of another household": (
            {"village": str(geo_map.v1b.pk)},
            "household",
            "Hộ này không thuộc thôn đã chọn.",
        ),
        "household not in the posting": ({"household": "H0002"}, "household", invalid.format("H0002")),
        "village not of the round": (
            {"village": str(geo_map.v2.pk), "household": ""},
            "village",
            invalid.format(geo_map.v2.pk),
        ),
        "unknown kind": ({"kind": "praise"}, "kind", invalid.format("praise")),
    }
    for name, (fields, field, message) in cases.items():
        response = _send(client, posted, **fields)
        assert response.status_code == 200, name
        assert f'<p class="field-error" id="id_{field}-error">{message}</p>' in response.content.decode(), (
            name
        )
    assert not Complaint.objects.exists()
    assert not AuditEvent.objects.filter(action=ReviewAuditAction.COMPLAINT_SUBMITTED_ONLINE).exists()


def test_complaints_are_received_only_during_the_posting(geo_map: Map) -> None:
    today = timezone.localdate()
    posted = posted_round(geo_map, start=today - datetime.timedelta(days=20))  # ended 14 days ago
    client = Client()
    response = client.get(_url(posted))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Không còn nhận phản ánh, khiếu nại trực tuyến" in page
    assert 'name="captcha_token"' not in page
    posted_page = client.post(_url(posted), _payload("x", 1)).content.decode()
    assert "Không còn nhận phản ánh, khiếu nại trực tuyến" in posted_page
    assert not Complaint.objects.exists()

    with pytest.raises(ValidationError) as refused:
        complaint_submit_public(review_round=posted.round, complainant=NAME, content=CONTENT)
    assert refused.value.code == "review.complaints_closed"
    end, start = posted.round.posting.end_date, posted.round.posting.start_date
    assert f"từ {_date(start)} đến {_date(end)}" in refused.value.messages[0]


def test_the_service_checks_the_village_and_the_household(geo_map: Map) -> None:
    posted = posted_round(geo_map)
    other = posted_round_other_commune(geo_map)
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"village": geo_map.v2}, "village", "Thôn này không thuộc xã của đợt rà soát."),
        (
            {"round_household": other.round.households.get()},
            "household",
            "Hộ này không có trong danh sách của đợt rà soát.",
        ),
        ({"complainant": " "}, "complainant", "Cần ghi họ và tên người gửi."),
        ({"kind": "praise"}, "kind", "Loại phản ánh không hợp lệ."),
        ({"contact": "12"}, "contact", "Ghi số điện thoại (chỉ gồm chữ số) hoặc địa chỉ email."),
    ]
    for fields, key, message in cases:
        arguments: dict[str, Any] = {"complainant": NAME, "content": CONTENT, **fields}
        with pytest.raises(ValidationError) as refused:
            complaint_submit_public(review_round=posted.round, **arguments)
        assert refused.value.message_dict == {key: [message]}
    assert not Complaint.objects.exists()


def posted_round_other_commune(geo_map: Map) -> Posted:
    from giamngheo.accounts.models import Role
    from tests.accounts.factories import scoped_user_factory
    from tests.review.factories import household_with_adult, open_round

    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c2)
    household, _ = household_with_adult(commune=geo_map.c2, village=geo_map.v2, code="H0042")
    rnd = open_round(commune=geo_map.c2, households=[household], actor=officer)
    return Posted(rnd, officer, household, household, household)


# --- tracking codes -------------------------------------------------------------------------------


def test_tracking_codes_are_random_well_formed_and_unique() -> None:
    codes = {new_tracking_code("complaint", 2026) for _ in range(5000)}
    assert len(codes) == 5000
    assert all(TRACKING_RE.fullmatch(code) and code.startswith("KN-2026-") for code in codes)
    assert new_tracking_code("feedback", 2026).startswith("PA-2026-")
    bodies = "".join(code[8:].replace("-", "") for code in codes)
    assert not set(bodies) & set("01OIL")  # no look-alike characters
    assert len(set(bodies)) == 31  # every character of the alphabet turns up


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("KN-2026-7Q4M-2XAB", "KN-2026-7Q4M-2XAB"),
        (" kn 2026 7q4m 2xab ", "KN-2026-7Q4M-2XAB"),
        ("pa20267Q4M2XAB", "PA-2026-7Q4M-2XAB"),
        ("KN-2026-7Q4M-2XA", None),  # too short
        ("KN-2026-7Q4M-2XAB9", None),  # too long
        ("KN-2026-0Q4M-2XAB", None),  # 0 is not in the alphabet
        ("XX-2026-7Q4M-2XAB", None),
        ("", None),
        ("1 OR 1=1", None),
    ],
)
def test_normalise_tracking_code(typed: str, expected: str | None) -> None:
    assert normalise_tracking_code(typed) == expected


def test_a_tracking_code_already_taken_is_drawn_again(geo_map: Map, monkeypatch: pytest.MonkeyPatch) -> None:
    posted = posted_round(geo_map)
    first = complaint_submit_public(review_round=posted.round, complainant=NAME, content=CONTENT)
    assert first.tracking_code is not None
    draws = iter([first.tracking_code, first.tracking_code, "KN-2026-ABCD-EFGH"])
    monkeypatch.setattr(public_services, "new_tracking_code", lambda kind, year: next(draws))
    second = complaint_submit_public(review_round=posted.round, complainant=NAME, content=CONTENT)
    assert second.tracking_code == "KN-2026-ABCD-EFGH"


# --- rate limits ----------------------------------------------------------------------------------


def test_sending_is_rate_limited_per_client_address(geo_map: Map, settings: SettingsWrapper) -> None:
    settings.GIAMNGHEO_PUBLIC_RATE_LIMITS = {"complaint_submit": (2, 600)}
    posted = posted_round(geo_map)
    client = Client()
    assert _send(client, posted, answer=99, ip="203.0.113.5").status_code == 200  # wrong captcha counts
    assert _send(client, posted, ip="203.0.113.5").status_code == 200
    third = _send(client, posted, ip="203.0.113.5")
    assert third.status_code == 429
    assert third["Retry-After"] == "600"
    assert "Bạn đã gửi quá nhiều yêu cầu" in third.content.decode()
    assert "Vui lòng thử lại sau 10 phút." in third.content.decode()
    # X-Forwarded-For is not trusted: the same address stays limited whatever the header says
    token = captcha_token(client.get(_url(posted)).content.decode())
    spoofed = client.post(
        _url(posted),
        _payload(token, solve(token)),
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert spoofed.status_code == 429
    assert _send(client, posted, ip="203.0.113.6").status_code == 200  # another citizen
    assert Complaint.objects.count() == 2


def test_the_default_limits_are_five_sends_and_thirty_lookups_per_ten_minutes(geo_map: Map) -> None:
    posted = posted_round(geo_map)
    client = Client()
    statuses = [_send(client, posted, answer=99).status_code for _ in range(6)]
    assert statuses == [200, 200, 200, 200, 200, 429]
    lookups = [_track(client, "KN-2026-AAAA-AAAA", answer=99).status_code for _ in range(31)]
    assert lookups[:30] == [200] * 30 and lookups[30] == 429


# --- tracking -------------------------------------------------------------------------------------


def test_tracking_shows_the_status_and_then_the_officers_answer(geo_map: Map) -> None:
    posted = posted_round(geo_map)
    client = Client()
    _send(client, posted)
    complaint = Complaint.objects.get()
    assert complaint.tracking_code is not None
    typed = complaint.tracking_code.lower().replace("-", " ")

    page = _track(client, typed).content.decode()
    assert f"Phản ánh, khiếu nại {complaint.tracking_code}" in page
    assert "Đã tiếp nhận" in page
    assert f"trong thời gian niêm yết, chậm nhất ngày {_date(posted.round.posting.end_date)}" in page
    assert "H0001" in page and "Thôn V1" in page
    assert "Kết quả giải quyết" not in page
    for private in (NAME, PHONE, CONTENT, *SECRETS):
        assert private not in page, private

    complaint_resolve(
        complaint=complaint,
        decision="resolved",
        resolution="Đã phúc tra hộ H0001; giữ nguyên kết quả hộ nghèo.",
        actor=posted.officer,
    )
    page = _track(client, complaint.tracking_code).content.decode()
    assert "Đã giải quyết" in page
    assert "Đã phúc tra hộ H0001; giữ nguyên kết quả hộ nghèo." in page
    assert _date(timezone.localdate()) in page
    assert NAME not in page and PHONE not in page


def _visible(page: str) -> str:
    """The page without what changes on every request (tokens, the captcha drawing and question)."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    page = re.sub(r'"X-CSRFToken": "[^"]+"', "", page)
    page = re.sub(r'name="captcha_token" value="[^"]+"', "", page)
    page = re.sub(r"<svg xmlns=.*?</svg>", "", page, flags=re.S)
    page = re.sub(r"câu hỏi: [^<]+", "", page)
    return re.sub(r'name="code" value="[^"]*"', "", page)


def test_a_wrong_code_and_a_guessed_one_get_the_same_not_found(geo_map: Map) -> None:
    posted = posted_round(geo_map)
    client = Client()
    _send(client, posted)
    real = Complaint.objects.get().tracking_code
    assert real is not None
    complaint_record(  # an officer-recorded complaint has no code at all
        review_round=posted.round,
        complainant="Lò Văn Pọm",
        received_on=timezone.localdate(),
        content="Khiếu nại tại trụ sở xã",
        actor=posted.officer,
    )
    near_miss = real[:-1] + ("A" if real[-1] != "A" else "B")
    pages = [_track(client, code) for code in (near_miss, "KN-2026-2222-2222", "abc", "", "' OR 1=1 --")]
    texts = [_visible(page.content.decode()) for page in pages]
    assert all(page.status_code == 200 for page in pages)
    assert "Không tìm thấy phản ánh, khiếu nại nào với mã này." in texts[0]
    assert all(text == texts[0] for text in texts)
    assert "Lò Văn Pọm" not in texts[0] and "Đã tiếp nhận" not in texts[0]


def test_tracking_needs_the_captcha(geo_map: Map) -> None:
    posted = posted_round(geo_map)
    client = Client()
    _send(client, posted)
    code = Complaint.objects.get().tracking_code
    assert code is not None
    page = _track(client, code, answer=99).content.decode()
    assert "Kết quả phép tính chưa đúng hoặc mã kiểm tra đã hết hạn" in page
    assert "Đã tiếp nhận" not in page and f"Phản ánh, khiếu nại {code}" not in page


def test_tracking_lookups_are_rate_limited(geo_map: Map, settings: SettingsWrapper) -> None:
    settings.GIAMNGHEO_PUBLIC_RATE_LIMITS = {"complaint_track": (3, 300)}
    client = Client()
    statuses = [_track(client, "KN-2026-AAAA-AAAA").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Vui lòng thử lại sau 5 phút." in _track(client, "x").content.decode()


# --- the officers' side ---------------------------------------------------------------------------


def _officer_client(posted: Posted) -> Client:
    client = Client()
    assert client.login(username=posted.officer.username, password=PASSWORD)
    return client


def test_officers_see_online_complaints_with_code_channel_and_deadline(
    geo_map: Map, monkeypatch: pytest.MonkeyPatch
) -> None:
    posted = posted_round(geo_map)
    _send(Client(), posted)
    complaint = Complaint.objects.get()
    end = posted.round.posting.end_date
    url = reverse("review:complaints", args=[posted.round.pk])

    page = _officer_client(posted).get(url).content.decode()
    assert f'<span class="code">{complaint.tracking_code}</span>' in page
    assert "Gửi trực tuyến · Khiếu nại" in page
    assert f"Hạn trả lời: {_date(end)}" in page
    assert "Quá hạn trả lời" not in page
    assert complaint.answer_due == end and complaint.answer_overdue is False

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: end + datetime.timedelta(days=1))
    page = _officer_client(posted).get(url).content.decode()
    assert "Quá hạn trả lời" in page
    assert Complaint.objects.get().answer_overdue is True


def test_an_open_online_complaint_blocks_approval_until_resolved(geo_map: Map) -> None:
    posted = posted_round(geo_map)
    _send(Client(), posted)
    complaint = Complaint.objects.get()
    after_posting = posted.round.posting.end_date + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        round_approve(review_round=posted.round, actor=posted.officer, on=after_posting)
    assert refused.value.code == "review.open_complaints"

    complaint_resolve(complaint=complaint, decision="resurvey", actor=posted.officer)
    complaint_resolve(
        complaint=complaint, decision="rejected", resolution="Không có căn cứ.", actor=posted.officer
    )
    round_approve(review_round=posted.round, actor=posted.officer, on=after_posting)
    posted.round.refresh_from_db()
    assert posted.round.status == "approved"
    assert Complaint.objects.get().status == ComplaintStatus.REJECTED


def test_the_rounds_history_shows_the_online_complaint_without_personal_data(geo_map: Map) -> None:
    posted = posted_round(geo_map)
    _send(Client(), posted)
    code = Complaint.objects.get().tracking_code
    assert code is not None

    response = _officer_client(posted).get(reverse("review:history", args=[posted.round.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nhận phản ánh, khiếu nại trực tuyến" in page
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert f"Mã tra cứu: {code}" in text
    assert "Loại rà soát: complaint" not in text
    assert PHONE not in page and CONTENT not in page
