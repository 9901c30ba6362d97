"""Agreement and distribution statistics for the evaluation results (pure functions, no ORM)."""

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

METRICS = ("nominal", "ordinal", "interval")


@dataclass(frozen=True)
class AlphaResult:
    alpha: float | None  # None when undefined: too few pairable values or no variation at all
    raters: int  # raters who gave at least one pairable value
    units: int  # units with at least two values (the pairable ones)
    pairable_values: int


def krippendorff_alpha(ratings: Sequence[Sequence[Hashable | None]], metric: str = "ordinal") -> AlphaResult:
    """Krippendorff's alpha from reliability data: one row per rater, one column per unit, None = missing.

    Follows the coincidence-matrix formulation (Krippendorff 2011, "Computing Krippendorff's
    Alpha-Reliability"): alpha = 1 - (n - 1) * sum(o_ck * d2_ck) / sum(n_c * n_k * d2_ck).
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; use one of {', '.join(METRICS)}")
    width = max((len(row) for row in ratings), default=0)
    coincidences: Counter = Counter()
    pairable_raters = set()
    units = 0
    for u in range(width):
        values = [(r, row[u]) for r, row in enumerate(ratings) if u < len(row) and row[u] is not None]
        m = len(values)
        if m < 2:
            continue
        units += 1
        pairable_raters.update(r for r, _ in values)
        counts = Counter(v for _, v in values)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    coincidences[(c, k)] += pairs / (m - 1)
    marginals: Counter = Counter()
    for (c, _k), o in coincidences.items():
        marginals[c] += o
    n = sum(marginals.values())
    result = {"raters": len(pairable_raters), "units": units, "pairable_values": round(n)}
    if n <= 1:
        return AlphaResult(alpha=None, **result)
    delta2 = _distance(metric, marginals)
    observed = sum(o * delta2(c, k) for (c, k), o in coincidences.items())
    expected = sum(marginals[c] * marginals[k] * delta2(c, k) for c in marginals for k in marginals)
    if expected == 0:
        return AlphaResult(alpha=None, **result)
    return AlphaResult(alpha=1 - (n - 1) * observed / expected, **result)


def _distance(metric, marginals):
    if metric == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    if metric == "interval":
        return lambda c, k: float(c - k) ** 2
    # Ordinal: the distance between two ranks counts the values observed between them.
    ordered = sorted(marginals)
    cumulative = {}
    running = 0.0
    for value in ordered:
        cumulative[value] = running
        running += marginals[value]

    def ordinal(c, k):
        low, high = (c, k) if c <= k else (k, c)
        between = cumulative[high] + marginals[high] - cumulative[low]
        return (between - (marginals[c] + marginals[k]) / 2) ** 2

    return ordinal


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
