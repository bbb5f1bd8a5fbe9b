"""Writes for the review. Each service runs in one durable transaction, checks the actor's territory
first (``accounts.permissions.ensure_can_edit``), enforces the order of the steps with a Vietnamese
reason, and leaves an audit row."""

from giamngheo.review.services.common import STALE_ROUND_MESSAGE, STALE_SURVEY_MESSAGE
from giamngheo.review.services.rounds import (
    application_record,
    latest_approved_classes,
    round_approve,
    round_classify,
    round_create,
    round_report,
)
from giamngheo.review.services.steps import (
    complaint_record,
    complaint_resolve,
    meeting_record,
    meeting_villages,
    posting_start,
    villages_passed,
)
from giamngheo.review.services.surveys import (
    BatchRejected,
    BatchSaved,
    RowError,
    causes_record,
    member_field,
    phieu_a_record,
    survey_batch_save,
    survey_save,
)

__all__ = [
    "STALE_ROUND_MESSAGE",
    "STALE_SURVEY_MESSAGE",
    "BatchRejected",
    "BatchSaved",
    "RowError",
    "application_record",
    "causes_record",
    "complaint_record",
    "complaint_resolve",
    "latest_approved_classes",
    "meeting_record",
    "meeting_villages",
    "member_field",
    "phieu_a_record",
    "posting_start",
    "round_approve",
    "round_classify",
    "round_create",
    "round_report",
    "survey_batch_save",
    "survey_save",
    "villages_passed",
]
