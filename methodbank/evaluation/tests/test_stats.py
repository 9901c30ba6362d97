import pytest

from methodbank.evaluation.stats import distribution, krippendorff_alpha

N = None

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the worked example with four
# observers, twelve units and missing values. Published results: nominal 0.743, ordinal 0.815,
# interval 0.849.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


@pytest.mark.parametrize(
    ("metric", "expected"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)]
)
def test_alpha_matches_krippendorffs_published_example(metric, expected):
    result = krippendorff_alpha(KRIPPENDORFF_2011, metric)
    assert result.alpha == pytest.approx(expected, abs=0.0005)
    # Unit 12 has one value only, so 11 units and 40 values are pairable; all four observers count.
    assert (result.units, result.pairable_values, result.raters) == (11, 40, 4)


# A small example computed by hand. Three raters, three units:
#   rater A: 1 2 3 / rater B: 1 2 4 / rater C: 2 2 3
# Coincidences: unit 1 {1,1,2} gives o11=1, o12=o21=1; unit 2 {2,2,2} gives o22=3;
# unit 3 {3,4,3} gives o33=1, o34=o43=1. Marginals n1=2, n2=4, n3=2, n4=1, n=9.
# Interval: sum(o*d2) = 4; sum(n_c*n_k*d2) = 2*(8+16+18+8+16+2) = 136;
#   alpha = 1 - (9-1)*4/136 = 13/17.
# Ordinal: d2(1,2)=(6-3)^2=9, d2(3,4)=(3-1.5)^2=2.25, d2(1,3)=36, d2(1,4)=56.25, d2(2,3)=9, d2(2,4)=20.25;
#   sum(o*d2) = 2*9 + 2*2.25 = 22.5; sum(n_c*n_k*d2) = 2*(72+144+112.5+72+81+4.5) = 972;
#   alpha = 1 - 8*22.5/972 = 22/27.
HAND = [[1, 2, 3], [1, 2, 4], [2, 2, 3]]


def test_alpha_matches_a_hand_computed_example():
    assert krippendorff_alpha(HAND, "interval").alpha == pytest.approx(13 / 17)
    assert krippendorff_alpha(HAND, "ordinal").alpha == pytest.approx(22 / 27)
    assert krippendorff_alpha(HAND, "ordinal").raters == 3


def test_full_agreement_with_variation_is_one_and_no_variation_is_undefined():
    assert krippendorff_alpha([[1, 2, 3, 4], [1, 2, 3, 4]], "ordinal").alpha == pytest.approx(1.0)
    # Everyone gave the same value everywhere: no variation, so alpha cannot be computed.
    assert krippendorff_alpha([[3, 3], [3, 3]], "ordinal").alpha is None


def test_a_single_rater_gives_no_alpha():
    result = krippendorff_alpha([[1, 2, 3, 4]], "ordinal")
    assert result.alpha is None
    assert result.raters == 0


def test_unknown_metric_is_refused():
    with pytest.raises(ValueError, match="unknown metric"):
        krippendorff_alpha(HAND, "ratio-ish")


def test_distribution_counts_levels_cannot_say_and_mean():
    result = distribution([1, 3, 3, 4, None, None])
    assert result.counts == {1: 1, 2: 0, 3: 2, 4: 1}
    assert result.cannot_say == 2
    assert result.answered == 4
    assert result.mean == pytest.approx(11 / 4)


def test_distribution_without_answers_has_no_mean_and_rejects_values_off_the_scale():
    assert distribution([None]).mean is None
    with pytest.raises(ValueError, match="outside the scale"):
        distribution([5])
