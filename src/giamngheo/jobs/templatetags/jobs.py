"""``{% load jobs %}``: the start button of a background job, for any page.

    {% job_start_button "registry.household_list_xlsx" params label=_("Xuất Excel") %}

posts ``kind`` and ``params`` (a dict, sent as JSON) to ``jobs:start``, which submits the job for the
signed-in user and redirects to its progress page.
"""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder

register = template.Library()


@register.inclusion_tag("jobs/_start_button.html", takes_context=True)
def job_start_button(
    context: template.Context, kind: str, params: dict[str, Any] | None = None, label: str = ""
) -> dict[str, Any]:
    return {
        "kind": kind,
        "params_json": json.dumps(params or {}, cls=DjangoJSONEncoder),
        "label": label,
        "csrf_token": context.get("csrf_token"),
    }
