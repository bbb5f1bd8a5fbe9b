"""Demo data for accounts (dữ liệu mẫu): the demo users that ``manage.py load_demo`` creates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from giamngheo.accounts.models import Role, User
from giamngheo.accounts.services import user_create

DEMO_PASSWORD = "giamngheo-demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    is_superuser: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "Quản trị viên", Role.SYSTEM_ADMIN, is_superuser=True),
    DemoUser("tinh", "Trần Thị Hoa", Role.PROVINCE_OFFICER),
    DemoUser("xa", "Lê Văn Bình", Role.COMMUNE_OFFICER),
    DemoUser("lanhdao", "Phạm Minh Đức", Role.LEADER),
)


def demo_users_load(*, write: Callable[[str], None]) -> None:
    """Create the demo users that are missing; leave existing accounts untouched. Idempotent."""
    created = []
    for demo in DEMO_USERS:
        if User.objects.filter(username=demo.username).exists():
            continue
        user_create(
            username=demo.username,
            password=DEMO_PASSWORD,
            role=demo.role,
            full_name=demo.full_name,
            is_superuser=demo.is_superuser,
            actor=None,
        )
        created.append(demo.username)
    write(f"Users: {len(created)} created, {len(DEMO_USERS) - len(created)} already there.")


def demo_logins_table() -> str:
    """The demo logins as a small text table (shown by ``load_demo`` and ``make run``)."""
    rows = [("Tên đăng nhập / Login", "Mật khẩu / Password", "Vai trò / Role")]
    for demo in DEMO_USERS:
        role = f"{demo.role.label} ({demo.role.value}{', superuser' if demo.is_superuser else ''})"
        rows.append((demo.username, DEMO_PASSWORD, role))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
