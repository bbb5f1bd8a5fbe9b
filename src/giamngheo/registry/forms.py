"""Forms of the household registry pages (sổ hộ): Vietnamese labels, errors on the field.

Forms parse and check what was typed; the services decide what is allowed and write. A service's
``ValidationError`` is put back on the form by :func:`giamngheo.site.forms.add_service_error`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamngheo.accounts.selectors import Viewer
from giamngheo.geo.models import AdminUnit, Village
from giamngheo.registry.birth_date import birth_date_problem
from giamngheo.registry.citizen_id import citizen_id_mismatch, validate_citizen_id_format
from giamngheo.registry.ethnicity import Ethnicity
from giamngheo.registry.models import Household, HouseholdArea, HouseholdStatus, Member, MemberStatus, Sex
from giamngheo.registry.selectors import (
    FLAG_FIELDS,
    NO_HEAD,
    HouseholdFilters,
    communes_visible_to,
    household_by_code,
    household_code_taken,
    household_villages_visible_to,
)
from giamngheo.registry.services import MEMBER_UPDATABLE_FIELDS, STALE_MEMBER_MESSAGE
from giamngheo.site.forms import DateField, NameChoiceField

RELATION_SUGGESTIONS = (
    "Chủ hộ",
    "Vợ",
    "Chồng",
    "Con",
    "Con dâu",
    "Con rể",
    "Cháu",
    "Bố",
    "Mẹ",
    "Ông",
    "Bà",
    "Anh",
    "Chị",
    "Em",
    "Khác",
)


def flag_choices() -> list[tuple[str, str]]:
    labels = {name: str(Household._meta.get_field(name).verbose_name) for name in FLAG_FIELDS}  # type: ignore[union-attr]
    return [*((name, labels[name].capitalize()) for name in FLAG_FIELDS), (NO_HEAD, _("Chưa có chủ hộ"))]


def _not_future(value: datetime.date | None, message: str) -> datetime.date | None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(message, code="future")
    return value


#: A commune (or any unit), labelled with its name.
CommuneChoiceField = NameChoiceField


class VillageChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Villages labelled with their commune when they may belong to several communes."""

    with_commune = True

    def label_from_instance(self, obj: Village) -> str:
        return f"{obj.name} — {obj.commune.name}" if self.with_commune else obj.name


def commune_filter() -> CommuneChoiceField:
    """A list's commune filter, "Tất cả" when none is chosen; the form offers the viewer's communes."""
    return CommuneChoiceField(
        label=gettext_lazy("Xã, phường"),
        queryset=AdminUnit.objects.none(),
        required=False,
        empty_label=gettext_lazy("Tất cả"),
    )


def village_filter() -> VillageChoiceField:
    """A list's village filter, "Tất cả" when none is chosen; the form offers the viewer's villages."""
    return VillageChoiceField(
        label=gettext_lazy("Thôn, tổ dân phố"),
        queryset=Village.objects.none(),
        required=False,
        empty_label=gettext_lazy("Tất cả"),
    )


class HouseholdFilterForm(forms.Form):
    """The filters of the household list (GET): search text, commune, village, status, flags."""

    q = forms.CharField(
        label=gettext_lazy("Tìm theo tên, số định danh hoặc mã hộ"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": gettext_lazy("Ví dụ: nguyen van a"),
                "autocomplete": "off",
            }
        ),
    )
    commune = commune_filter()
    village = village_filter()
    status = forms.ChoiceField(label=gettext_lazy("Tình trạng"), required=False)
    flags = forms.MultipleChoiceField(
        label=gettext_lazy("Đặc điểm hộ"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data: Any = None, *, viewer: Viewer) -> None:
        super().__init__(data)
        communes = communes_visible_to(viewer)
        villages = household_villages_visible_to(viewer)
        commune_field = self.fields["commune"]
        village_field = self.fields["village"]
        assert isinstance(commune_field, CommuneChoiceField)
        assert isinstance(village_field, VillageChoiceField)
        commune_field.queryset = communes
        # Choosing a commune reloads the village options (htmx), which then reloads the table; the
        # ``consume`` keeps the form from reloading the table before the village list is right.
        commune_field.widget.attrs.update(
            {
                "hx-get": reverse_lazy("registry:villages"),
                "hx-trigger": "change consume",
                "hx-target": "#id_village",
                "hx-include": "#id_village",
                "hx-sync": "closest form:replace",
            }
        )
        village_field.queryset = villages
        village_field.with_commune = communes.count() > 1
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("Tất cả")), *HouseholdStatus.choices]
        flags = self.fields["flags"]
        assert isinstance(flags, forms.MultipleChoiceField)
        flags.choices = flag_choices()
        # A village that is not in the chosen commune: ignored by ``filters()`` and named here.
        self.dropped_village: Village | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        commune: AdminUnit | None = data.get("commune")
        village: Village | None = data.get("village")
        if commune is not None and village is not None and village.commune_id != commune.pk:
            self.dropped_village = village
            data["village"] = None
        return data

    def _narrow_villages(self, commune: AdminUnit | None) -> None:
        """Offer only the villages of the chosen commune (labelled without the commune's name)."""
        if commune is None:
            return
        field = self.fields["village"]
        assert isinstance(field, VillageChoiceField)
        field.queryset = field.queryset.filter(commune=commune)  # type: ignore[union-attr]
        field.with_commune = False

    @property
    def dropped_village_message(self) -> str:
        """Why the village filter was ignored (a village not in the chosen commune), or ``""``."""
        village = self.dropped_village
        commune = getattr(self, "cleaned_data", {}).get("commune")
        if village is None or commune is None:
            return ""
        return _("{village} không thuộc {commune} nên danh sách không lọc theo thôn.").format(
            village=village.name, commune=commune.name
        )

    def village_options(self) -> list[tuple[str, str, bool]]:
        """``(value, label, selected)`` for the village ``<select>``: "Tất cả", then the villages offered
        (those of the chosen commune, when one is chosen and visible)."""
        self.filters()
        field = self.fields["village"]
        assert isinstance(field, VillageChoiceField)
        chosen = getattr(self, "cleaned_data", {}).get("village")
        options = [("", str(field.empty_label), chosen is None)]
        for village in field.queryset:  # type: ignore[union-attr]
            options.append((str(village.pk), field.label_from_instance(village), village == chosen))
        return options

    def filters(self) -> HouseholdFilters:
        """The valid filters (an invalid one, e.g. a commune outside the territory, is dropped; so is a
        village outside the chosen commune, see ``dropped_village``)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        self._narrow_villages(data.get("commune"))
        return HouseholdFilters(
            commune=data.get("commune"),
            village=data.get("village"),
            status=data.get("status") or "",
            flags=tuple(data.get("flags") or ()),
            query=data.get("q") or "",
        )


class _HouseholdFields(forms.Form):
    village = VillageChoiceField(
        label=gettext_lazy("Thôn, tổ dân phố"),
        queryset=Village.objects.none(),
        required=False,
        empty_label=gettext_lazy("— Không thuộc thôn nào —"),
    )
    address = forms.CharField(label=gettext_lazy("Địa chỉ"), max_length=255, required=False)
    phone = forms.CharField(label=gettext_lazy("Số điện thoại"), max_length=20, required=False)
    ethnic_minority = forms.BooleanField(label=gettext_lazy("Hộ dân tộc thiểu số"), required=False)
    meritorious_family = forms.BooleanField(label=gettext_lazy("Hộ người có công"), required=False)
    social_protection = forms.BooleanField(label=gettext_lazy("Hộ bảo trợ xã hội"), required=False)
    no_labour_capacity = forms.BooleanField(
        label=gettext_lazy("Hộ không có khả năng lao động"), required=False
    )

    def _set_villages(self, villages: QuerySet[Village], *, with_commune: bool) -> None:
        field = self.fields["village"]
        assert isinstance(field, VillageChoiceField)
        field.queryset = villages
        field.with_commune = with_commune

    def household_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in ("village", "address", "phone", *FLAG_FIELDS)
            if name in data  # every field is there once the form is valid
        }
        for name in ("address", "phone"):
            values[name] = (values.get(name) or "").strip()
        return values


class HouseholdCreateForm(_HouseholdFields):
    """Lập hộ mới: commune and village limited to the viewer's territory; area defaults from the commune."""

    field_order = ("commune", "village", "code", "address", "area", "phone")

    commune = CommuneChoiceField(
        label=gettext_lazy("Xã, phường, đặc khu"),
        queryset=AdminUnit.objects.none(),
        empty_label=gettext_lazy("— Chọn xã —"),
    )
    code = forms.CharField(label=gettext_lazy("Mã hộ"), max_length=32)
    area = forms.ChoiceField(
        label=gettext_lazy("Khu vực"),
        required=False,
        help_text=gettext_lazy(
            "Để trống thì lấy khu vực mặc định của xã (phường: thành thị, xã: nông thôn)."
        ),
    )

    def __init__(self, data: Any = None, *, viewer: Viewer, initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial)
        communes = communes_visible_to(viewer)
        field = self.fields["commune"]
        assert isinstance(field, CommuneChoiceField)
        field.queryset = communes
        if len(communes) == 1:
            self.initial.setdefault("commune", communes[0].pk)
        self._set_villages(household_villages_visible_to(viewer), with_commune=len(communes) > 1)
        area = self.fields["area"]
        assert isinstance(area, forms.ChoiceField)
        area.choices = [("", _("Theo xã (mặc định)")), *HouseholdArea.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        commune: AdminUnit | None = data.get("commune")
        village: Village | None = data.get("village")
        code = (data.get("code") or "").strip()
        if commune is not None and village is not None and village.commune_id != commune.pk:
            self.add_error(
                "village",
                _("{name} không thuộc {commune}.").format(name=village.name, commune=commune.name),
            )
        if commune is not None and code and household_code_taken(commune=commune, code=code):
            self.add_error(
                "code", _("Mã hộ {code} đã có ở {commune}.").format(code=code, commune=commune.name)
            )
        return data


class HouseholdEditForm(_HouseholdFields):
    """Sửa thông tin hộ: ``version`` comes back hidden, for optimistic locking."""

    field_order = ("version", "village", "address", "area", "phone")

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    area = forms.ChoiceField(label=gettext_lazy("Khu vực"), choices=HouseholdArea.choices)

    def __init__(self, data: Any = None, *, viewer: Viewer, household: Household) -> None:
        initial = {
            "version": household.version,
            "village": household.village_id,
            "address": household.address,
            "area": household.area,
            "phone": household.phone,
            **{name: getattr(household, name) for name in FLAG_FIELDS},
        }
        super().__init__(data, initial=initial)
        villages = household_villages_visible_to(viewer).filter(commune=household.commune)
        self._set_villages(villages, with_commune=False)

    def changes(self) -> dict[str, Any]:
        return {**self.household_values(), "area": self.cleaned_data["area"]}


class MemberAddForm(forms.Form):
    """Thêm nhân khẩu: the citizen ID is checked as in ``registry.citizen_id`` and errors go on it."""

    full_name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=150)
    sex = forms.ChoiceField(label=gettext_lazy("Giới tính"), choices=Sex.choices, widget=forms.RadioSelect)
    date_of_birth = DateField(label=gettext_lazy("Ngày sinh"), required=False)
    ethnicity = forms.ChoiceField(label=gettext_lazy("Dân tộc"), required=False)
    citizen_id = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("12 chữ số, in trên thẻ căn cước công dân. Để trống nếu chưa có."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 14}),
    )
    relation_to_head = forms.CharField(
        label=gettext_lazy("Quan hệ với chủ hộ"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"list": "relation-suggestions", "autocomplete": "off"}),
    )
    is_head = forms.BooleanField(label=gettext_lazy("Là chủ hộ"), required=False)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["ethnicity"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— Chọn dân tộc —")), *Ethnicity.choices]

    def clean_full_name(self) -> str:
        name = " ".join(str(self.cleaned_data["full_name"]).split())
        if not name:
            raise ValidationError(_("Hãy nhập họ và tên."))
        return name

    def clean_date_of_birth(self) -> datetime.date | None:
        born: datetime.date | None = self.cleaned_data.get("date_of_birth")
        problem = birth_date_problem(born, timezone.localdate())
        if problem is not None:
            code, message = problem
            raise ValidationError(message, code=code)
        return born

    def clean_citizen_id(self) -> str:
        value = "".join(str(self.cleaned_data.get("citizen_id") or "").split())
        if value:
            validate_citizen_id_format(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value = data.get("citizen_id")
        if value and "sex" in data and "date_of_birth" in data:
            reason = citizen_id_mismatch(value, sex=data["sex"], date_of_birth=data["date_of_birth"])
            if reason is not None:
                self.add_error("citizen_id", reason)
        return data


class MemberEditForm(MemberAddForm):
    """Sửa thông tin nhân khẩu: the fields of ``MemberAddForm`` but "là chủ hộ" (see "Đổi chủ hộ"),
    with the household's ``version`` and the member's ``household`` sent back hidden (optimistic locking,
    see ``services.member_update``). Without ``personal`` the citizen ID and date of birth are left out.
    """

    field_order = ("version", "household", "full_name", "sex", "date_of_birth", "ethnicity", "citizen_id")

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    household = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, data: Any = None, *, member: Member, household: Household, personal: bool) -> None:
        initial = {
            "version": household.version,
            "household": household.pk,
            "full_name": member.full_name,
            "sex": member.sex,
            "date_of_birth": member.date_of_birth,
            "ethnicity": member.ethnicity,
            "citizen_id": member.citizen_id or "",
            "relation_to_head": member.relation_to_head,
        }
        super().__init__(data, initial=initial)
        del self.fields["is_head"]
        if not personal:
            del self.fields["date_of_birth"]
            del self.fields["citizen_id"]
        self.member = member

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.has_error("household") and data.get("household") not in (None, self.member.household_id):
            raise ValidationError(STALE_MEMBER_MESSAGE, code="stale")
        return data

    def changes(self) -> dict[str, Any]:
        """The member's fields as typed (the service writes only what differs)."""
        data = self.cleaned_data
        return {name: data[name] for name in MEMBER_UPDATABLE_FIELDS if name in self.fields}

    def has_edits(self) -> bool:
        """Did the user change any visible field?"""
        return any(name not in ("version", "household") for name in self.changed_data)


def _present_members(household: Household) -> QuerySet[Member]:
    return household.members.filter(status=MemberStatus.PRESENT).order_by("pk")


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Member) -> str:
        relation = f" ({obj.relation_to_head})" if obj.relation_to_head else ""
        return f"{obj.full_name}{relation}"


class MemberMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Member) -> str:
        relation = f" ({obj.relation_to_head})" if obj.relation_to_head else ""
        return f"{obj.full_name}{relation}"


class SetHeadForm(forms.Form):
    """Đổi chủ hộ: choose among the present members."""

    member = MemberChoiceField(
        label=gettext_lazy("Chủ hộ mới"),
        queryset=Member.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, data: Any = None, *, household: Household) -> None:
        super().__init__(data, initial={"member": household.head_id})
        field = self.fields["member"]
        assert isinstance(field, MemberChoiceField)
        field.queryset = _present_members(household)


class _DatedForm(forms.Form):
    date = DateField(label=gettext_lazy("Ngày"))
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(data, **kwargs)

    def clean_date(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("date"), _("Ngày không thể ở tương lai."))


class MemberDeathForm(_DatedForm):
    """Ghi nhận nhân khẩu qua đời."""

    date = DateField(label=gettext_lazy("Ngày mất"))


class MemberMigrationForm(_DatedForm):
    """Ghi nhận nhân khẩu di cư (chuyển đi khỏi địa bàn)."""

    field_order = ("date", "destination", "note")

    date = DateField(label=gettext_lazy("Ngày chuyển đi"))
    destination = forms.CharField(
        label=gettext_lazy("Nơi chuyển đến"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("Ví dụ: đi làm ở Bình Dương."),
    )


class HouseholdMovedOutForm(_DatedForm):
    """Ghi nhận cả hộ chuyển đi khỏi xã."""

    date = DateField(label=gettext_lazy("Ngày chuyển đi"))


class _OtherHouseholdForm(forms.Form):
    """A form that names another household of the same commune by its code."""

    code_field = "code"

    def __init__(self, data: Any = None, *, viewer: Viewer, household: Household, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.viewer = viewer
        self.household = household
        self.other: Household | None = None

    def _find(self, code: str) -> Household:
        found = household_by_code(viewer=self.viewer, commune=self.household.commune, code=code)
        if found is None:
            raise ValidationError(
                _("Không tìm thấy hộ có mã {code} trong {commune}.").format(
                    code=code.strip(), commune=self.household.commune.name
                )
            )
        if found.pk == self.household.pk:
            raise ValidationError(_("Hãy nhập mã của một hộ khác."))
        self.other = found
        return found


class MemberMoveForm(_OtherHouseholdForm):
    """Chuyển nhân khẩu sang hộ khác trong cùng xã (tìm hộ theo mã)."""

    to_code = forms.CharField(
        label=gettext_lazy("Mã hộ chuyển đến"),
        max_length=32,
        help_text=gettext_lazy("Mã của một hộ cùng xã."),
    )
    relation_to_head = forms.CharField(
        label=gettext_lazy("Quan hệ với chủ hộ mới"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"list": "relation-suggestions", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_to_code(self) -> str:
        code = str(self.cleaned_data["to_code"])
        self._find(code)
        return code


class HouseholdMergeForm(_OtherHouseholdForm):
    """Nhập hộ này vào một hộ khác cùng xã (tìm hộ theo mã)."""

    into_code = forms.CharField(
        label=gettext_lazy("Nhập vào hộ có mã"),
        max_length=32,
        help_text=gettext_lazy("Mã của một hộ cùng xã. Chủ hộ của hộ đó giữ nguyên."),
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_into_code(self) -> str:
        code = str(self.cleaned_data["into_code"])
        self._find(code)
        return code


class HouseholdSplitForm(forms.Form):
    """Tách hộ: who leaves, who heads the new household, its code and village."""

    members = MemberMultipleChoiceField(
        label=gettext_lazy("Những người tách ra hộ mới"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    new_head = MemberChoiceField(
        label=gettext_lazy("Chủ hộ của hộ mới"),
        queryset=Member.objects.none(),
        empty_label=gettext_lazy("— Chọn chủ hộ mới —"),
    )
    new_code = forms.CharField(label=gettext_lazy("Mã hộ mới"), max_length=32)
    village = VillageChoiceField(
        label=gettext_lazy("Thôn của hộ mới"),
        queryset=Village.objects.none(),
        required=False,
        empty_label=gettext_lazy("— Không thuộc thôn nào —"),
    )
    address = forms.CharField(
        label=gettext_lazy("Địa chỉ hộ mới"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Để trống thì dùng địa chỉ của hộ cũ."),
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, data: Any = None, *, viewer: Viewer, household: Household) -> None:
        super().__init__(data, initial={"village": household.village_id})
        self.household = household
        present = _present_members(household)
        members = self.fields["members"]
        head = self.fields["new_head"]
        village = self.fields["village"]
        assert isinstance(members, MemberMultipleChoiceField)
        assert isinstance(head, MemberChoiceField)
        assert isinstance(village, VillageChoiceField)
        members.queryset = present
        head.queryset = present
        village.queryset = household_villages_visible_to(viewer).filter(commune=household.commune)
        village.with_commune = False

    def clean_new_code(self) -> str:
        code = str(self.cleaned_data["new_code"]).strip()
        if household_code_taken(commune=self.household.commune, code=code):
            raise ValidationError(
                _("Mã hộ {code} đã có ở {commune}.").format(code=code, commune=self.household.commune.name)
            )
        return code
