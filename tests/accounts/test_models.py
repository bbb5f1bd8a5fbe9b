import pytest
from django.core.exceptions import FieldDoesNotExist

from giamngheo.accounts.models import AuditEvent, Role, User


def test_user_has_one_full_name_field_instead_of_first_and_last_name() -> None:
    with pytest.raises(FieldDoesNotExist):
        User._meta.get_field("first_name")
    with pytest.raises(FieldDoesNotExist):
        User._meta.get_field("last_name")
    assert User._meta.get_field("full_name").max_length == 150


def test_full_name_falls_back_to_username() -> None:
    assert User(username="xa", full_name="  ").get_full_name() == "xa"
    assert User(username="xa", full_name="Lê Văn Bình").get_full_name() == "Lê Văn Bình"
    assert str(User(username="xa", full_name="Lê Văn Bình")) == "Lê Văn Bình"
    assert User(username="xa", full_name="Lê Văn Bình").get_short_name() == "Lê Văn Bình"


def test_roles_are_the_six_agreed_ones() -> None:
    assert Role.values == [
        "system_admin",
        "province_officer",
        "commune_officer",
        "village_surveyor",
        "agency_viewer",
        "leader",
    ]
    assert Role.VILLAGE_SURVEYOR.label == "Rà soát viên thôn"


def test_role_defaults_to_none_assigned() -> None:
    assert User(username="moi").role == ""


def test_audit_event_str() -> None:
    event = AuditEvent(action="user.created", target_type="accounts.user", target_id="7")
    assert str(event) == "user.created accounts.user:7"
