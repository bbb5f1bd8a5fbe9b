"""Documents (văn bản, biểu mẫu): PDF certificates and posting lists, Excel lists, the Phiếu B workbook.

Framework-free: plain dataclasses, Polars frames and bytes in and out; no Django, no database. Callers
(the registry and review apps) choose what to print and check who may see it; this package only lays it
out. Public API::

    from giamngheo.documents import (
        certificate_pdf, posting_list_pdf,       # pdf.py
        list_xlsx,                               # xlsx.py
        survey_template, survey_parse,           # survey_workbook.py
    )
"""

from __future__ import annotations

from giamngheo.documents.pdf import (
    CLASS_LABELS,
    Certificate,
    CertificateMember,
    PostingList,
    PostingRow,
    certificate_pdf,
    posting_list_pdf,
)
from giamngheo.documents.survey_workbook import (
    SurveyBatch,
    SurveyWorkbookError,
    TemplateHousehold,
    TemplateMember,
    survey_parse,
    survey_template,
)
from giamngheo.documents.xlsx import Column, list_xlsx

__all__ = [
    "CLASS_LABELS",
    "Certificate",
    "CertificateMember",
    "Column",
    "PostingList",
    "PostingRow",
    "SurveyBatch",
    "SurveyWorkbookError",
    "TemplateHousehold",
    "TemplateMember",
    "certificate_pdf",
    "list_xlsx",
    "posting_list_pdf",
    "survey_parse",
    "survey_template",
]
