"""The village forms: the optional "xã cũ" select, its choices, its preselection and when it is hidden."""

from __future__ import annotations

import pytest

from giamngheo.geo.forms import FormerCommuneField, VillageCreateForm, VillageUpdateForm
from giamngheo.geo.models import Level, UnitMapping
from tests.geo.conftest import Territory
from tests.geo.factories import commune_factory, old_unit_factory, village_factory

pytestmark = pytest.mark.django_db

HELP = (
    "Xã (trước sắp xếp ngày 01/07/2025) mà thôn này thuộc về; dùng để tổng hợp biểu báo cáo cấp huyện "
    "của các năm trước."
)


def test_the_choices_are_the_former_communes_with_district_and_province(territory: Territory) -> None:
    t = territory
    form = VillageCreateForm(commune=t.c1)

    field = form.fields["former_commune"]
    assert isinstance(field, FormerCommuneField)
    assert str(field.label) == "Xã cũ (trước 01/07/2025)"
    assert str(field.help_text) == HELP
    assert not field.required
    assert [(str(option.data["value"]), option.choice_label) for option in form["former_commune"]] == [
        ("", "— Chưa xác định —"),
        (str(t.o1.pk), "Xã Cũ Một, huyện Cũ, tỉnh Cũ"),
        (str(t.o2.pk), "Thị trấn Cũ Hai, huyện Cũ, tỉnh Cũ"),
    ]
    assert "former_commune" not in form.initial  # two former communes: nothing preselected
    html = form.as_p()
    assert "Xã Cũ Một, huyện Cũ, tỉnh Cũ" in html and "Xã Cũ Ba" not in html


def test_a_commune_made_of_one_former_commune_has_it_preselected(territory: Territory) -> None:
    t = territory
    island = old_unit_factory(code="951", level=Level.DISTRICT, parent=t.old_p, name="Huyện Đảo Cũ")
    UnitMapping.objects.create(old_unit=island, new_unit=t.c2, province_code="97", source="thử")

    form = VillageCreateForm(commune=t.c2)  # o2, and an island district that is no commune

    assert form.initial["former_commune"] == t.o2.pk
    assert f'<option value="{t.o2.pk}" selected>' in str(form["former_commune"])


def test_the_field_is_left_out_when_the_commune_has_no_former_commune(territory: Territory) -> None:
    new = commune_factory(province=territory.p, code="97009", name="Xã Mới")
    village = village_factory(commune=new, name="Thôn 1")

    assert "former_commune" not in VillageCreateForm(commune=new).fields
    update = VillageUpdateForm({"name": "Thôn Một", "kind": "thon"}, village=village)
    assert "former_commune" not in update.fields
    assert update.is_valid()
    assert "former_commune" not in update.cleaned_data  # the view then keeps the village's value


def test_the_update_form_starts_from_the_villages_former_commune_and_refuses_another(
    territory: Territory,
) -> None:
    t = territory
    t.v1.former_commune = t.o2
    t.v1.save(update_fields=["former_commune"])

    form = VillageUpdateForm(village=t.v1)
    assert form.initial["former_commune"] == t.o2.pk
    assert f'<option value="{t.o2.pk}" selected>' in str(form["former_commune"])

    cleared = VillageUpdateForm({"name": "Thôn 1", "kind": "thon", "former_commune": ""}, village=t.v1)
    assert cleared.is_valid()
    assert cleared.cleaned_data["former_commune"] is None
    wrong = VillageUpdateForm({"name": "Thôn 1", "kind": "thon", "former_commune": t.o3.pk}, village=t.v1)
    assert not wrong.is_valid()
    assert wrong.errors["former_commune"] == ["Hãy chọn một xã cũ trong danh sách."]
