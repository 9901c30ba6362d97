"""The ranker scores all candidates at once from their term vectors (ranking.Scorer.clause_scores).
These tests hold it to the plain per-entry BM25F formula, bit for bit, and check the term vectors
against the postings they are written with."""

import pytest

from methodbank.catalog.tests.factories import PracticeFactory
from methodbank.search import termvectors
from methodbank.search.bm25 import FIELD_WEIGHTS
from methodbank.search.models import SearchPosting, SearchTermVector
from methodbank.search.ranking import K1, B, Scorer
from methodbank.search.retrieval import retrieve, term_statistics
from methodbank.search.selectors import rank_entries, search_query_parse

pytestmark = pytest.mark.django_db

QUERIES = [
    "romaninuoret",
    "maahanmuuttajille opinto-ohjaus",
    "ohjaava opettajuus",
    '"ohjaava opettajuus"',
    "opo",
    "ohjaa*",
    "ohjaus -romani",
    "erityisen tuen opiskelijat",
]


@pytest.fixture
def catalog():
    texts = [
        (
            "Romaninuorten ohjaus",
            "Romaninuoret ja opinto-ohjaaja tapaavat viikoittain.",
            "Ohjaava opettajuus.",
        ),
        ("Maahanmuuttajien opinto-ohjaus", "Opinto-ohjaajat tukevat maahanmuuttajia.", "Opo ja ohjaus."),
        (
            "Ohjaava opettajuus",
            "Opettajuus, joka ohjaa: ohjaava ote jokaisella tunnilla.",
            "Ohjaus ohjaus ohjaus.",
        ),
        (
            "Erityisen tuen opiskelijat",
            "Erityistä tukea tarvitsevat opiskelijat nivelvaiheessa.",
            "Tuki ja ohjaus.",
        ),
        ("Opettajuus ja ohjaava työote", "Ohjaava työote ja opettajuus arjessa.", "Romanikulttuuri."),
        ("Oppisopimus", "Työpaikalla oppiminen.", "Ei muuta."),
        # The same words in all three fields, in different numbers: the field sums' order matters.
        (
            "Ohjaus ja romaninuoret ohjaus",
            "Ohjaus, ohjaus, ohjaus ja romaninuoret.",
            "Ohjaus. Romaninuori. " * 7,
        ),
        ("Opo ohjaa ohjaus", "Opo ohjaa, opo ohjaa ja ohjaus jatkuu opolle.", "Ohjausta ja ohjaus. " * 13),
    ]
    return [PracticeFactory(title=t, summary=s, goal_and_target_group=b) for t, s, b in texts]


def reference_clause_scores(scorer: Scorer, lengths, counts: dict) -> list[float]:
    """The per-entry formula, written plainly: each slot's best term (idf x saturated, weighted,
    length-normalised frequency), an alternative's slots summed, a clause's best alternative."""
    norms = [
        1 - B + B * length / (avg or 1.0)
        for length, avg in zip(lengths, scorer.stats.avg_lengths, strict=True)
    ]
    slot_scores = [0.0] * scorer.slot_count
    for term, tfs in counts.items():
        weighted = 0
        for tf, weight, norm in zip(tfs, FIELD_WEIGHTS, norms, strict=True):
            if tf:
                weighted += weight * tf / norm
        saturated = weighted * (K1 + 1) / (weighted + K1)
        for number, idf in scorer.term_slots.get(term, []):
            slot_scores[number] = max(slot_scores[number], idf * saturated)
    scores = []
    for _clause, alternatives in scorer.clause_plans:
        best = 0.0
        for numbers, weight in alternatives:
            values = [slot_scores[n] for n in numbers]
            total = 0.0
            if all(values):
                for value in values:
                    total += value
            best = max(best, total * weight)
        scores.append(best)
    return scores


@pytest.mark.parametrize("text", QUERIES)
def test_batch_scores_equal_the_per_entry_formula(catalog, text):
    query = search_query_parse(text)
    statistics = term_statistics(query)
    scorer = Scorer(query, statistics.df)
    retrieved = retrieve(query, depth=120, statistics=statistics)
    assert retrieved.candidates, text
    ids = [pk for pk, _lengths, _vector in retrieved.candidates]
    extras = [retrieved.prefix_counts.get(pk) for pk in ids]
    batch = scorer.clause_scores(
        [c[1] for c in retrieved.candidates], [c[2] for c in retrieved.candidates], extras
    )
    wanted = scorer.exact | {p + "*" for p in scorer.prefixes}
    for column, (pk, lengths, _vector) in enumerate(retrieved.candidates):
        counts = {
            posting.term: (posting.tf_title, posting.tf_summary, posting.tf_body)
            for posting in SearchPosting.objects.filter(practice_id=pk, term__in=wanted)
        }
        counts.update(retrieved.prefix_counts.get(pk, {}))
        expected = reference_clause_scores(scorer, lengths, counts)
        assert batch[:, column].tolist() == expected, (text, pk)


def test_ranking_orders_by_matched_clauses_then_score(catalog):
    ranking = rank_entries(search_query_parse("ohjaava opettajuus"))
    keys = [(-e.matched, -round(e.score, 9), e.practice_id) for e in ranking.entries]
    assert keys == sorted(keys)
    assert ranking.entries[0].practice_id == catalog[2].pk  # the title, the summary and the body


def test_term_vectors_hold_the_postings_frequencies(catalog):
    for practice in catalog:
        vector = bytes(SearchTermVector.objects.get(practice=practice).terms)
        postings = list(SearchPosting.objects.filter(practice=practice))
        assert len(vector) == termvectors.RECORD_BYTES * len(postings)
        found = termvectors.Lookup([p.term for p in postings] + ["ei-tällaista-sanaa"])(vector)
        assert found == {p.term: [p.tf_title, p.tf_summary, p.tf_body] for p in postings}


def test_a_key_found_across_two_records_is_not_a_match():
    vector = termvectors.encode({"a": (1, 2, 3), "b": (4, 5, 6)})
    # A key made of the end of one record and the start of the next one.
    straddling = vector[10:18]
    lookup = termvectors.Lookup(["x"])
    lookup.wanted = [(straddling, "x")]
    assert lookup(vector) == {}


@pytest.mark.parametrize("text", ["erityisen tuen opiskelijat", "romaninuoret", '"ohjaava opettajuus" opo'])
def test_batch_scores_equal_the_formula_on_random_entries(catalog, text):
    """Thousands of made-up entries with the query's terms in random fields and numbers: any change
    in the order of the floating-point arithmetic shows here."""
    import random

    rng = random.Random(2020)
    query = search_query_parse(text)
    scorer = Scorer(query, term_statistics(query).df)
    terms = sorted(scorer.exact)
    entries = []
    for _ in range(3000):
        counts = {
            term: (rng.choice((0, 0, 1, 2)), rng.choice((0, 0, 1, 3)), rng.choice((0, 1, 2, 7)))
            for term in rng.sample(terms, rng.randint(0, len(terms)))
        }
        counts = {term: tfs for term, tfs in counts.items() if any(tfs)}
        entries.append(((rng.randint(1, 12), rng.randint(1, 80), rng.randint(1, 900)), counts))
    batch = scorer.clause_scores([e[0] for e in entries], [termvectors.encode(e[1]) for e in entries])
    for column, (lengths, counts) in enumerate(entries):
        assert batch[:, column].tolist() == reference_clause_scores(scorer, lengths, counts)


def test_a_clause_tells_as_much_as_the_entries_it_matches(catalog):
    """A common word's information is its own idf, not that of a rare label its thesaurus
    expansion brings: with the rare label's idf, entries sharing the query's everyday words (opiskelija,
    ohjaus) covered as much of a long question as those sharing its rare words."""
    from methodbank.search.query import Alternative, Clause, ParsedQuery

    common = Clause(
        "opiskelijat",
        "word",
        [
            Alternative((frozenset(["opiskelija"]),)),
            Alternative((frozenset(["studerande"]),), 0.5, expansion=True),
        ],
    )
    rare = Clause("oppisopimus", "word", [Alternative((frozenset(["oppisopimus"]),))])
    # An alternative of two slots matches about as many entries as its rarer slot.
    parts = Clause("romaninuoret", "word", [Alternative((frozenset(["romani"]), frozenset(["ohjaus"])), 0.8)])
    df = {"opiskelija": 6, "studerande": 1, "oppisopimus": 1, "romani": 2, "ohjaus": 6}
    scorer = Scorer(ParsedQuery("q", [common, rare, parts]), df)
    assert scorer.clause_weights == [scorer.idf("opiskelija"), scorer.idf("oppisopimus"), scorer.idf("romani")]
    assert scorer.clause_weights[0] < scorer.clause_weights[1]
