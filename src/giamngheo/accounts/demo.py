"""Demo data for accounts (dữ liệu mẫu): the demo users that ``manage.py load_demo`` creates, and
their territories (địa bàn) in the 2025 province of Quảng Ngãi (51), which since 1 July 2025 includes
the former Kon Tum province (62): the demo commune is Xã Đăk Kôi (23485), formerly of Kon Rẫy district."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from giamngheo.accounts.models import Role, User, UserScope
from giamngheo.accounts.services import user_create, user_scope_assign
from giamngheo.geo.models import AdminUnit, Generation, Level, Village, VillageKind
from giamngheo.geo.services import village_create

DEMO_PASSWORD = "giamngheo-demo"
DEMO_PROVINCE_CODE = "51"  # Quảng Ngãi (2025), which includes the former Kon Tum (62)
DEMO_COMMUNE_CODE = "23485"  # Xã Đăk Kôi, formerly in Kon Rẫy district of Kon Tum
DEMO_VILLAGE_CODE = "T01"
DEMO_VILLAGE_NAME = "Thôn 1"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    is_superuser: bool = False
    scope: str = ""  # "province", "commune" or "village": the demo unit of that level; "" for none
    area: str = ""  # shown in the logins table


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "Quản trị viên", Role.SYSTEM_ADMIN, is_superuser=True, area="Toàn quốc"),
    DemoUser("tinh", "Trần Thị Hoa", Role.PROVINCE_OFFICER, scope="province", area="Tỉnh Quảng Ngãi (51)"),
    DemoUser("xa", "Lê Văn Bình", Role.COMMUNE_OFFICER, scope="commune", area="Xã Đăk Kôi (23485)"),
    DemoUser("lanhdao", "Phạm Minh Đức", Role.LEADER, scope="province", area="Tỉnh Quảng Ngãi (51)"),
    DemoUser("thon", "Y Hương", Role.VILLAGE_SURVEYOR, scope="village", area="Thôn 1, Xã Đăk Kôi (23485)"),
    DemoUser("coquan", "Nguyễn Thị Lan", Role.AGENCY_VIEWER, scope="province", area="Tỉnh Quảng Ngãi (51)"),
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


def demo_scopes_load(*, write: Callable[[str], None]) -> None:
    """Give each demo user without a territory the demo one; create the demo village if missing.

    Runs after the 2025 units and the demo users (``load_demo`` STEPS). Skips a user whose role was
    changed by hand (their territory is theirs to set) and does nothing if the 2025 units are not
    loaded. Idempotent.
    """
    province = AdminUnit.objects.filter(
        generation=Generation.Y2025, level=Level.PROVINCE, code=DEMO_PROVINCE_CODE
    ).first()
    commune = AdminUnit.objects.filter(
        generation=Generation.Y2025, level=Level.COMMUNE, code=DEMO_COMMUNE_CODE
    ).first()
    if province is None or commune is None:
        write("Scopes: skipped, the 2025 units are not loaded.")
        return
    village = Village.objects.filter(commune=commune, code=DEMO_VILLAGE_CODE).first()
    if village is None:
        village = village_create(
            commune=commune, code=DEMO_VILLAGE_CODE, name=DEMO_VILLAGE_NAME, kind=VillageKind.THON, actor=None
        )
        write(f"Village: {village.name}, {commune.name} created.")
    targets: dict[str, dict[str, AdminUnit | Village]] = {
        "province": {"unit": province},
        "commune": {"unit": commune},
        "village": {"village": village},
    }
    assigned = 0
    for demo in DEMO_USERS:
        if not demo.scope:
            continue
        user = User.objects.filter(username=demo.username, role=demo.role).first()
        if user is None or UserScope.objects.filter(user=user).exists():
            continue
        user_scope_assign(user=user, actor=None, **targets[demo.scope])  # type: ignore[arg-type]
        assigned += 1
    write(f"Scopes: {assigned} assigned.")


def demo_logins_table() -> str:
    """The demo logins as a small text table (shown by ``load_demo`` and ``make run``)."""
    rows = [("Tên đăng nhập / Login", "Mật khẩu / Password", "Vai trò / Role", "Địa bàn / Area")]
    for demo in DEMO_USERS:
        role = f"{demo.role.label} ({demo.role.value}{', superuser' if demo.is_superuser else ''})"
        rows.append((demo.username, DEMO_PASSWORD, role, demo.area))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
