"""Territorial scope of a viewer (phạm vi địa bàn): the one place where territory is decided.

Every selector that lists objects for a user starts from ``units_visible_to(viewer)`` or
``villages_visible_to(viewer)`` (architecture principle 5). Each returns a lazy queryset built from
subqueries, so it costs one SQL query when evaluated, or none when used inside another filter
(``Household.objects.filter(unit__in=units_visible_to(viewer))``).

What each role sees, from its scope rows (``UserScope``):

- system administrator (and a superuser): everything;
- province officer, leader: the assigned province(s);
- commune officer: the assigned commune(s);
- agency viewer: the assigned province(s) and commune(s);
- village surveyor: the assigned village(s); ``units_visible_to`` gives the communes containing them
  (so their names can be read), and the village-level restriction is applied by
  ``villages_visible_to``: a surveyor sees only their own villages, not the other villages of the
  commune.

"A province" means every unit whose ``province_code`` is the province's code, in every generation:
the 2025 province and its communes, and the pre-2025 province, districts and communes with the same
code. "A commune" means the commune itself. In both cases the pre-2025 communes that the old → new
mapping (``geo.UnitMapping``) sends into the province or commune are added, so that the history of a
merged province (Kon Tum, code 62, now in Quảng Ngãi, 51) stays visible. A scope row that does not fit
the role grants nothing; an inactive user, a user with no role and a user with no scope see nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from giamngheo.accounts.models import Role, User, UserScope
from giamngheo.geo.models import AdminUnit, Level, UnitMapping, Village

Viewer = User | AnonymousUser | None

# Which unit levels of a scope row count for a role (a village row counts only for a surveyor).
SCOPE_LEVELS_BY_ROLE: dict[str, tuple[str, ...]] = {
    Role.PROVINCE_OFFICER: (Level.PROVINCE,),
    Role.LEADER: (Level.PROVINCE,),
    Role.COMMUNE_OFFICER: (Level.COMMUNE,),
    Role.AGENCY_VIEWER: (Level.PROVINCE, Level.COMMUNE),
    Role.VILLAGE_SURVEYOR: (),
}


def sees_everything(viewer: Viewer) -> bool:
    """An active system administrator or superuser: no territorial restriction."""
    return (
        isinstance(viewer, User)
        and viewer.is_active
        and (viewer.is_superuser or viewer.role == Role.SYSTEM_ADMIN)
    )


def is_village_surveyor(viewer: Viewer) -> bool:
    """A village surveyor (not a superuser): sees only the households of their own villages."""
    return isinstance(viewer, User) and viewer.role == Role.VILLAGE_SURVEYOR and not viewer.is_superuser


def _scoped_user(viewer: Viewer) -> User | None:
    """The viewer if their territory comes from scope rows (active, with a scoped role), else ``None``."""
    if isinstance(viewer, User) and viewer.is_active and viewer.role in SCOPE_LEVELS_BY_ROLE:
        return viewer
    return None


def _scope_rows(user: User) -> QuerySet[UserScope]:
    return UserScope.objects.filter(user_id=user.pk)


def units_visible_to(viewer: Viewer) -> QuerySet[AdminUnit]:
    """The administrative units (all levels, all generations) the viewer may see.

    Includes each assigned unit itself. For a village surveyor: the communes of their villages only.
    See the module docstring for the rules.
    """
    if sees_everything(viewer):
        return AdminUnit.objects.all()
    user = _scoped_user(viewer)
    if user is None:
        return AdminUnit.objects.none()
    rows = _scope_rows(user)
    if user.role == Role.VILLAGE_SURVEYOR:
        return AdminUnit.objects.filter(
            pk__in=rows.filter(village__isnull=False).values("village__commune_id")
        )
    levels = SCOPE_LEVELS_BY_ROLE[user.role]
    condition = Q(pk__in=[])  # matches nothing; the branches below add what the role allows
    if Level.PROVINCE in levels:
        province_codes = rows.filter(unit__level=Level.PROVINCE).values("unit__code")
        condition |= Q(province_code__in=province_codes)
        condition |= Q(
            pk__in=UnitMapping.objects.filter(province_code__in=province_codes).values("old_unit_id")
        )
    if Level.COMMUNE in levels:
        commune_ids = rows.filter(unit__level=Level.COMMUNE).values("unit_id")
        condition |= Q(pk__in=commune_ids)
        condition |= Q(pk__in=UnitMapping.objects.filter(new_unit_id__in=commune_ids).values("old_unit_id"))
    return AdminUnit.objects.filter(condition)


def villages_visible_to(viewer: Viewer) -> QuerySet[Village]:
    """The villages (thôn, tổ dân phố …) the viewer may see.

    A village surveyor sees only the villages assigned to them; everyone else sees the villages of
    the communes in ``units_visible_to(viewer)``.
    """
    if sees_everything(viewer):
        return Village.objects.all()
    user = _scoped_user(viewer)
    if user is None:
        return Village.objects.none()
    if user.role == Role.VILLAGE_SURVEYOR:
        return Village.objects.filter(pk__in=_scope_rows(user).values("village_id"))
    return Village.objects.filter(commune__in=units_visible_to(user).filter(level=Level.COMMUNE))


def province_codes_visible_to(viewer: Viewer) -> set[str]:
    """The province codes (``province_code``, the distribution key) of the units the viewer may see.

    Meant for narrowing a query to the right provinces (shards) before the unit filter, never as a
    permission on its own: a commune officer gets their province's code but sees only the commune.
    One query.
    """
    if not sees_everything(viewer) and _scoped_user(viewer) is None:
        return set()
    codes = units_visible_to(viewer).order_by().values_list("province_code", flat=True).distinct()
    return set(codes)


@dataclass(frozen=True, slots=True)
class Territory:
    """The viewer's territory as concrete lists (phạm vi địa bàn, đọc sẵn), for filtering rows that belong
    to a 2025 commune and carry its ``province_code`` (households, members, events …) with conditions
    that use indexes. Built by ``territory_of``, by the same rules as ``units_visible_to`` /
    ``villages_visible_to``:

    - ``everything``: no restriction (system administrator, superuser);
    - ``province_codes``: provinces seen whole (every 2025 commune with that ``province_code``);
    - ``commune_ids``: communes seen one by one (commune scope rows; for a village surveyor, the
      communes of their villages), with ``commune_province_codes`` their provinces;
    - ``village_ids``: ``None`` when every village of the communes above is seen; else only these
      villages are (a village surveyor), with ``village_province_codes`` their provinces.

    Pre-2025 units (old communes mapped into a commune or province) are not listed: nothing that
    belongs to a 2025 commune points at them. For those, use ``units_visible_to``.
    """

    everything: bool = False
    province_codes: frozenset[str] = frozenset()
    commune_ids: frozenset[int] = frozenset()
    commune_province_codes: frozenset[str] = frozenset()
    village_ids: frozenset[int] | None = None
    village_province_codes: frozenset[str] = frozenset()

    @property
    def is_empty(self) -> bool:
        """Nothing at all is visible."""
        if self.everything:
            return False
        if self.village_ids is not None:
            return not self.village_ids
        return not (self.province_codes or self.commune_ids)

    @property
    def keys(self) -> frozenset[str]:
        """Every province code (distribution key) a visible row can carry; empty for ``everything``."""
        if self.village_ids is not None:
            return self.village_province_codes
        return self.province_codes | self.commune_province_codes


def territory_of(viewer: Viewer) -> Territory:
    """The viewer's territory as concrete lists (see ``Territory``): one small query (the viewer's scope
    rows), none for a system administrator or a viewer who sees nothing."""
    if sees_everything(viewer):
        return Territory(everything=True)
    user = _scoped_user(viewer)
    if user is None:
        return Territory()
    rows = _scope_rows(user).values_list(
        "unit_id",
        "unit__level",
        "unit__code",
        "unit__province_code",
        "village_id",
        "village__commune_id",
        "village__province_code",
    )
    if user.role == Role.VILLAGE_SURVEYOR:
        villages = [(pk, commune, code) for _, _, _, _, pk, commune, code in rows if pk is not None]
        return Territory(
            commune_ids=frozenset(commune for _, commune, _ in villages),
            commune_province_codes=frozenset(code for _, _, code in villages),
            village_ids=frozenset(pk for pk, _, _ in villages),
            village_province_codes=frozenset(code for _, _, code in villages),
        )
    levels = SCOPE_LEVELS_BY_ROLE[user.role]
    provinces: set[str] = set()
    communes: set[int] = set()
    commune_codes: set[str] = set()
    for unit_id, level, code, province_code, *_ in rows:
        if unit_id is None or level not in levels:
            continue
        if level == Level.PROVINCE:
            provinces.add(code)
        elif level == Level.COMMUNE:
            communes.add(unit_id)
            commune_codes.add(province_code)
    return Territory(
        province_codes=frozenset(provinces),
        commune_ids=frozenset(communes),
        commune_province_codes=frozenset(commune_codes),
    )
