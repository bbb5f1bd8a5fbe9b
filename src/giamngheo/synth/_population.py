"""Households and members drawn from latent states, fully vectorised (one block at a time).

The model (documented in ``docs/synthetic-data.md``):

- each household has a welfare score ``z ~ N(0, 1)``; its income per person per month is
  ``exp(mu + sigma * z)`` with the province-and-area parameters of :mod:`.calibration`;
- a deprivation proneness ``v = -RHO * z + sqrt(1 - RHO²) * e`` plus the province's deprivation shift
  drives eleven latent household conditions (one per deprivation indicator except dependants) through
  logistic probabilities;
- members (age, sex, schooling, work, insurance, nutrition) are drawn from a simple family model, and a
  latent condition shows up as facts of one eligible member picked at random (for example an
  uninsured member aged 6 or more), or as the household's dwelling, water, latrine, internet and
  assets facts. Households never carry a class or a flag: only facts.

The generation thresholds below (8 m² per person, age bands) mirror the domain notes on the 2022-2025
standard so that the latent conditions produce the intended deprivations; they are generation
assumptions, not the engine's rules (the engine reads its own thresholds from data).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from giamngheo.synth._stats import (
    BoolArray,
    FloatArray,
    IntArray,
    choose,
    choose_by_group,
    logistic,
    ordinal,
    pick_one_per_group,
)
from giamngheo.synth.calibration import ProvinceTargets

MAX_HOUSEHOLD_SIZE: Final = 15
RHO: Final = 0.6
SLOPE: Final = 1.0
#: Latent conditions, in draw order, with rural intercept, urban offset and mountain offset (logits).
CONDITIONS: Final = (
    # name, intercept, urban, mountain
    ("employment", -1.0, -0.3, 0.0),
    ("nutrition", -2.4, -0.6, 1.1),
    ("health_insurance", -1.9, 0.0, 0.0),
    ("adult_education", -2.6, -0.6, 0.4),
    ("child_school", -3.6, -0.6, 0.4),
    ("housing_quality", -3.4, -1.2, 0.5),
    ("floor_area", -3.2, -0.3, 0.0),
    ("water_source", -3.2, -1.5, 0.7),
    ("latrine", -2.4, -1.6, 0.7),
    ("telecom", -1.8, -1.0, 0.3),
    ("information_assets", -4.2, -1.0, 0.3),
)
_C = {name: i for i, (name, *_rest) in enumerate(CONDITIONS)}
_INTERCEPT = np.array([c[1] for c in CONDITIONS])
_URBAN = np.array([c[2] for c in CONDITIONS])
_MOUNTAIN = np.array([c[3] for c in CONDITIONS])

# Category codes follow the order of the allowed values in giamngheo.standards.facts.
EMP_CONTRACT, EMP_NO_CONTRACT, EMP_SELF, EMP_UNEMPLOYED, EMP_NILF = range(5)
SCHOOL_NO, SCHOOL_BELOW, SCHOOL_YES = range(3)
EDU_NONE, EDU_PRIMARY, EDU_LOWER, EDU_UPPER = range(4)
VOC_NONE, VOC_ELEMENTARY, VOC_INTERMEDIATE, VOC_COLLEGE = range(4)

WORKING_AGE: Final = (15, 60)  # [from, to): generation assumption
RETIREMENT_AGE: Final = 60
MIN_AREA_PER_PERSON: Final = 8.0


@dataclass(frozen=True, slots=True)
class Params:
    """Per-province arrays (index = position in the selected provinces; area 0 rural, 1 urban)."""

    mu: FloatArray
    sigma: FloatArray
    size_mean: FloatArray
    shift: FloatArray
    mountain: BoolArray

    @classmethod
    def from_targets(cls, targets: tuple[ProvinceTargets, ...], size_gap: float) -> Params:
        u = np.array([t.urban_share for t in targets])
        mean = np.array([t.mean_household_size for t in targets])
        rural = mean - size_gap * u  # so that the household-weighted mean stays `mean`
        return cls(
            mu=np.array([[t.mu_rural, t.mu_urban] for t in targets]),
            sigma=np.array([[t.sigma_rural, t.sigma_urban] for t in targets]),
            size_mean=np.stack([rural, rural + size_gap], axis=1),
            shift=np.array([t.deprivation_shift for t in targets]),
            mountain=np.array([t.mountain for t in targets]),
        )


@dataclass(frozen=True, slots=True)
class Population:
    """Facts of ``n`` households and their members, as numpy arrays of codes."""

    size: IntArray
    income_12m: IntArray
    ill_untreated: BoolArray
    has_dwelling: BoolArray
    durable: IntArray  # -1 where there is no dwelling
    floor_area: FloatArray
    water: IntArray
    latrine: IntArray
    waste: IntArray
    internet: BoolArray
    telephone: BoolArray
    tv: BoolArray
    radio: BoolArray
    computer: BoolArray
    smartphone: BoolArray
    loudspeaker: BoolArray
    # members
    age: IntArray
    male: BoolArray
    capacity: BoolArray
    employment: IntArray
    insured: BoolArray
    stunted: BoolArray
    underweight: BoolArray
    school: IntArray
    education: IntArray
    vocational: IntArray
    enterprise: BoolArray
    #: the generation model's own count of the 12 deprivations (for calibration only; never written)
    deprivations: IntArray


def _u(rng: np.random.Generator, n: int) -> FloatArray:
    return rng.random(n)


def draw_population(
    rng: np.random.Generator, prov: IntArray, urban: BoolArray, z: FloatArray, params: Params
) -> Population:
    """Draw households (province index ``prov``, area ``urban``, welfare ``z``) and their members."""
    n = z.shape[0]
    area = urban.astype(np.int64)
    size = np.minimum(1 + rng.poisson(params.size_mean[prov, area] - 1), MAX_HOUSEHOLD_SIZE)
    income_pc = np.exp(params.mu[prov, area] + params.sigma[prov, area] * z)
    income_12m = (np.round(income_pc * 12 * size / 1000) * 1000).astype(np.int64)

    # latent conditions
    v = -RHO * z + np.sqrt(1 - RHO**2) * rng.standard_normal(n)
    base = SLOPE * (v + params.shift[prov])
    logit = (
        _INTERCEPT[None, :]
        + _URBAN[None, :] * urban[:, None]
        + _MOUNTAIN[None, :] * params.mountain[prov][:, None]
        + base[:, None]
    )
    flag = rng.random((n, len(CONDITIONS))) < logistic(logit)

    # --- members: family model -------------------------------------------------------------------
    starts = (np.cumsum(size) - size).astype(np.int64)
    m = int(size.sum())
    hh = np.repeat(np.arange(n), size)
    pos = np.arange(m) - starts[hh]
    msize = size[hh]
    u_role, u_age, u_sex = _u(rng, m), _u(rng, m), _u(rng, m)
    u_mix, u_head = _u(rng, n), _u(rng, n)
    head_age = np.where(
        size == 1,
        np.where(u_mix < 0.45, np.clip(rng.normal(31, 7, n), 18, 45), np.clip(rng.normal(69, 10, n), 55, 98)),
        np.clip(rng.normal(45, 12.5, n), 20, 92),
    )
    ha = head_age[hh]
    spouse = (pos == 1) & (u_role < 0.86)
    elder = (pos == msize - 1) & (msize >= 3) & (u_role < 0.30) & (ha < 62)
    grandchild = (pos >= 4) & (ha >= 50) & ~elder
    child = (pos >= 1) & ~spouse & ~elder & ~grandchild
    age_f = np.select(
        [pos == 0, spouse, elder, grandchild],
        [ha, ha + (u_age - 0.6) * 8, ha + 22 + u_age * 10, u_age * np.maximum(ha - 42, 1).clip(max=15)],
        default=ha - 20 - u_age * 18,
    )
    age_f = np.where(child & (age_f < 0), u_age * np.maximum(ha - 17, 1), age_f)
    age = np.floor(age_f).astype(np.int64).clip(0, 100)
    old_single = (size == 1) & (head_age >= 55)
    head_male = u_head < np.where(old_single, 0.35, np.where(urban, 0.62, 0.72))
    male = np.select(
        [pos == 0, spouse, elder], [head_male[hh], ~head_male[hh], u_sex < 0.35], default=u_sex < 0.505
    )

    u_cap = _u(rng, m)
    incapable_p = np.select([age < 15, age < 60, age < 75], [0.003, 0.015, 0.06], default=0.25)
    capacity = u_cap >= incapable_p

    # --- education and schooling -------------------------------------------------------------------
    murban = urban[hh]
    mz = z[hh]
    ae_flag = flag[:, _C["adult_education"]][hh]
    ae_pick, ae_has = pick_one_per_group(rng, starts, ae_flag & (age >= 16) & (age <= 30))
    cs_flag = flag[:, _C["child_school"]][hh]
    cs_pick, cs_has = pick_one_per_group(rng, starts, cs_flag & (age >= 3) & (age < 16))
    u_sch, u_edu, u_voc, u_ent = _u(rng, m), _u(rng, m), _u(rng, m), _u(rng, m)
    attend_p = np.select(
        [age < 3, age < 16, age < 18, age < 23, age <= 30],
        [0.0, 1.0, np.where(murban, 0.90, 0.80), np.where(murban, 0.42, 0.28), 0.04],
        default=0.0,
    )
    school = np.where(u_sch < attend_p, SCHOOL_YES, SCHOOL_NO)
    school = np.where(cs_pick, np.where(u_sch < 0.6, SCHOOL_NO, SCHOOL_BELOW), school)
    school = np.where(ae_pick, SCHOOL_NO, school)
    attending = school != SCHOOL_NO

    latent_edu = 0.5 * mz + 0.866 * rng.standard_normal(m)
    older = np.select(
        [age <= 45, age <= 60],
        [ordinal(latent_edu, (0.04, 0.13, 0.28, 0.55)), ordinal(latent_edu, (0.08, 0.22, 0.40, 0.30))],
        default=ordinal(latent_edu, (0.20, 0.35, 0.30, 0.15)),
    )
    young_adult = np.where(
        attending, np.where(u_edu < 0.85, EDU_UPPER, EDU_LOWER), np.where(u_edu < 0.75, EDU_UPPER, EDU_LOWER)
    )
    education = np.select(
        [age <= 10, age <= 14, age == 15, age <= 17, age <= 30],
        [EDU_NONE, EDU_PRIMARY, np.where(u_edu < 0.5, EDU_LOWER, EDU_PRIMARY), EDU_LOWER, young_adult],
        default=older,
    )
    lacking = np.select(
        [age <= 17, u_edu < 0.6, u_edu < 0.9], [EDU_PRIMARY, EDU_LOWER, EDU_PRIMARY], EDU_NONE
    )
    education = np.where(ae_pick, lacking, education)

    latent_voc = 0.5 * mz + 0.866 * rng.standard_normal(m)
    vocational = np.where(
        murban,
        ordinal(latent_voc, (0.60, 0.05, 0.08, 0.27)),
        ordinal(latent_voc, (0.76, 0.06, 0.07, 0.11)),
    )
    vocational = np.where(age < 18, VOC_NONE, vocational)
    enterprise = (age >= 16) & (u_ent < 0.02)
    needs_skill = (age >= 18) & (age <= 30) & ~attending & (education < EDU_UPPER) & ~ae_pick
    unskilled = needs_skill & (vocational == VOC_NONE)
    enterprise = enterprise | (unskilled & (u_ent > 0.7))
    vocational = np.where(
        unskilled & (u_ent <= 0.7), np.where(u_voc < 0.5, VOC_ELEMENTARY, VOC_INTERMEDIATE), vocational
    )
    vocational = np.where(ae_pick, VOC_NONE, vocational)
    enterprise = enterprise & ~ae_pick

    # --- work ----------------------------------------------------------------------------------------
    emp_flag = flag[:, _C["employment"]][hh]
    working_age = (age >= WORKING_AGE[0]) & (age < WORKING_AGE[1])
    emp_eligible = working_age & capacity & ~attending
    emp_pick, emp_has = pick_one_per_group(rng, starts, emp_flag & emp_eligible)
    u_emp = _u(rng, m)
    group = murban.astype(np.int64) + 2 * emp_flag
    regular = choose_by_group(
        rng,
        group,
        (
            (0.28, 0.0, 0.57, 0.0, 0.15),  # rural, household without the condition
            (0.50, 0.0, 0.35, 0.0, 0.15),  # urban
            (0.22, 0.20, 0.45, 0.03, 0.10),  # rural, household with the condition
            (0.38, 0.20, 0.29, 0.03, 0.10),  # urban
        ),
    )
    elderly_work = np.where(
        u_emp < np.where(murban, 0.12, 0.25), EMP_SELF, np.where(u_emp > 0.97, EMP_CONTRACT, EMP_NILF)
    )
    employment = np.select(
        [emp_pick, emp_eligible, capacity & (age >= RETIREMENT_AGE)],
        [np.where(u_emp < 0.25, EMP_UNEMPLOYED, EMP_NO_CONTRACT), regular, elderly_work],
        default=EMP_NILF,
    )

    # --- health insurance and nutrition ------------------------------------------------------------
    hi_flag = flag[:, _C["health_insurance"]][hh]
    hi_pick, hi_has = pick_one_per_group(rng, starts, hi_flag & (age >= 6))
    u_hi = _u(rng, m)
    insured = ~(hi_pick | (hi_flag & (age >= 6) & (u_hi < 0.3)))
    nu_flag = flag[:, _C["nutrition"]][hh]
    nu_pick, nu_has = pick_one_per_group(rng, starts, nu_flag & (age < 16))
    u_nu = _u(rng, m)
    sibling = nu_flag & (age < 16) & ~nu_pick & (u_nu < 0.45)  # malnutrition clusters in families
    stunted = (nu_pick & (u_nu < 0.75)) | (sibling & (u_nu < 0.35))
    underweight = (nu_pick & ((u_nu >= 0.75) | (u_nu < 0.22))) | (sibling & (u_nu >= 0.30))

    # --- dwelling, water, sanitation, information -----------------------------------------------------
    f = {name: flag[:, i] for name, i in _C.items()}
    u_h = rng.random((n, 8))
    has_dwelling = ~(f["housing_quality"] & (u_h[:, 0] < 0.06))
    durable = np.where(
        f["housing_quality"],
        np.where(u_h[:, 1] < 0.5, 0, 1),
        np.where(u_h[:, 1] < np.where(urban, 0.95, 0.78), 3, 2),
    )
    durable = np.where(has_dwelling, durable, -1)
    per_person = np.where(
        f["floor_area"],
        3.0 + 4.8 * u_h[:, 2],
        np.maximum(
            np.exp(np.log(np.where(urban, 19.0, 22.0)) + 0.15 * z + 0.45 * rng.standard_normal(n)),
            MIN_AREA_PER_PERSON + 0.5,
        ),
    )
    floor_area = np.where(has_dwelling, np.round(per_person * size, 1), 0.0)

    water_group = np.where(urban, 1, np.where(params.mountain[prov], 2, 0))
    clean_water = choose_by_group(
        rng,
        water_group,
        (
            (0.45, 0.30, 0.10, 0.05, 0.07, 0.03),
            (0.85, 0.07, 0.02, 0.00, 0.01, 0.05),
            (0.35, 0.15, 0.10, 0.30, 0.07, 0.03),
        ),
    )
    unclean_water = 6 + choose(rng, n, (0.35, 0.20, 0.25, 0.10, 0.10))
    water = np.where(f["water_source"], unclean_water, clean_water)
    good_latrine = choose_by_group(
        rng, urban.astype(np.int64), ((0.72, 0.12, 0.08, 0.04, 0.04), (0.93, 0.04, 0.02, 0.005, 0.005))
    )
    bad_latrine = 5 + choose(rng, n, (0.5, 0.1, 0.1, 0.3))
    latrine = np.where(f["latrine"], bad_latrine, good_latrine)
    waste = np.where(
        urban,
        2 - ordinal(0.5 * z + 0.866 * rng.standard_normal(n), (0.03, 0.05, 0.92)),
        2 - ordinal(0.5 * z + 0.866 * rng.standard_normal(n), (0.12, 0.33, 0.55)),
    )

    no_info = f["information_assets"]
    tv = ~no_info & (u_h[:, 3] < 0.90)
    radio = ~no_info & (u_h[:, 4] < 0.08)
    computer = ~no_info & (u_h[:, 5] < logistic(np.where(urban, -0.4, -1.7) + 0.8 * z))
    smartphone = ~no_info & ((u_h[:, 6] < 0.88) | ~(tv | radio | computer))
    telephone = smartphone | (u_h[:, 7] < np.where(no_info, 0.6, 0.995))
    internet = ~f["telecom"]
    u_misc = rng.random((n, 2))
    loudspeaker = u_misc[:, 0] < np.where(urban, 0.5, 0.75)
    ill_untreated = u_misc[:, 1] < logistic(-3.6 + 0.5 * base)

    # --- the model's own deprivation count (calibration only) ----------------------------------------
    dependant = (age < 16) | (age >= RETIREMENT_AGE) | ~capacity
    dependants = np.add.reduceat(dependant.astype(np.int64), starts) * 2 > size
    deprivations = (
        (f["employment"] & emp_has).astype(np.int64)
        + dependants
        + (f["nutrition"] & nu_has)
        + (f["health_insurance"] & hi_has)
        + (f["adult_education"] & ae_has)
        + (f["child_school"] & cs_has)
        + f["housing_quality"]
        + (f["floor_area"] | ~has_dwelling)
        + f["water_source"]
        + f["latrine"]
        + f["telecom"]
        + f["information_assets"]
    )
    return Population(
        size=size,
        income_12m=income_12m,
        ill_untreated=ill_untreated,
        has_dwelling=has_dwelling,
        durable=durable,
        floor_area=floor_area,
        water=water,
        latrine=latrine,
        waste=waste,
        internet=internet,
        telephone=telephone,
        tv=tv,
        radio=radio,
        computer=computer,
        smartphone=smartphone,
        loudspeaker=loudspeaker,
        age=age,
        male=male,
        capacity=capacity,
        employment=employment,
        insured=insured,
        stunted=stunted,
        underweight=underweight,
        school=school,
        education=education,
        vocational=vocational,
        enterprise=enterprise,
        deprivations=deprivations,
    )
