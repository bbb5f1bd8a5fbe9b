"""Poverty measures (chỉ số đo lường nghèo): Alkire-Foster multidimensional measures and household rates.

Framework-free: plain Polars, no Django and no dependency on :mod:`giamngheo.standards`. The standards
engine classifies households; this package aggregates deprivation matrices and classes into measures.
"""

from giamngheo.measures.alkire_foster import (
    AFResult,
    af_from_sums,
    af_sums,
    alkire_foster,
    deprivation_matrix,
)
from giamngheo.measures.rates import household_rates

__all__ = ["AFResult", "af_from_sums", "af_sums", "alkire_foster", "deprivation_matrix", "household_rates"]
