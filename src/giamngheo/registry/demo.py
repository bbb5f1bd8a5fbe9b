"""Demo households (sổ hộ mẫu) for ``manage.py load_demo``: a realistic synthetic Quảng Ngãi (51).

Quảng Ngãi of 2025 includes the former Kon Tum province (62). The demo uses ten of its communes
(:data:`DEMO_COMMUNES`): five mountain communes, mostly ethnic minority (Xơ Đăng, Ba Na, Giẻ Triêng of
former Kon Tum; Hrê of Ba Tơ), and five lowland or coastal ones of former Quảng Ngãi, three of them
wards (phường, urban). Each gets 4-8 villages (thôn, or tổ dân phố in a ward) and its share of the
households.

Two layers:

- :func:`demo_population` is pure (no database): it draws the households and members with
  ``giamngheo.synth.generate_frames`` (household size, age, sex, labour capacity and every other fact of
  the engine's schema), spreads them over the communes (the poorest rural households go preferably to
  the mountain communes), and adds what the registry needs: household codes, ethnicity, Vietnamese names,
  dates of birth consistent with the ages on :data:`REFERENCE_DATE`, citizen IDs that pass
  ``registry.citizen_id`` (plus a few deliberate duplicates, so the duplicate warning shows), relation
  to the head and the household flags. Same arguments → same frames. The frames keep the synthetic
  facts, so a later demo step (review rounds) can classify the very same households.
- :func:`demo_households_load` writes them (the ``load_demo`` step): villages through
  ``geo.services.village_create`` (spread over the commune's pre-2025 communes), then households,
  members and one "created" event per household with ``bulk_create`` in one transaction, and a single
  audit row for the whole load (per-row services would audit 100,000 writes and take minutes).
  Idempotent: nothing happens if the province already has households.

Assumptions of the generation (not rules): the flags ``no_labour_capacity`` (no member aged 15-59
with labour capacity), ``social_protection`` and ``meritorious_family`` are drawn with plausible
frequencies; names are drawn from common Vietnamese and local minority names; no phone numbers are
made up (a random number could be somebody's real one).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

import numpy as np
import polars as pl
from django.db import connection, models, transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone

from giamngheo.accounts.services import audit_record
from giamngheo.geo.models import AdminUnit, Area, Generation, Level, Village, VillageKind
from giamngheo.geo.selectors import village_former_communes
from giamngheo.geo.services import village_create, village_update
from giamngheo.registry.ethnicity import Ethnicity
from giamngheo.registry.models import (
    EventKind,
    Household,
    HouseholdEvent,
    Member,
)
from giamngheo.registry.text import fold
from giamngheo.site.bulk import insert_rows
from giamngheo.synth import generate_frames

DEMO_PROVINCE_CODE: Final = "51"
DEMO_SEED: Final = 2025
DEMO_HOUSEHOLDS: Final = 20_000
#: Ages are ages on this day (the demo's "today" for the registry), dates of birth follow from it.
REFERENCE_DATE: Final = datetime.date(2025, 10, 1)
#: Children born from this day on are registered in the new (merged) province: its code is the prefix.
MERGER_DATE: Final = datetime.date(2025, 7, 1)
DEMO_AUDIT_ACTION: Final = "registry.demo_loaded"
DEMO_EVENT_NOTE: Final = "Dữ liệu mẫu"
HEAD_RELATION: Final = "Chủ hộ"
ADULT_AGE: Final = 18
#: Working age used to draw the ``no_labour_capacity`` flag (generation assumption, see the docstring).
WORKING_AGE: Final = (15, 60)
#: Share of members without a recorded citizen ID.
MISSING_ID_RATE: Final = 0.02
_SALT: Final = 0xDE70

Weights = tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class CommunePlan:
    """One commune of the synthetic province and how its population is drawn.

    ``weight`` is its share of the households; ``minority_share`` the share of ethnic-minority
    households, of the groups ``minority_groups`` (``Ethnicity`` codes, weights); ``home_prefix`` the
    citizen-ID prefix (province of birth registration, TT 59/2021/TT-BCA Điều 7) of people born there;
    ``migrant_share`` the share of Kinh households whose adults were born elsewhere, with prefixes
    ``migrant_prefixes``.
    """

    code: str
    name: str
    urban: bool
    mountain: bool
    weight: float
    villages: int
    minority_share: float
    minority_groups: Weights
    home_prefix: str
    migrant_share: float
    migrant_prefixes: Weights

    def village_specs(self) -> list[tuple[str, str, VillageKind]]:
        """Code, name and kind of its villages: ``T01`` "Thôn 1" …, or ``TDP01`` "Tổ dân phố 1" in a ward."""
        if self.urban:
            return [
                (f"TDP{k:02d}", f"Tổ dân phố {k}", VillageKind.TO_DAN_PHO)
                for k in range(1, self.villages + 1)
            ]
        return [(f"T{k:02d}", f"Thôn {k}", VillageKind.THON) for k in range(1, self.villages + 1)]


E = Ethnicity
_KON_TUM_MIGRANTS: Weights = (
    ("051", 0.25),  # Quảng Ngãi
    ("040", 0.20),  # Nghệ An
    ("042", 0.15),  # Hà Tĩnh
    ("038", 0.10),  # Thanh Hóa
    ("052", 0.10),  # Bình Định
    ("034", 0.10),  # Thái Bình
    ("049", 0.10),  # Quảng Nam
)
_QUANG_NGAI_MIGRANTS: Weights = (
    ("049", 0.30),  # Quảng Nam
    ("052", 0.20),  # Bình Định
    ("048", 0.15),  # Đà Nẵng
    ("079", 0.10),  # TP Hồ Chí Minh
    ("040", 0.10),  # Nghệ An
    ("062", 0.10),  # Kon Tum
    ("001", 0.05),  # Hà Nội
)
_CITY_MINORITIES: Weights = ((E.HRE.value, 0.6), (E.HOA.value, 0.25), (E.CO.value, 0.15))

# The ten demo communes, chosen by name: the unit data (vietnam-provinces) say neither which former
# province or district a 2025 commune comes from nor whether it is in the mountains. Codes 23xxx are
# former Kon Tum (62), 21xxx former Quảng Ngãi. Mountain: Đăk Kôi (the demo commune) and Đăk Rve
# (former Kon Rẫy district), Măng Đen (former Kon Plông), Xốp (former Đăk Glei), Ba Tơ (former Ba Tơ
# district of Quảng Ngãi, mostly Hrê). Lowland and coast: the wards Cẩm Thành and Nghĩa Lộ (former
# Quảng Ngãi city) and Sa Huỳnh (coast, former Đức Phổ), the communes Tịnh Khê (coast) and Mộ Đức.
# Weights give the wards about the urban share of the synthetic province (18 %); the ethnic shares
# are rough orders of magnitude, not statistics.
DEMO_COMMUNES: Final[tuple[CommunePlan, ...]] = (
    CommunePlan(
        "23485", "Xã Đăk Kôi", False, True, 0.07, 6, 0.90,
        ((E.BA_NA.value, 0.6), (E.XO_DANG.value, 0.4)), "062", 0.45, _KON_TUM_MIGRANTS,
    ),
    CommunePlan(
        "23479", "Xã Đăk Rve", False, True, 0.11, 7, 0.65,
        ((E.XO_DANG.value, 0.6), (E.BA_NA.value, 0.4)), "062", 0.45, _KON_TUM_MIGRANTS,
    ),
    CommunePlan(
        "23473", "Xã Măng Đen", False, True, 0.13, 8, 0.60,
        ((E.XO_DANG.value, 0.85), (E.BA_NA.value, 0.15)), "062", 0.45, _KON_TUM_MIGRANTS,
    ),
    CommunePlan(
        "23356", "Xã Xốp", False, True, 0.09, 5, 0.95,
        ((E.XO_DANG.value, 0.75), (E.GIE_TRIENG.value, 0.25)), "062", 0.45, _KON_TUM_MIGRANTS,
    ),
    CommunePlan(
        "21484", "Xã Ba Tơ", False, True, 0.12, 7, 0.80,
        ((E.HRE.value, 0.95), (E.CO.value, 0.05)), "051", 0.08, _QUANG_NGAI_MIGRANTS,
    ),
    CommunePlan(
        "21025", "Phường Cẩm Thành", True, False, 0.08, 8, 0.01,
        _CITY_MINORITIES, "051", 0.12, _QUANG_NGAI_MIGRANTS,
    ),
    CommunePlan(
        "21028", "Phường Nghĩa Lộ", True, False, 0.06, 6, 0.01,
        _CITY_MINORITIES, "051", 0.12, _QUANG_NGAI_MIGRANTS,
    ),
    CommunePlan(
        "21478", "Phường Sa Huỳnh", True, False, 0.04, 4, 0.01,
        ((E.HRE.value, 1.0),), "051", 0.06, _QUANG_NGAI_MIGRANTS,
    ),
    CommunePlan(
        "21211", "Xã Tịnh Khê", False, False, 0.13, 7, 0.005,
        ((E.HRE.value, 1.0),), "051", 0.05, _QUANG_NGAI_MIGRANTS,
    ),
    CommunePlan(
        "21400", "Xã Mộ Đức", False, False, 0.17, 8, 0.01,
        ((E.HRE.value, 1.0),), "051", 0.05, _QUANG_NGAI_MIGRANTS,
    ),
)  # fmt: skip

# --- names ----------------------------------------------------------------------------------------
# Naming styles: Kinh (and Hoa): "Họ đệm tên" with the father's family name; "A"/"Y" + name (Ba Na,
# Xơ Đăng, Giẻ Triêng of Kon Tum: A for men, Y for women); family name + Văn/Thị + name (Hrê, Co, and
# some Xơ Đăng/Ba Na families).
STYLE_KINH, STYLE_AY, STYLE_SURNAME = 0, 1, 2
_AY_GROUPS: Final = {E.BA_NA.value, E.XO_DANG.value, E.GIE_TRIENG.value}
_AY_SHARE: Final = 0.85  # of those groups' households; the others use a family name

_KINH_SURNAMES: Weights = (
    ("Nguyễn", 30), ("Trần", 10), ("Lê", 9), ("Phạm", 6), ("Huỳnh", 5), ("Võ", 6), ("Phan", 4),
    ("Hoàng", 2), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 3), ("Ngô", 2), ("Dương", 1.5),
    ("Đinh", 1.5), ("Trương", 2), ("Đoàn", 1.5), ("Lâm", 1), ("Tạ", 0.5), ("Lương", 1), ("Châu", 1),
    ("Mai", 1), ("Cao", 1), ("Tô", 0.5), ("Lý", 0.5),
)  # fmt: skip
_KINH_MIDDLE_MALE_OLD: Weights = (
    ("Văn", 45), ("Minh", 6), ("Đức", 5), ("Quốc", 4), ("Hữu", 6), ("Thanh", 5), ("Công", 5),
    ("Ngọc", 4), ("Xuân", 3), ("Quang", 4), ("Tấn", 8), ("Trung", 3), ("Đình", 4),
)  # fmt: skip
_KINH_MIDDLE_MALE_YOUNG: Weights = (
    ("Văn", 10), ("Minh", 14), ("Gia", 10), ("Bảo", 8), ("Đức", 8), ("Quốc", 8), ("Anh", 6),
    ("Hoàng", 8), ("Nhật", 6), ("Tuấn", 5), ("Khánh", 5), ("Tấn", 6), ("Thành", 6),
)  # fmt: skip
_KINH_MIDDLE_FEMALE_OLD: Weights = (
    ("Thị", 60), ("Ngọc", 6), ("Thu", 5), ("Thanh", 6), ("Kim", 5), ("Mỹ", 4), ("Hồng", 4), ("Bích", 4),
    ("Thùy", 3), ("Phương", 3),
)  # fmt: skip
_KINH_MIDDLE_FEMALE_YOUNG: Weights = (
    ("Thị", 12), ("Ngọc", 14), ("Bảo", 10), ("Khánh", 10), ("Gia", 8), ("Thảo", 6), ("Minh", 8),
    ("Phương", 8), ("Thanh", 8), ("Hà", 6), ("Mỹ", 6), ("Thùy", 4),
)  # fmt: skip
_KINH_GIVEN_MALE_OLD: Weights = (
    ("Hùng", 5), ("Dũng", 5), ("Tuấn", 5), ("Cường", 4), ("Hải", 4), ("Sơn", 4), ("Thành", 4),
    ("Thắng", 3), ("Tiến", 3), ("Bình", 4), ("Trung", 3), ("Hòa", 3), ("Lộc", 3), ("Phát", 2),
    ("Tài", 3), ("Toàn", 3), ("Nghĩa", 3), ("Hiếu", 3), ("Lâm", 2), ("Tâm", 3), ("Đức", 3), ("Long", 3),
    ("Phúc", 2), ("Vinh", 3), ("Quang", 3), ("Việt", 2), ("An", 3), ("Minh", 4), ("Nam", 3), ("Thọ", 2),
)  # fmt: skip
_KINH_GIVEN_MALE_YOUNG: Weights = (
    ("Huy", 6), ("Khang", 5), ("Bảo", 5), ("Phúc", 5), ("Minh", 5), ("Khôi", 4), ("Nam", 4), ("Long", 4),
    ("Phong", 3), ("Duy", 4), ("An", 5), ("Khoa", 4), ("Đăng", 3), ("Kiệt", 3), ("Vinh", 3), ("Thịnh", 3),
    ("Quân", 4), ("Hưng", 3), ("Tú", 3), ("Nhân", 3), ("Trí", 3), ("Hoàng", 3), ("Lâm", 3), ("Tín", 2),
)  # fmt: skip
_KINH_GIVEN_FEMALE_OLD: Weights = (
    ("Hoa", 4), ("Lan", 4), ("Hương", 5), ("Mai", 4), ("Hồng", 4), ("Loan", 3), ("Nga", 3), ("Hạnh", 3),
    ("Hằng", 3), ("Dung", 3), ("Liên", 3), ("Thủy", 3), ("Tuyết", 3), ("Vân", 3), ("Yến", 3),
    ("Phượng", 3), ("Thu", 3), ("Cúc", 2), ("Lệ", 2), ("Xuân", 2), ("Hà", 3), ("Bích", 2), ("Trinh", 3),
    ("Nhung", 3), ("Oanh", 2), ("Sương", 2), ("Tâm", 2), ("Hiền", 3), ("Thảo", 3), ("Nhàn", 2),
)  # fmt: skip
_KINH_GIVEN_FEMALE_YOUNG: Weights = (
    ("Anh", 6), ("Linh", 5), ("Ngân", 4), ("Vy", 5), ("Trâm", 4), ("My", 4), ("Hân", 4), ("Nhi", 5),
    ("Thư", 4), ("Như", 4), ("Hà", 3), ("Hương", 3), ("Trang", 4), ("Uyên", 4), ("Quỳnh", 3), ("Châu", 3),
    ("Ngọc", 3), ("Tiên", 3), ("Thảo", 4), ("Diệp", 2), ("Giang", 3), ("Yến", 3), ("Hiền", 3), ("Trinh", 2),
)  # fmt: skip
_AY_GIVEN_MALE: Weights = (
    ("Thuân", 3), ("Blưn", 2), ("Hiêng", 2), ("Dũng", 3), ("Kiên", 3), ("Vương", 2), ("Hùng", 3),
    ("Ních", 2), ("Pó", 2), ("Dơ", 2), ("Khang", 2), ("Sáu", 2), ("Tuấn", 3), ("Bình", 3), ("Đin", 2),
    ("Thoan", 2), ("Lưới", 2), ("Hơ", 2), ("Brên", 2), ("Jun", 2), ("Rin", 2), ("Sang", 2), ("Mút", 2),
    ("Quyết", 2), ("Thiết", 2), ("Tiến", 2), ("Krin", 2), ("Giáp", 2), ("Nhú", 2), ("Pong", 2),
)  # fmt: skip
_AY_GIVEN_FEMALE: Weights = (
    ("Hương", 3), ("Mai", 3), ("Lan", 3), ("Ngọc", 2), ("Thu", 3), ("Dung", 2), ("Bích", 2),
    ("Nhung", 2), ("Lệ", 2), ("Hiên", 2), ("Blong", 2), ("Sía", 2), ("Khuy", 2), ("Đào", 2), ("Mơ", 2),
    ("Thanh", 2), ("Xuân", 2), ("Ngân", 2), ("Phương", 2), ("Hlen", 2), ("Hoa", 2), ("Jiu", 2),
    ("Hrin", 2), ("Kim", 2), ("Lý", 2), ("Nơ", 2), ("Pam", 2), ("Thúy", 2), ("Vy", 2), ("Rơn", 2),
)  # fmt: skip
_EM_SURNAMES: Weights = (("Đinh", 55), ("Phạm", 22), ("Hồ", 12), ("Nguyễn", 5), ("Trương", 3), ("Hà", 3))
_EM_MIDDLE_MALE: Weights = (("Văn", 85), ("Ngọc", 5), ("Minh", 5), ("Thanh", 5))
_EM_MIDDLE_FEMALE: Weights = (("Thị", 92), ("Ngọc", 4), ("Thanh", 4))
_EM_GIVEN_MALE: Weights = (
    ("Lúi", 2), ("Chít", 2), ("Rớt", 2), ("Nhứ", 2), ("Mới", 2), ("Sang", 2), ("Bền", 2), ("Phi", 2),
    ("Đức", 2), ("Hùng", 2), ("Tiến", 2), ("Vinh", 2), ("Thân", 2), ("Xuân", 2), ("Rạch", 2), ("Trưng", 2),
    ("Bảy", 2), ("Mười", 2), ("Lực", 2), ("Nhân", 2), ("Pho", 2), ("Dục", 2), ("Hiền", 2), ("Toàn", 2),
)  # fmt: skip
_EM_GIVEN_FEMALE: Weights = (
    ("Hoa", 2), ("Lan", 2), ("Chiên", 2), ("Mến", 2), ("Nhung", 2), ("Hằng", 2), ("Thúy", 2), ("Lý", 2),
    ("Lệ", 2), ("Duyên", 2), ("Giếp", 2), ("Sương", 2), ("Ten", 2), ("Ngọt", 2), ("Bông", 2), ("Lài", 2),
    ("Thơ", 2), ("Nở", 2), ("Tươi", 2), ("Hiên", 2), ("Xinh", 2), ("Sáu", 2),
)  # fmt: skip
#: Born in 2000 or later: the "young" name pools (names changed a lot in one generation).
_YOUNG_BORN_FROM: Final = 2000


class _Vocabulary:
    """All name parts in one list, so that names are built from integer indices (fast, vectorised)."""

    def __init__(self) -> None:
        self.words: list[str] = [""]
        self._index: dict[str, int] = {"": 0}

    def pool(self, weights: Weights) -> tuple[np.ndarray, np.ndarray]:
        indices = np.array([self._add(word) for word, _ in weights], dtype=np.int64)
        probabilities = np.array([w for _, w in weights], dtype=np.float64)
        return indices, probabilities / probabilities.sum()

    def _add(self, word: str) -> int:
        if word not in self._index:
            self._index[word] = len(self.words)
            self.words.append(word)
        return self._index[word]


def _draw(rng: np.random.Generator, pool: tuple[np.ndarray, np.ndarray], size: int) -> np.ndarray:
    indices, probabilities = pool
    drawn: np.ndarray = indices[rng.choice(len(indices), size=size, p=probabilities)]
    return drawn


def _draw_where(
    rng: np.random.Generator, out: np.ndarray, mask: np.ndarray, pool: tuple[np.ndarray, np.ndarray]
) -> None:
    out[mask] = _draw(rng, pool, int(mask.sum()))


def _weighted(rng: np.random.Generator, weights: Weights, size: int) -> np.ndarray:
    """Draw ``size`` labels of ``weights`` (an array of strings)."""
    labels = np.array([label for label, _ in weights], dtype=object)
    p = np.array([w for _, w in weights], dtype=np.float64)
    drawn: np.ndarray = labels[rng.choice(len(labels), size=size, p=p / p.sum())]
    return drawn


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    exact = total * weights / weights.sum()
    base: np.ndarray = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - base), kind="stable")
    base[order[: total - int(base.sum())]] += 1
    return base


# --- the pure generation ------------------------------------------------------------------------


def _communes_for(
    rng: np.random.Generator, households: pl.DataFrame, members: pl.DataFrame, plans: Sequence[CommunePlan]
) -> np.ndarray:
    """Commune index (into ``plans``) of each household.

    Mountain communes take the poorest rural households (by income per person, with noise, so the
    match is loose), the wards take the urban households and then the richest rural ones, the lowland
    communes the rest; inside each group households are spread at random.
    """
    n = households.height
    sizes = members.group_by("household_id").len()
    size = households.join(sizes, on="household_id", how="left", maintain_order="left")["len"].to_numpy()
    income = households["income_12m"].cast(pl.Float64).to_numpy()
    income = np.where(np.isnan(income), np.nanmedian(income) if np.isfinite(income).any() else 1.0, income)
    welfare = np.log(np.maximum(income, 1.0) / size)
    key = welfare + rng.normal(0.0, max(float(np.std(welfare)), 1e-9), n)
    urban = (households["area"].cast(pl.String) == Area.URBAN).to_numpy()
    rural_sorted = np.flatnonzero(~urban)[np.argsort(key[~urban], kind="stable")]
    queue = np.concatenate([rural_sorted, rng.permutation(np.flatnonzero(urban))])
    counts = _largest_remainder(n, np.array([p.weight for p in plans]))
    mountain = [i for i, p in enumerate(plans) if p.mountain and not p.urban]
    lowland = [i for i, p in enumerate(plans) if not p.mountain and not p.urban]
    wards = [i for i, p in enumerate(plans) if p.urban]
    commune = np.empty(n, dtype=np.int64)
    start = 0
    for group in (mountain, lowland, wards):
        taken = int(counts[group].sum())
        chosen = rng.permutation(queue[start : start + taken])
        commune[chosen] = np.repeat(np.array(group, dtype=np.int64), counts[group])
        start += taken
    return commune


def _villages_for(rng: np.random.Generator, commune: np.ndarray, plans: Sequence[CommunePlan]) -> np.ndarray:
    """Village number (1-based) of each household; villages of one commune differ in size."""
    village = np.empty(commune.shape[0], dtype=np.int64)
    for c, plan in enumerate(plans):
        mask = commune == c
        shares = rng.dirichlet(np.full(plan.villages, 4.0))
        village[mask] = 1 + rng.choice(plan.villages, size=int(mask.sum()), p=shares)
    return village


def _first_in_group(mask: np.ndarray, starts: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Per member: is it the first member of its group (household) where ``mask`` holds."""
    m = mask.shape[0]
    candidate = np.where(mask, np.arange(m), m)
    first = np.minimum.reduceat(candidate, starts)
    result: np.ndarray = np.arange(m) == first[group]
    return result


def _dates_of_birth(rng: np.random.Generator, age: np.ndarray, reference_date: datetime.date) -> pl.Series:
    """A date of birth per member whose age on ``reference_date`` is ``age`` (uniform over that year)."""
    upper_year = pl.Series(reference_date.year - age)
    offset_share = pl.Series(rng.random(age.shape[0]))
    dob = pl.select(
        upper=pl.date(pl.lit(upper_year), reference_date.month, reference_date.day),
        lower=pl.date(pl.lit(upper_year - 1), reference_date.month, reference_date.day),
    ).select(
        date_of_birth=pl.col("upper")
        - pl.duration(days=((pl.col("upper") - pl.col("lower")).dt.total_days() * offset_share).floor())
    )["date_of_birth"]
    return dob


def _names(
    rng: np.random.Generator,
    *,
    style: np.ndarray,
    male: np.ndarray,
    young: np.ndarray,
    is_head: np.ndarray,
    spouse: np.ndarray,
    parent: np.ndarray,
    h: np.ndarray,
    households: int,
) -> tuple[pl.Series, pl.Series]:
    """Full name and its folded form per member (``style`` per member, ``h`` its household index)."""
    m = male.shape[0]
    head_of = np.flatnonzero(is_head)
    vocab = _Vocabulary()

    own_surname = np.zeros(m, dtype=np.int64)
    middle = np.zeros(m, dtype=np.int64)
    given = np.zeros(m, dtype=np.int64)
    kinh, ay, sur = style == STYLE_KINH, style == STYLE_AY, style == STYLE_SURNAME
    _draw_where(rng, own_surname, kinh, vocab.pool(_KINH_SURNAMES))
    _draw_where(rng, own_surname, sur, vocab.pool(_EM_SURNAMES))
    for sex_mask, pools in (
        (
            male,
            (_KINH_MIDDLE_MALE_OLD, _KINH_MIDDLE_MALE_YOUNG, _KINH_GIVEN_MALE_OLD, _KINH_GIVEN_MALE_YOUNG),
        ),
        (
            ~male,
            (
                _KINH_MIDDLE_FEMALE_OLD,
                _KINH_MIDDLE_FEMALE_YOUNG,
                _KINH_GIVEN_FEMALE_OLD,
                _KINH_GIVEN_FEMALE_YOUNG,
            ),
        ),
    ):
        _draw_where(rng, middle, kinh & sex_mask & ~young, vocab.pool(pools[0]))
        _draw_where(rng, middle, kinh & sex_mask & young, vocab.pool(pools[1]))
        _draw_where(rng, given, kinh & sex_mask & ~young, vocab.pool(pools[2]))
        _draw_where(rng, given, kinh & sex_mask & young, vocab.pool(pools[3]))
    middle[ay & male] = vocab.pool((("A", 1.0),))[0][0]
    middle[ay & ~male] = vocab.pool((("Y", 1.0),))[0][0]
    _draw_where(rng, given, ay & male, vocab.pool(_AY_GIVEN_MALE))
    _draw_where(rng, given, ay & ~male, vocab.pool(_AY_GIVEN_FEMALE))
    _draw_where(rng, middle, sur & male, vocab.pool(_EM_MIDDLE_MALE))
    _draw_where(rng, middle, sur & ~male, vocab.pool(_EM_MIDDLE_FEMALE))
    _draw_where(rng, given, sur & male, vocab.pool(_EM_GIVEN_MALE))
    _draw_where(rng, given, sur & ~male, vocab.pool(_EM_GIVEN_FEMALE))
    # family name: the father's line (head if a man, else a male spouse, else the head's own)
    spouse_at = np.full(households, -1, dtype=np.int64)
    spouse_at[h[spouse]] = np.flatnonzero(spouse)
    head_surname = own_surname[head_of]
    family = np.where(~male[head_of] & (spouse_at >= 0), own_surname[np.maximum(spouse_at, 0)], head_surname)
    surname = np.select(
        [is_head | (parent & male), spouse | (parent & ~male)],
        [head_surname[h], own_surname],
        default=family[h],
    )
    words = pl.Series(vocab.words, dtype=pl.String)
    folded = pl.Series([fold(w) for w in vocab.words], dtype=pl.String)

    def compose(table: pl.Series) -> pl.Series:
        parts = [table.gather(pl.Series(idx)).replace("", None) for idx in (surname, middle, given)]
        return pl.select(pl.concat_str(parts, separator=" ", ignore_nulls=True)).to_series()

    full_name = compose(words)
    full_name_search = compose(folded)
    return full_name, full_name_search


@dataclass(frozen=True, slots=True)
class DemoPopulation:
    """The generated frames.

    ``households``: ``household_id`` (synthetic id, joins the members), ``province_code``,
    ``commune_code``, ``village_code``, ``code`` (``HO-00001``, unique per commune), ``address``,
    ``area``, ``ethnic_minority``, ``meritorious_family``, ``social_protection``, ``no_labour_capacity``,
    then the synthetic household facts. ``members``: ``member_id``, ``household_id``, ``position``,
    ``is_head``, ``full_name``, ``full_name_search``, ``date_of_birth``, ``ethnicity``, ``citizen_id``,
    ``relation_to_head``, then the synthetic member facts (``age``, ``sex`` …). Sorted by commune,
    village, code, then member position.
    """

    households: pl.DataFrame
    members: pl.DataFrame


def demo_population(
    *,
    households: int,
    seed: int = DEMO_SEED,
    communes: Sequence[CommunePlan] = DEMO_COMMUNES,
    province_code: str = DEMO_PROVINCE_CODE,
    reference_date: datetime.date = REFERENCE_DATE,
    duplicates: int | None = None,
) -> DemoPopulation:
    """Generate the demo households and members (pure, deterministic; no database).

    Parameters
    ----------
    households
        Number of households (≥ 1).
    seed
        Same arguments → same frames.
    communes
        The communes and how their population is drawn (weights need not add up to 1).
    province_code
        The 2025 province whose synthetic calibration (``giamngheo.synth``) is used.
    reference_date
        Ages are ages on that day.
    duplicates
        Members given the citizen ID (and name and date of birth) of another person in another
        household, as a person registered twice; default ``households // 4000``, at least 1, at most 50.
    """
    if not communes:
        raise ValueError("at least one commune is needed")
    # Complete facts: the demo rounds are approved, so every household was fully surveyed.
    hh, mem = generate_frames(households, seed, province_codes=[province_code], missing_rate=0.0)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, households, _SALT])))
    plans = list(communes)

    # -- households: commune, village, code, ethnicity ---------------------------------------------------
    commune = _communes_for(rng, hh, mem, plans)
    village = _villages_for(rng, commune, plans)
    order = np.lexsort((rng.random(hh.height), village, commune))
    hh = hh[order]
    commune, village = commune[order], village[order]
    number = np.empty_like(commune)
    for c in range(len(plans)):
        mask = commune == c
        number[mask] = np.arange(1, int(mask.sum()) + 1)
    minority = rng.random(hh.height) < np.array([p.minority_share for p in plans])[commune]
    ethnicity = np.full(hh.height, Ethnicity.KINH.value, dtype=object)
    for c, plan in enumerate(plans):
        mask = minority & (commune == c)
        ethnicity[mask] = _weighted(rng, plan.minority_groups, int(mask.sum()))
    style = np.where(
        np.isin(ethnicity, list(_AY_GROUPS)) & (rng.random(hh.height) < _AY_SHARE),
        STYLE_AY,
        np.where(ethnicity == Ethnicity.KINH.value, STYLE_KINH, STYLE_SURNAME),
    )
    migrant = (ethnicity == Ethnicity.KINH.value) & (
        rng.random(hh.height) < np.array([p.migrant_share for p in plans])[commune]
    )
    commune_codes = pl.Series([p.code for p in plans], dtype=pl.String)
    urban_of = np.array([p.urban for p in plans])
    village_code = np.where(urban_of[commune], "TDP", "T")
    hh = hh.with_columns(
        commune_code=commune_codes.gather(commune),
        village_code=pl.concat_str(pl.Series(village_code), pl.Series(village).cast(pl.String).str.zfill(2)),
        code=pl.concat_str(pl.lit("HO-"), pl.Series(number).cast(pl.String).str.zfill(5)),
        area=pl.Series(np.where(urban_of[commune], Area.URBAN.value, Area.RURAL.value)).cast(
            hh["area"].dtype
        ),
        _ethnicity=pl.Series(ethnicity, dtype=pl.String),
    )
    address_of = pl.Series([p.name for p in plans], dtype=pl.String).gather(commune)
    village_name = pl.concat_str(
        pl.Series(np.where(urban_of[commune], "Tổ dân phố ", "Thôn ")), pl.Series(village).cast(pl.String)
    )
    hh = hh.with_columns(address=pl.concat_str(village_name, pl.lit(", "), address_of))

    # -- members, in household order ---------------------------------------------------------------------
    position = (mem["member_id"] % 100 - 1).alias("position")
    mem = mem.with_columns(position).join(
        hh.select("household_id", pl.int_range(pl.len()).alias("_h")), on="household_id"
    )
    mem = mem.sort("_h", "position")
    h = mem["_h"].to_numpy()
    m = mem.height
    sizes = np.bincount(h, minlength=hh.height)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    age = mem["age"].to_numpy().astype(np.int64)
    male = (mem["sex"].cast(pl.String) == "male").to_numpy()

    is_head = _first_in_group(age >= ADULT_AGE, starts, h)
    no_adult = np.maximum.reduceat(is_head.astype(np.int64), starts) == 0
    is_head |= no_adult[h] & (np.arange(m) == starts[h])  # never happens with synth, kept for safety
    head_of = np.flatnonzero(is_head)  # one per household, in household order
    head_age, head_male = age[head_of][h], male[head_of][h]
    spouse_like = ~is_head & (male != head_male) & (np.abs(age - head_age) <= 12) & (age >= ADULT_AGE)
    spouse = _first_in_group(spouse_like, starts, h)
    parent = ~is_head & ~spouse & (age >= head_age + 15)
    grandchild = ~is_head & ~spouse & ~parent & (head_age - age >= 36)
    child = ~is_head & ~spouse & ~parent & ~grandchild & (head_age - age >= 14)
    relation = np.select(
        [
            is_head,
            spouse & male,
            spouse,
            parent & male,
            parent,
            grandchild,
            child,
            np.abs(head_age - age) < 14,
        ],
        [HEAD_RELATION, "Chồng", "Vợ", "Bố", "Mẹ", "Cháu", "Con", "Anh chị em"],
        default="Khác",
    )

    dob = _dates_of_birth(rng, age, reference_date)
    birth_year = dob.dt.year().to_numpy().astype(np.int64)
    full_name, full_name_search = _names(
        rng,
        style=style[h],
        male=male,
        young=birth_year >= _YOUNG_BORN_FROM,
        is_head=is_head,
        spouse=spouse,
        parent=parent,
        h=h,
        households=hh.height,
    )

    # -- citizen IDs (TT 59/2021/TT-BCA Điều 7) --------------------------------------------------------
    mcommune = commune[h]
    home = np.array([p.home_prefix for p in plans], dtype=object)[mcommune]
    post_merger = "0" + province_code
    born_after_merger = (dob >= MERGER_DATE).to_numpy()
    home = np.where(born_after_merger, post_merger, home)
    prefix = home.copy()
    migrant_adult = migrant[h] & (age >= ADULT_AGE)
    for c, plan in enumerate(plans):
        mask = migrant_adult & (mcommune == c)
        prefix[mask] = _weighted(rng, plan.migrant_prefixes, int(mask.sum()))
    century_sex = (birth_year - 1900) // 100 * 2 + (~male).astype(np.int64)
    head_part = pl.select(
        pl.concat_str(
            pl.lit(pl.Series(prefix, dtype=pl.String)),
            pl.lit(pl.Series(century_sex)).cast(pl.String),
            pl.lit(pl.Series(birth_year % 100)).cast(pl.String).str.zfill(2),
        )
    ).to_series()
    random_part = rng.integers(0, 1_000_000, m)
    citizen_id = _unique_ids(rng, head_part, random_part)
    has_id = rng.random(m) >= MISSING_ID_RATE

    mem = mem.with_columns(
        is_head=pl.Series(is_head),
        full_name=full_name,
        full_name_search=full_name_search,
        date_of_birth=dob,
        ethnicity=hh["_ethnicity"].gather(pl.Series(h)),
        citizen_id=pl.when(pl.Series(has_id)).then(citizen_id),
        relation_to_head=pl.Series(relation, dtype=pl.String),
    )
    count = min(50, max(1, households // 4000)) if duplicates is None else duplicates
    mem = _duplicate_people(rng, mem, commune[h], count)
    age = mem["age"].to_numpy().astype(np.int64)

    # -- household flags ---------------------------------------------------------------------------------
    working = (age >= WORKING_AGE[0]) & (age < WORKING_AGE[1]) & mem["has_labour_capacity"].to_numpy()
    no_labour = np.add.reduceat(working.astype(np.int64), starts) == 0
    oldest = np.maximum.reduceat(age, starts)
    incapable = np.add.reduceat((~mem["has_labour_capacity"].to_numpy()).astype(np.int64), starts) > 0
    u = rng.random((hh.height, 2))
    social = u[:, 0] < np.where((sizes == 1) & (oldest >= 75), 0.6, np.where(incapable, 0.08, 0.01))
    meritorious = u[:, 1] < np.where(age[head_of] >= 60, 0.06, 0.01)
    hh = hh.with_columns(
        ethnic_minority=pl.Series(ethnicity != Ethnicity.KINH.value),
        meritorious_family=pl.Series(meritorious),
        social_protection=pl.Series(social),
        no_labour_capacity=pl.Series(no_labour),
    )
    first = [
        "household_id", "province_code", "commune_code", "village_code", "code", "address", "area",
        "ethnic_minority", "meritorious_family", "social_protection", "no_labour_capacity",
    ]  # fmt: skip
    hh = hh.select(first + [c for c in hh.columns if c not in first and not c.startswith("_")])
    mfirst = [
        "member_id", "household_id", "position", "is_head", "full_name", "full_name_search",
        "date_of_birth", "ethnicity", "citizen_id", "relation_to_head",
    ]  # fmt: skip
    mem = mem.select(mfirst + [c for c in mem.columns if c not in mfirst and not c.startswith("_")])
    return DemoPopulation(households=hh, members=mem)


def _unique_ids(rng: np.random.Generator, head: pl.Series, random_part: np.ndarray) -> pl.Series:
    """``head`` + six random digits, redrawn where two people got the same number by chance."""
    while True:
        ids = pl.select(pl.concat_str(head, pl.Series(random_part).cast(pl.String).str.zfill(6))).to_series()
        clash = ids.is_duplicated() & ~ids.is_first_distinct()
        if not clash.any():
            return ids
        where = np.flatnonzero(clash.to_numpy())
        random_part[where] = rng.integers(0, 1_000_000, where.shape[0])


def _duplicate_people(
    rng: np.random.Generator, mem: pl.DataFrame, member_commune: np.ndarray, count: int
) -> pl.DataFrame:
    """Copy the identity (name, date of birth, age, ethnicity, citizen ID) of ``count`` adults onto a
    member of a household of another commune, same sex, similar age: a person registered twice."""
    if count <= 0:
        return mem
    age = mem["age"].to_numpy()
    male = (mem["sex"].cast(pl.String) == "male").to_numpy()
    has_id = mem["citizen_id"].is_not_null().to_numpy()
    free = ~mem["is_head"].to_numpy() & has_id
    sources: list[int] = []
    targets: list[int] = []
    for i in rng.permutation(np.flatnonzero(has_id & (age >= 25) & (age <= 70))):
        if len(sources) >= count:
            break
        if not free[i]:
            continue
        candidates = np.flatnonzero(
            free & (male == male[i]) & (np.abs(age - age[i]) <= 3) & (member_commune != member_commune[i])
        )
        if candidates.shape[0] == 0:
            continue
        j = int(candidates[rng.integers(0, candidates.shape[0])])
        sources.append(int(i))
        targets.append(j)
        free[[i, j]] = False
    if not sources:
        return mem
    take = np.arange(mem.height)
    take[targets] = sources  # every other member keeps its own row
    columns = ["full_name", "full_name_search", "date_of_birth", "age", "ethnicity", "citizen_id"]
    return mem.with_columns(pl.col(c).gather(pl.Series(take)) for c in columns)


# --- the load_demo step ---------------------------------------------------------------------------------


def demo_households_load(*, write: Callable[[str], None], households: int = DEMO_HOUSEHOLDS) -> None:
    """Create the demo villages, households and members of Quảng Ngãi (51) unless it already has households.

    A ``load_demo`` step (after the 2025 units and the demo users). Uses the communes of
    :data:`DEMO_COMMUNES` that exist among the loaded 2025 units and does nothing if none does. The
    villages go through ``geo.services.village_create`` (an existing one, such as the demo users' Thôn 1
    of Đăk Kôi, is kept and given its former commune if it has none), each with its former commune
    (xã cũ) when the pre-2025 units are loaded: village k of a commune (0-based, in code order) gets
    former commune k mod n of the commune's n former communes (``geo.selectors.village_former_communes``,
    in code order); households, members and their "created" events are bulk-inserted in one
    transaction with one audit row (:data:`DEMO_AUDIT_ACTION`) on the province. Idempotent.
    """
    province = AdminUnit.objects.filter(
        generation=Generation.Y2025, level=Level.PROVINCE, code=DEMO_PROVINCE_CODE
    ).first()
    if province is None:
        write("Households: skipped, the 2025 units are not loaded.")
        return
    existing = Household.objects.filter(province_code=DEMO_PROVINCE_CODE).count()
    if existing:
        write(f"Households: {existing} already there in {province.name}.")
        return
    units = {
        unit.code: unit
        for unit in AdminUnit.objects.filter(
            generation=Generation.Y2025, level=Level.COMMUNE, code__in=[p.code for p in DEMO_COMMUNES]
        )
    }
    # the unit's own default area decides urban or rural (a ward is urban)
    plans = [
        replace(plan, name=units[plan.code].name, urban=units[plan.code].default_area == Area.URBAN)
        for plan in DEMO_COMMUNES
        if plan.code in units
    ]
    if not plans:
        write("Households: skipped, none of the demo communes is loaded.")
        return
    created = 0
    villages: dict[tuple[str, str], Village] = {
        (v.commune.code, v.code): v
        for v in Village.objects.filter(commune__in=units.values()).select_related("commune")
    }
    for plan in plans:
        formers = list(village_former_communes(units[plan.code]))
        for k, (code, name, kind) in enumerate(plan.village_specs()):
            # the villages of a commune spread over its former communes in code order (k → k mod n),
            # so that each old district (e.g. those of the former Kon Tum) gets villages
            former = formers[k % len(formers)] if formers else None
            village = villages.get((plan.code, code))
            if village is None:
                villages[(plan.code, code)] = village_create(
                    commune=units[plan.code],
                    code=code,
                    name=name,
                    kind=kind,
                    actor=None,
                    former_commune=former,
                )
                created += 1
            elif village.former_commune_id is None and former is not None and village.valid_to is None:
                village_update(village=village, name=village.name, former_commune=former, actor=None)
    population = demo_population(households=households, communes=plans)
    members = _bulk_write(population, province=province, units=units, villages=villages)
    write(
        f"Households: {population.households.height} households and {members} members in {len(plans)} "
        f"communes of {province.name} created ({created} villages created)."
    )


def _insert(model: type[models.Model], frame: pl.DataFrame, **constants: object) -> None:
    """``INSERT`` one row per row of ``frame`` (columns named after the model's fields), in batches.

    Fields missing from ``frame`` take the value in ``constants`` or else the field's default (one value
    for all rows), so a field added to the model later with a default needs no change here. Values of
    ``frame`` go to the database as they are, except dates, adapted by the backend.

    ``bulk_create`` spends most of its time preparing 100,000 model instances field by field;
    :func:`giamngheo.site.bulk.insert_rows` writes the same rows several times faster, which matters for
    ``make run``.
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    by_name = {f.name: f for f in fields}
    unknown = (set(frame.columns) | set(constants)) - set(by_name)
    if unknown:
        raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
    given = [by_name[name] for name in frame.columns]
    filled = [f for f in fields if f.name not in frame.columns]
    fill = tuple(
        f.get_db_prep_save(constants[f.name] if f.name in constants else f.get_default(), connection)
        for f in filled
    )
    dates = [
        i
        for i, f in enumerate(given)
        if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)
    ]
    adapt = connection.ops.adapt_datefield_value

    def rows() -> Iterator[tuple[Any, ...]]:
        for row in frame.iter_rows():
            if dates:
                values = list(row)
                for i in dates:
                    values[i] = adapt(values[i])
                row = tuple(values)
            yield (*row, *fill)

    insert_rows(model, [f.name for f in given + filled], rows())


@transaction.atomic(durable=True)
def _bulk_write(
    population: DemoPopulation,
    *,
    province: AdminUnit,
    units: dict[str, AdminUnit],
    villages: dict[tuple[str, str], Village],
) -> int:
    """Insert the households, members and their "created" events, set the heads, write one audit row.

    Runs only when the province has no household (checked again inside the transaction), so the rows
    of the province are exactly the new ones. Returns the number of members.
    """
    if Household.objects.filter(province_code=province.code).exists():
        return 0
    hh = population.households
    commune_pk = {code: unit.pk for code, unit in units.items()}
    village_pk = {f"{commune}/{code}": village.pk for (commune, code), village in villages.items()}
    households = hh.select(
        "code",
        "address",
        "ethnic_minority",
        "meritorious_family",
        "social_protection",
        "no_labour_capacity",
        commune=pl.col("commune_code").replace_strict(commune_pk, return_dtype=pl.Int64),
        village=pl.concat_str("commune_code", pl.lit("/"), "village_code").replace_strict(
            village_pk, return_dtype=pl.Int64
        ),
        area=pl.col("area").cast(pl.String),
    )
    now = timezone.now()
    _insert(Household, households, province_code=province.code, created_at=now, updated_at=now)
    pk_by_key = dict(
        Household.objects.filter(province_code=province.code)
        .annotate(key=Concat("commune_id", Value("/"), "code", output_field=CharField()))
        .values_list("key", "pk")
    )
    household_pk = households.select(
        synthetic=hh["household_id"],
        pk=pl.concat_str(pl.col("commune").cast(pl.String), pl.lit("/"), "code").replace_strict(
            pk_by_key, return_dtype=pl.Int64
        ),
    )
    members = population.members.join(
        household_pk, left_on="household_id", right_on="synthetic", maintain_order="left"
    ).select(
        "full_name",
        "full_name_search",
        "date_of_birth",
        "ethnicity",
        "citizen_id",
        "relation_to_head",
        household=pl.col("pk"),
        sex=pl.col("sex").cast(pl.String),
    )
    _insert(Member, members, province_code=province.code, created_at=now, updated_at=now)
    heads = Member.objects.filter(household=OuterRef("pk"), relation_to_head=HEAD_RELATION).order_by("pk")
    Household.objects.filter(province_code=province.code).update(head=Subquery(heads.values("pk")[:1]))
    _insert(
        HouseholdEvent,
        household_pk.select(household="pk"),
        kind=EventKind.CREATED.value,
        province_code=province.code,
        date=REFERENCE_DATE,
        note=DEMO_EVENT_NOTE,
        created_at=now,
    )
    audit_record(
        actor=None,
        action=DEMO_AUDIT_ACTION,
        target=province,
        before=None,
        after={
            "households": hh.height,
            "members": population.members.height,
            "communes": sorted(set(hh["commune_code"].to_list())),
            "seed": DEMO_SEED,
            "reference_date": REFERENCE_DATE,
        },
    )
    return population.members.height
