"""Forms of the review pages. They parse input; every rule is checked by the services (and the facts by
``standards.validate_facts``), whose errors are put back on the fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from giamngheo.geo.models import AdminUnit
from giamngheo.registry.models import Member
from giamngheo.review.frames import HOUSEHOLD_FACT_NAMES, MEMBER_FACT_NAMES
from giamngheo.review.models import ApplicationKind, RoundKind
from giamngheo.review.procedure import procedure
from giamngheo.review.services.surveys import member_field
from giamngheo.site.standards.presentation import fact_label
from giamngheo.standards import Fact
from giamngheo.standards.facts import HOUSEHOLD_FACTS_BY_NAME, MEMBER_FACTS_BY_NAME

DATE_INPUT: Final = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Phiếu B in the paper form's order: household section first, then one row per member.
HOUSEHOLD_SECTIONS: Final = (
    (_("Khu vực và thu nhập"), ("area", "income_12m", "income_score")),
    (_("Nhà ở"), ("has_dwelling", "durable_main_parts", "floor_area_m2")),
    (_("Nước sinh hoạt và vệ sinh"), ("water_source", "latrine_type", "waste_disposal")),
    (
        _("Tiếp cận thông tin"),
        (
            "uses_internet",
            "uses_telephone",
            "has_tv",
            "has_radio",
            "has_computer",
            "has_smartphone",
            "hears_loudspeaker",
        ),
    ),
    (_("Y tế"), ("ill_member_untreated",)),
)
MEMBER_COLUMNS: Final = (
    "age",
    "sex",
    "has_labour_capacity",
    "employment",
    "has_health_insurance",
    "stunted",
    "underweight",
    "school_attendance",
    "general_education",
    "vocational_qualification",
    "enterprise_trained",
)
assert sorted(n for _s, names in HOUSEHOLD_SECTIONS for n in names) == sorted(HOUSEHOLD_FACT_NAMES)
assert sorted(MEMBER_COLUMNS) == sorted(MEMBER_FACT_NAMES)

_BOOLEAN_CHOICES: Final = [("", "—"), ("true", _("Có")), ("false", _("Không"))]


def _fact_field(fact: Fact, *, compact: bool = False) -> forms.Field:
    label = fact_label(fact)
    attrs = {"class": "compact"} if compact else {}
    if fact.allowed:
        choices = [("", "—"), *zip(fact.allowed, fact.allowed_labels_vi, strict=True)]
        return forms.ChoiceField(
            label=label, choices=choices, required=False, widget=forms.Select(attrs=attrs)
        )
    if fact.is_integer:
        return forms.IntegerField(
            label=label,
            required=False,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "numeric", **attrs}),
        )
    if fact.dtype.is_float():
        return forms.FloatField(
            label=label,
            required=False,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal", **attrs}),
        )
    return forms.TypedChoiceField(
        label=label,
        choices=_BOOLEAN_CHOICES,
        required=False,
        coerce=lambda v: v == "true",
        empty_value=None,
        widget=forms.Select(attrs=attrs),
    )


def _initial(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class SurveyForm(forms.Form):
    """Phiếu B for one household: household facts, then the member facts, one row per member.

    Member fields are named ``m-<index>-<fact>`` (the keys of the service's errors); the members come
    from the registry, never from the form.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        members: Sequence[Member],
        household_facts: Mapping[str, Any] | None = None,
        member_facts: Sequence[Mapping[str, Any]] = (),
        version: int = 0,
    ) -> None:
        stored = {m.get("member_id"): m for m in member_facts}
        initial: dict[str, Any] = {"version": version}
        initial.update({k: _initial(v) for k, v in (household_facts or {}).items()})
        for index, member in enumerate(members):
            for name, value in stored.get(member.pk, {}).items():
                initial[member_field(index, name)] = _initial(value)
        super().__init__(data, initial=initial)
        self.members = list(members)
        for name in HOUSEHOLD_FACT_NAMES:
            self.fields[name] = _fact_field(HOUSEHOLD_FACTS_BY_NAME[name])
        for index in range(len(self.members)):
            for name in MEMBER_COLUMNS:
                self.fields[member_field(index, name)] = _fact_field(MEMBER_FACTS_BY_NAME[name], compact=True)

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(title), [self[name] for name in names]) for title, names in HOUSEHOLD_SECTIONS]

    def member_rows(self) -> list[tuple[Member, list[forms.BoundField]]]:
        return [
            (member, [self[member_field(index, name)] for name in MEMBER_COLUMNS])
            for index, member in enumerate(self.members)
        ]

    @staticmethod
    def member_headers() -> list[str]:
        return [fact_label(MEMBER_FACTS_BY_NAME[name]) for name in MEMBER_COLUMNS]

    def facts(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """(household facts, member facts) from the cleaned data, empty values left out."""
        data = self.cleaned_data
        household = {n: data[n] for n in HOUSEHOLD_FACT_NAMES if data.get(n) not in (None, "")}
        members = []
        for index, member in enumerate(self.members):
            row: dict[str, Any] = {"member_id": member.pk}
            for name in MEMBER_COLUMNS:
                value = data.get(member_field(index, name))
                if value not in (None, ""):
                    row[name] = value
            members.append(row)
        return household, members

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)


class PhieuAForm(forms.Form):
    """Phiếu A: one yes/no answer per question of the procedure file."""

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, answers: Mapping[str, bool] | None = None
    ) -> None:
        initial = {k: ("true" if v else "false") for k, v in (answers or {}).items()}
        super().__init__(data, initial=initial)
        for question in procedure().phieu_a.questions:
            self.fields[question.id] = forms.TypedChoiceField(
                label=question.vi,
                choices=[("true", _("Có")), ("false", _("Không"))],
                coerce=lambda v: v == "true",
                widget=forms.RadioSelect,
                error_messages={"required": _("Chưa trả lời câu hỏi này.")},
            )


class RoundCreateForm(forms.Form):
    commune = forms.ModelChoiceField(queryset=AdminUnit.objects.none(), label=_("Xã, phường"))
    kind = forms.ChoiceField(choices=RoundKind.choices, label=_("Loại rà soát"))
    year = forms.IntegerField(label=_("Năm"), min_value=2022, max_value=2100)
    month = forms.IntegerField(
        label=_("Tháng (rà soát thường xuyên)"), min_value=1, max_value=12, required=False
    )
    reference_date = forms.DateField(
        label=_("Ngày rà soát (định kỳ)"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Ngày chọn chuẩn nghèo và tính tuổi nhân khẩu; để trống: ngày 01/9."),
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, communes: Any, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["commune"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = communes


class MeetingForm(forms.Form):
    village = forms.TypedChoiceField(label=_("Thôn"), coerce=int, empty_value=None, required=False)
    held_on = forms.DateField(label=_("Ngày họp"), widget=DATE_INPUT)
    chair = forms.CharField(label=_("Người chủ trì"), max_length=150)
    attendees = forms.IntegerField(label=_("Số người tham dự"), min_value=1)
    agreeing = forms.IntegerField(label=_("Số người đồng ý"), min_value=0)
    minutes = forms.CharField(
        label=_("Tóm tắt biên bản"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, villages: Sequence[tuple[Any, str]], **kw: Any
    ) -> None:
        super().__init__(data, **kw)
        field = self.fields["village"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("" if v is None else v, name) for v, name in villages]


class PostingForm(forms.Form):
    start_date = forms.DateField(label=_("Niêm yết từ ngày"), widget=DATE_INPUT)
    places = forms.CharField(
        label=_("Địa điểm niêm yết (mỗi dòng một nơi)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ApproveForm(forms.Form):
    on = forms.DateField(label=_("Ngày phê duyệt"), widget=DATE_INPUT)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ComplaintForm(forms.Form):
    complainant = forms.CharField(label=_("Người khiếu nại"), max_length=150)
    received_on = forms.DateField(label=_("Ngày nhận"), widget=DATE_INPUT)
    household_code = forms.CharField(label=_("Mã hộ bị khiếu nại (nếu có)"), max_length=32, required=False)
    content = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}))


class ComplaintResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Cách giải quyết"),
        choices=[
            ("resurvey", _("Phúc tra (mở lại Phiếu B)")),
            ("resolved", _("Đã giải quyết")),
            ("rejected", _("Không chấp nhận")),
        ],
    )
    resolution = forms.CharField(
        label=_("Kết quả giải quyết"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ApplicationForm(forms.Form):
    household_code = forms.CharField(label=_("Mã hộ"), max_length=32)
    kind = forms.ChoiceField(label=_("Nội dung đề nghị"), choices=ApplicationKind.choices)
    applied_on = forms.DateField(label=_("Ngày nộp"), widget=DATE_INPUT)


class CausesForm(forms.Form):
    causes = forms.MultipleChoiceField(
        label=_("Nguyên nhân nghèo"), required=False, widget=forms.CheckboxSelectMultiple
    )
    support_needs = forms.MultipleChoiceField(
        label=_("Nhu cầu hỗ trợ"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        rules = procedure()
        causes, needs = self.fields["causes"], self.fields["support_needs"]
        assert isinstance(causes, forms.MultipleChoiceField) and isinstance(needs, forms.MultipleChoiceField)
        causes.choices = [(i.id, i.vi) for i in rules.causes.items]
        needs.choices = [(i.id, i.vi) for i in rules.support_needs.items]
