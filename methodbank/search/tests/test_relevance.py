"""Relevance on the judged queries of bench/relevance (252 queries written as counsellors,
teachers and students type: typos and missing ä/ö, forms Voikko does not know, unseen compounds,
colloquial words and acronyms, Swedish and English, multi-word queries, questions, literal titles), against
the imported Zoomi 2020 catalog. Fails when recall@10 falls below what the search reaches, or
when it no longer beats both baselines (icontains, Snowball BM25) by a wide margin. The figures
per kind are printed; ``bench/relevance/run.py`` prints them beside the baselines'.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench" / "relevance"))

from evaluate import BLIND, BLIND4, HOLDOUT, evaluate, load_judgments, table  # noqa: E402

# Measured on this set (bench/relevance/RESULTS.md): keep a little below it. The set grew (rel10)
# by 44 questions and unknown word forms, the kinds the blind set shows weakest, appended at its
# end: its first ORIGINAL_QUERIES are the set MIN_RECALL_AT_10 was measured on and stay held to
# it; the whole set, the new queries included, to MIN_RECALL_AT_10_ALL (0.878 measured), and its
# questions to MIN_QUESTION_RECALL_AT_10 (0.617 measured). With pseudo-relevance feedback (rel11,
# feedback.py, and a vocabulary label Voikko cuts into known parts kept whole): the first 208 0.929,
# the whole set 0.889, its questions 0.659.
ORIGINAL_QUERIES = 208
MIN_RECALL_AT_10 = 0.925
MIN_RECALL_AT_10_ALL = 0.885
MIN_QUESTION_RECALL_AT_10 = 0.655
MIN_LITERAL_NDCG = 0.95
# The held-out set (79 queries written and judged apart, never tuned on): 0.876 measured (rel10
# too), 0.881 by rel11.
MIN_HOLDOUT_RECALL_AT_10 = 0.88
# The blind set (185 queries written from the catalog by someone who had not read the search code;
# nobody chooses a change by its misses): 0.799 measured, 0.808 with rel11's feedback.
MIN_BLIND_RECALL_AT_10 = 0.805
# The fourth blind set (195 queries, 44 of them questions, by another writer who had not read the
# search code; measured once, at 0.814 overall and 0.650 on questions, and no query changed since;
# rel11's feedback, chosen without it, then measured 0.822 and 0.663).
MIN_BLIND4_RECALL_AT_10 = 0.815
MIN_BLIND4_QUESTION_RECALL_AT_10 = 0.655


@pytest.mark.django_db
def test_recall_at_10_on_the_judged_queries(seeded_db, capsys):
    judged = load_judgments()
    assert len(judged) >= 150
    means, rows = evaluate(judged, ("search", "icontains"))
    with capsys.disabled():
        print("\n\nRelevance on the judged queries (bench/relevance)\n" + table(means))
    ours = means["search"]["all"]
    original = rows[:ORIGINAL_QUERIES]
    assert sum(r["search"] for r in original) / len(original) >= MIN_RECALL_AT_10, [
        r["query"] for r in original if r["missing"]
    ]
    assert ours["recall@10"] >= MIN_RECALL_AT_10_ALL, [r["query"] for r in rows if r["missing"]]
    assert means["search"]["question"]["recall@10"] >= MIN_QUESTION_RECALL_AT_10
    # Every query finds something (today 0 of 252; 1 % is two queries of slack).
    assert ours["zero"] <= 0.01
    # Literal queries lose no precision to the fuzzy expansions.
    assert means["search"]["literal"]["ndcg@10"] >= MIN_LITERAL_NDCG
    assert ours["recall@10"] >= means["icontains"]["all"]["recall@10"] + 0.4


@pytest.mark.django_db
def test_recall_at_10_on_the_held_out_queries(seeded_db, capsys):
    judged = load_judgments(HOLDOUT)
    assert len(judged) >= 60
    means, rows = evaluate(judged, ("search", "icontains"))
    with capsys.disabled():
        print("\n\nRelevance on the held-out queries (bench/relevance/holdout.json)\n" + table(means))
    ours = means["search"]["all"]
    assert ours["recall@10"] >= MIN_HOLDOUT_RECALL_AT_10, [r["query"] for r in rows if r["missing"]]
    assert ours["zero"] <= 0.02
    assert means["search"]["literal"]["ndcg@10"] >= MIN_LITERAL_NDCG


@pytest.mark.django_db
def test_recall_at_10_on_the_blind_queries(seeded_db, capsys):
    judged = load_judgments(BLIND)
    assert len(judged) >= 150
    means, rows = evaluate(judged, ("search", "icontains"))
    with capsys.disabled():
        print("\n\nRelevance on the blind queries (bench/relevance/blind.json)\n" + table(means))
    ours = means["search"]["all"]
    # Only the count of misses is shown, not the queries: the set stays blind to whoever tunes.
    assert ours["recall@10"] >= MIN_BLIND_RECALL_AT_10, f"{sum(1 for r in rows if r['missing'])} queries miss"
    assert ours["zero"] <= 0.02
    assert means["search"]["literal"]["ndcg@10"] >= MIN_LITERAL_NDCG


@pytest.mark.django_db
def test_recall_at_10_on_the_fourth_blind_queries(seeded_db, capsys):
    judged = load_judgments(BLIND4)
    assert len(judged) >= 150
    assert sum(j.kind == "question" for j in judged) >= 35
    means, rows = evaluate(judged, ("search", "icontains"))
    with capsys.disabled():
        print("\n\nRelevance on the fourth blind queries (bench/relevance/blind4.json)\n" + table(means))
    ours = means["search"]["all"]
    # As for blind.json: the count of misses only, so that nobody tunes on this set's queries.
    assert ours["recall@10"] >= MIN_BLIND4_RECALL_AT_10, f"{sum(1 for r in rows if r['missing'])} queries miss"
    assert means["search"]["question"]["recall@10"] >= MIN_BLIND4_QUESTION_RECALL_AT_10
    assert ours["zero"] <= 0.02
    assert means["search"]["literal"]["ndcg@10"] >= MIN_LITERAL_NDCG
