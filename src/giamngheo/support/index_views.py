"""The support landing page (``/ho-tro/``, trang Hỗ trợ): every support page the viewer may open, grouped
by area, each with its count for the viewer's territory.

Who sees which link follows the pages' own rules, so the page never offers a link that answers 403:

- everyone signed in with a role: the policy catalogue, the coverage, the job openings and the placement
  rate (public rules and aggregates);
- the roles that may open the household registry (``permissions.pages_refusal``; not leaders): the
  support records, the households with unmet needs, the support given outside the rules, the helpers'
  lists and the job seekers; recording and the Excel upload only for those who may record
  (``permissions.recording_refusal``);
- "Hộ tôi giúp đỡ" for whoever is the helper of a household, whatever the role (an account without a role
  that helps a household sees that link only).

Counts are read through the territory-scoped selectors (``support.selectors``, ``services.helpers``), one
query each; nothing on this page lists a household.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from giamngheo.accounts.models import User
from giamngheo.accounts.selectors import sees_everything
from giamngheo.site.standards.presentation import number
from giamngheo.support.models import OpeningStatus, SeekerStatus
from giamngheo.support.permissions import pages_refusal, recording_refusal
from giamngheo.support.selectors import (
    openings_visible_to,
    placements_visible_to,
    policies_visible_to,
    records_visible_to,
    seekers_visible_to,
)
from giamngheo.support.services.helpers import helper_counts, my_assignments
from giamngheo.support.services.records import policy_rule

__all__ = ["IndexLink", "IndexSection", "index_refusal", "index_sections", "support_index"]


@dataclass(frozen=True)
class IndexLink:
    """A page of the support context: its title, address, and the count shown next to it (``count`` the
    number, ``note`` the number in words; both empty when the page has no count)."""

    key: str
    title: str
    url: str
    count: int | None = None
    note: str = ""


@dataclass(frozen=True)
class IndexSection:
    key: str
    title: str
    lead: str
    links: list[IndexLink] = field(default_factory=list)


def _has_role(viewer: User) -> bool:
    return bool(viewer.role) or sees_everything(viewer)


def index_refusal(viewer: User) -> str | None:
    """Why ``viewer`` may not open the landing page (locked account; no role and helping no household),
    or ``None``."""
    if not viewer.is_active:
        return _("Tài khoản của bạn đã bị khóa.")
    if not _has_role(viewer) and not my_assignments(user=viewer).exists():
        return _("Tài khoản của bạn chưa được gán vai trò.")
    return None


def _counted(key: str, title: str, url: str, count: int, note: str) -> IndexLink:
    return IndexLink(key, title, url, count, note.format(n=number(count)))


def _policies_section(viewer: User) -> IndexSection:
    today = timezone.localdate()
    policies = policies_visible_to(viewer).filter(active=True)
    in_force = sum(policy_rule(policy).in_force(today) for policy in policies)
    return IndexSection(
        "policies",
        _("Chính sách hỗ trợ"),
        _("Danh mục chính sách của Trung ương và của địa phương: ai được hưởng, căn cứ pháp lý, mức hỗ trợ."),
        [
            _counted(
                "policies",
                _("Danh mục chính sách"),
                reverse("support:policies"),
                in_force,
                ngettext("{n} chính sách đang áp dụng", "{n} chính sách đang áp dụng", in_force),
            )
        ],
    )


def _records_section(viewer: User) -> IndexSection | None:
    if pages_refusal(viewer) is not None:
        return None
    records = records_visible_to(viewer).filter(cancelled_at__isnull=True).count()
    links = [
        _counted(
            "records",
            _("Hỗ trợ đã thực hiện"),
            reverse("support:records"),
            records,
            ngettext("{n} lần hỗ trợ", "{n} lần hỗ trợ", records),
        )
    ]
    if recording_refusal(viewer) is None:
        links.append(IndexLink("record_add", _("Ghi nhận hỗ trợ cho một hộ"), reverse("support:record_add")))
        links.append(IndexLink("upload", _("Nhập danh sách hỗ trợ từ Excel"), reverse("support:upload")))
    return IndexSection(
        "records",
        _("Hỗ trợ đã thực hiện"),
        _("Hỗ trợ đã đến với hộ nào, theo chính sách nào, ngày nào; đúng đối tượng được kiểm tra khi ghi."),
        links,
    )


def _coverage_section(viewer: User) -> IndexSection:
    links = [IndexLink("coverage", _("Độ bao phủ chính sách"), reverse("support:coverage"))]
    if pages_refusal(viewer) is None:
        ineligible = records_visible_to(viewer).filter(eligible=False, cancelled_at__isnull=True).count()
        links.append(IndexLink("gaps", _("Hộ có nhu cầu chưa được hỗ trợ"), reverse("support:coverage_gaps")))
        links.append(
            _counted(
                "ineligible",
                _("Hỗ trợ ngoài diện (có lý do cho phép)"),
                reverse("support:coverage_ineligible"),
                ineligible,
                ngettext("{n} lần hỗ trợ", "{n} lần hỗ trợ", ineligible),
            )
        )
    return IndexSection(
        "coverage",
        _("Độ bao phủ và nhu cầu"),
        _(
            "Tỷ lệ hộ, người thuộc diện đã được hỗ trợ theo từng chính sách, và những nhu cầu chưa "
            "được đáp ứng."
        ),
        links,
    )


def _helpers_section(viewer: User) -> IndexSection | None:
    links: list[IndexLink] = []
    if pages_refusal(viewer) is None:
        poor, helped = helper_counts(viewer=viewer)
        links.append(
            IndexLink(
                "helpers",
                _("Hộ nghèo và người giúp đỡ"),
                reverse("support:helpers"),
                helped,
                ngettext(
                    "{helped}/{poor} hộ nghèo có người giúp đỡ",
                    "{helped}/{poor} hộ nghèo có người giúp đỡ",
                    poor,
                ).format(helped=number(helped), poor=number(poor)),
            )
        )
        links.append(
            _counted(
                "without_helper",
                _("Hộ nghèo chưa có người giúp đỡ"),
                reverse("support:without_helper"),
                poor - helped,
                ngettext("{n} hộ", "{n} hộ", poor - helped),
            )
        )
    mine = my_assignments(user=viewer).count()
    if mine:
        links.append(
            _counted(
                "my_households",
                _("Hộ tôi giúp đỡ"),
                reverse("support:my_households"),
                mine,
                ngettext("{n} hộ", "{n} hộ", mine),
            )
        )
    if not links:
        return None
    return IndexSection(
        "helpers",
        _("Giúp đỡ hộ nghèo"),
        _("Người, đơn vị giúp đỡ từng hộ nghèo và các lần thăm hộ."),
        links,
    )


def _jobs_section(viewer: User) -> IndexSection:
    today = timezone.localdate()
    openings = openings_visible_to(viewer).filter(status=OpeningStatus.OPEN).count()
    links = [
        _counted(
            "openings",
            _("Việc làm cần tuyển"),
            reverse("support:openings"),
            openings,
            ngettext("{n} việc làm đang tuyển", "{n} việc làm đang tuyển", openings),
        )
    ]
    if pages_refusal(viewer) is None:
        seekers = seekers_visible_to(viewer).filter(status=SeekerStatus.SEEKING).count()
        links.append(
            _counted(
                "seekers",
                _("Người tìm việc"),
                reverse("support:seekers"),
                seekers,
                ngettext("{n} người đang tìm việc", "{n} người đang tìm việc", seekers),
            )
        )
    placed = placements_visible_to(viewer).filter(placed_on__year=today.year).count()
    links.append(
        IndexLink(
            "placement_rate",
            _("Tỷ lệ có việc làm"),
            reverse("support:placement_rate"),
            placed,
            ngettext(
                "{n} người nhận việc trong năm {year}", "{n} người nhận việc trong năm {year}", placed
            ).format(n=number(placed), year=today.year),
        )
    )
    return IndexSection(
        "jobs",
        _("Kết nối việc làm"),
        _("Người lao động của hộ nghèo, hộ cận nghèo tìm việc; việc làm trong nước và ở nước ngoài."),
        links,
    )


def index_sections(viewer: User) -> list[IndexSection]:
    """The sections of the landing page for ``viewer``, with only the links they may open. An account
    without a role (a helper from outside the administration) sees its own households only."""
    if not _has_role(viewer):
        helpers = _helpers_section(viewer)
        return [helpers] if helpers is not None else []
    sections = [
        _policies_section(viewer),
        _records_section(viewer),
        _coverage_section(viewer),
        _helpers_section(viewer),
        _jobs_section(viewer),
    ]
    return [section for section in sections if section is not None and section.links]


@login_required
@require_safe
def support_index(request: HttpRequest) -> HttpResponse:
    """Hỗ trợ: the support pages the viewer may open, with their counts."""
    user = request.user
    assert isinstance(user, User)  # login_required
    reason = index_refusal(user)
    if reason is not None:
        return render(request, "support/index.html", {"reason": reason, "sections": []}, status=403)
    context = {"sections": index_sections(user), "households_note": pages_refusal(user) or ""}
    return render(request, "support/index.html", context)
