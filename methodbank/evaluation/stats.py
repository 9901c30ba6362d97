"""Agreement and distribution statistics for the evaluation results (pure functions, no ORM)."""

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np

METRICS = ("nominal", "ordinal", "interval")


@dataclass(frozen=True)
class AlphaResult:
    alpha: float | None  # None when undefined: too few pairable values or no variation at all
    raters: int  # raters who gave at least one pairable value
    units: int  # units with at least two values (the pairable ones)
    pairable_values: int


def krippendorff_alpha(ratings: Sequence[Sequence[Hashable | None]], metric: str = "ordinal") -> AlphaResult:
    """Krippendorff's alpha from reliability data: one row per rater, one column per unit, None = missing.

    The alpha is the ``krippendorff`` package's (Krippendorff 2011, "Computing Krippendorff's
    Alpha-Reliability": alpha = 1 - (n - 1) * sum(o_ck * d2_ck) / sum(n_c * n_k * d2_ck)); the
    counts shown beside it, and the cases where it is undefined, are worked out here.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; use one of {', '.join(METRICS)}")
    width = max((len(row) for row in ratings), default=0)
    pairable_raters, pairable = set(), []
    units = 0
    for u in range(width):
        values = [(r, row[u]) for r, row in enumerate(ratings) if u < len(row) and row[u] is not None]
        if len(values) < 2:
            continue
        units += 1
        pairable_raters.update(r for r, _ in values)
        pairable += [v for _, v in values]
    result = {"raters": len(pairable_raters), "units": units, "pairable_values": len(pairable)}
    # Undefined: nothing to pair, or no variation (the expected disagreement is zero; the package
    # raises an error for a one-value domain).
    if len(pairable) <= 1 or len(set(pairable)) < 2:
        return AlphaResult(alpha=None, **result)
    if metric == "nominal":
        # Nominal categories need not be numbers: the package gets each one's index.
        every = {value for row in ratings for value in row if value is not None}
        codes = {value: number for number, value in enumerate(sorted(every, key=repr))}
    matrix = np.full((len(ratings), width), np.nan)
    for r, row in enumerate(ratings):
        for u, value in enumerate(row):
            if value is not None:
                matrix[r, u] = codes[value] if metric == "nominal" else float(value)
    return AlphaResult(alpha=float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=metric)), **result)


@dataclass(frozen=True)
class Distribution:
    counts: dict  # level -> count, for every level (zeros included)
    cannot_say: int
    answered: int  # numeric answers
    mean: float | None


def distribution(values: Sequence[int | None], levels: Sequence[int] = (1, 2, 3, 4)) -> Distribution:
    """Counts per level, the "cannot say" count and the mean of the numeric answers."""
    counted = Counter(v for v in values if v is not None)
    unknown = set(counted) - set(levels)
    if unknown:
        raise ValueError(f"values outside the scale: {sorted(unknown)}")
    answered = sum(counted.values())
    mean = sum(v * c for v, c in counted.items()) / answered if answered else None
    return Distribution(
        counts={level: counted.get(level, 0) for level in levels},
        cannot_say=sum(1 for v in values if v is None),
        answered=answered,
        mean=mean,
    )
