"""The judged query sets of bench/relevance stay usable: each file loads, every judged entry
(title and project) exists in the imported Zoomi 2020 catalog, and the records are well formed.

A judged entry that does not resolve would silently vanish from the relevance figures (or stop
``run.py`` with a LookupError), so a re-import that renames entries, or a typo in a hand-written
judgment, must fail here rather than in the middle of a benchmark run. The quality thresholds
themselves live in test_relevance.py; this module only checks the files.
"""

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench" / "relevance"))

from evaluate import BLIND, BLIND4, HOLDOUT, JUDGMENTS, KINDS, load_judgments  # noqa: E402

FILES = (JUDGMENTS, HOLDOUT, BLIND, BLIND4)


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_every_record_is_well_formed(path):
    records = json.loads(path.read_text(encoding="utf-8"))
    queries = Counter(record["query"].strip().lower() for record in records)
    assert [query for query, n in queries.items() if n > 1] == []
    for record in records:
        assert set(record) == {"kind", "language", "query", "relevant"}, record["query"]
        assert record["kind"] in KINDS, record["query"]
        assert record["language"] in ("fi", "sv", "en"), record["query"]
        assert record["query"].strip(), record
        # A query without a relevant entry has no recall to measure.
        assert record["relevant"], record["query"]
        for judged in record["relevant"]:
            assert set(judged) == {"title", "project", "grade"}, record["query"]
            assert judged["grade"] in (1, 2), record["query"]
        # Recall@10 counts every judged entry: more than ten could never reach 1.0.
        entries = {(judged["title"], judged["project"]) for judged in record["relevant"]}
        assert len(entries) == len(record["relevant"]) <= 10, record["query"]


@pytest.mark.parametrize("path", (BLIND, BLIND4), ids=lambda path: path.name)
def test_the_blind_sets_cover_every_kind_and_language(path):
    records = json.loads(path.read_text(encoding="utf-8"))
    assert len(records) >= 150
    kinds = Counter(record["kind"] for record in records)
    assert set(kinds) == set(KINDS)
    languages = Counter(record["language"] for record in records)
    assert {"fi", "sv", "en"} <= set(languages)
    # About a fifth in Swedish or English, as the issue asks.
    assert (languages["sv"] + languages["en"]) / len(records) >= 0.18


@pytest.mark.django_db
@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_every_judged_entry_exists_in_the_imported_catalog(seeded_db, path):
    # load_judgments raises LookupError naming the entries it cannot resolve.
    judged = load_judgments(path)
    assert len(judged) == len(json.loads(path.read_text(encoding="utf-8")))
    assert all(item.grades for item in judged)
