"""Agreement between two coders on one binary decision (did each apply a code to a unit),
from its 2×2 table: percent agreement, Cohen's kappa and Krippendorff's alpha (nominal).

Kappa takes the standard chance term ``pe = pA·pB + (1−pA)(1−pB)``, where pA and pB are the
shares of units each coder applied the code to, and is undefined (None) when ``pe = 1``.
Alpha is computed by the ``krippendorff`` package. It depends only on the coincidence
matrix, so the package is handed an exact equivalent of the units rather than every unit:
the units where neither coder applied the code as one unit of ``2·neither`` identical
values (which adds ``2·neither`` to the same coincidence cell, as the units one by one do),
likewise the units both coded, and each unit where they differ as itself. Past
:data:`PACKAGE_ROWS` such units the same formula is evaluated directly
(:func:`alpha_from_counts`), to keep memory bounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

PACKAGE_ROWS = 500_000
"""Units where the coders differ up to which alpha is left to the package (about 150 bytes each)."""


@dataclass(frozen=True)
class Table:
    """Units coded by both, by the first coder only, by the second only, and all units."""

    both: int = 0
    a_only: int = 0
    b_only: int = 0
    units: int = 0

    @property
    def neither(self) -> int:
        return self.units - self.both - self.a_only - self.b_only

    def __add__(self, other: Table) -> Table:
        return Table(self.both + other.both, self.a_only + other.a_only, self.b_only + other.b_only,
                     self.units + other.units)

    def figures(self) -> dict[str, float | int | None]:
        """agreement, kappa, alpha and the counts, as the agreement JSON gives them."""
        return {"agreement": agreement(self), "kappa": kappa(self), "alpha": alpha(self),
                "both": self.both, "a_only": self.a_only, "b_only": self.b_only, "units": self.units}


def agreement(t: Table) -> float | None:
    """The share of units on which the two coders agree (both applied it, or neither did)."""
    return (t.both + t.neither) / t.units if t.units else None


def kappa(t: Table) -> float | None:
    """Cohen's kappa; None when there are no units or chance agreement is certain."""
    if not t.units:
        return None
    p_a = Fraction(t.both + t.a_only, t.units)
    p_b = Fraction(t.both + t.b_only, t.units)
    observed = Fraction(t.both + t.neither, t.units)
    chance = p_a * p_b + (1 - p_a) * (1 - p_b)
    if chance == 1:
        return None
    return float((observed - chance) / (1 - chance))


def alpha(t: Table) -> float | None:
    """Krippendorff's alpha, nominal, by the ``krippendorff`` package; None when undefined
    (no units, or every value the same, so that no disagreement could be expected)."""
    differ = t.a_only + t.b_only
    if not t.units or not (2 * t.neither + differ) or not (2 * t.both + differ):
        return None
    if differ > PACKAGE_ROWS:
        return alpha_from_counts(t)
    import krippendorff
    import numpy as np

    rows = [[2 * t.neither, 0]] if t.neither else []
    rows += [[0, 2 * t.both]] if t.both else []
    counts = np.array(rows + [[1, 1]] * differ, dtype=np.int64)
    return float(krippendorff.alpha(value_counts=counts, value_domain=[0, 1], level_of_measurement="nominal"))


def alpha_from_counts(t: Table) -> float | None:
    """Alpha for two coders and two values with no value missing: ``1 − (n−1)·D / (n₀·n₁)``,
    n the values in all (two a unit), D the units where they differ, n₀ and n₁ how often
    each value was given."""
    differ = t.a_only + t.b_only
    absent, present = 2 * t.neither + differ, 2 * t.both + differ
    if not t.units or not absent or not present:
        return None
    return float(1 - Fraction((2 * t.units - 1) * differ, absent * present))
