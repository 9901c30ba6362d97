"""Relevance of the search on the judged queries of judgments.json, beside two baselines.

Each query was written the way counsellors, teachers and students type, and its relevant entries
were judged by reading the Zoomi 2020 catalog: grade 2 answers the query, grade 1 is related.
Entries are named by title and project, so the judgments survive a re-import (new ids).

Systems compared on the same catalog:

- ``search``: the site's search (selectors.search_entries), as the search page ranks.
- ``icontains``: what the old method-bank sites offered: every word of the query must appear,
  case-insensitively, in the title, the summary or a template section; ordered by title.
- ``bm25``: plain Snowball-stemmed BM25 (what PostgreSQL's ``finnish`` configuration or Lucene's
  Finnish analyser gives): the entry's title, summary and sections as one field, each word
  lower-cased and stemmed with Snowball Finnish, the query's words OR-ed, k1 1.2, b 0.75.

Metrics, per kind of query and overall: recall@10 (share of the relevant entries, grade 1 or 2,
in the first ten), nDCG@10 (gain 2^grade - 1), MRR (first relevant entry) and the share of
queries with no result at all.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

JUDGMENTS = Path(__file__).resolve().parent / "judgments.json"
# A second set, written and judged apart from the first and never used to tune the search: a rise
# on judgments.json that does not show here is overfitting to the tuning queries.
HOLDOUT = Path(__file__).resolve().parent / "holdout.json"
# A third set, written blind: from the catalog alone, by someone who never read the search code,
# its tuning notes or the other two sets' queries, so it carries none of their bias.
BLIND = Path(__file__).resolve().parent / "blind.json"
# A fourth, fresh blind set written the same way by another writer, with more questions (the kind
# counsellors type most): a gain on blind.json that does not show here was learnt from its misses.
BLIND4 = Path(__file__).resolve().parent / "blind4.json"
TOP = 10
SYSTEMS = ("search", "icontains", "bm25")
KINDS = ("typo", "unknown", "compound", "colloquial", "swedish_english", "multiword", "question", "literal")


@dataclass
class Judged:
    kind: str
    language: str
    query: str
    grades: dict[int, int]  # practice id -> grade


def load_judgments(path: Path = JUDGMENTS) -> list[Judged]:
    """The judged queries with their entries resolved to the ids of the imported catalog."""
    from methodbank.catalog.models import Practice

    ids = {}
    for pk, title, project in Practice.objects.values_list("pk", "title", "project__name"):
        ids[(title, project or "")] = pk
    result, missing = [], []
    for item in json.loads(path.read_text(encoding="utf-8")):
        grades = {}
        for judged in item["relevant"]:
            pk = ids.get((judged["title"], judged["project"]))
            if pk is None:
                missing.append(judged["title"])
            else:
                grades[pk] = max(grades.get(pk, 0), judged["grade"])
        result.append(Judged(item["kind"], item["language"], item["query"], grades))
    if missing:
        raise LookupError(f"judged entries missing from the catalog: {missing[:5]} ({len(missing)})")
    return result


# --- systems ------------------------------------------------------------------------------


def search_top(query: str, language: str) -> list[int]:
    from methodbank.search.selectors import search_entries

    return [e.practice_id for e in search_entries(text=query, language=language).entries[:TOP]]


def _fields():
    from methodbank.catalog.models import Practice

    return ["title", "summary", *[name for name, _heading in Practice.TEMPLATE_FIELDS]]


def icontains_top(query: str, language: str) -> list[int]:
    from django.db.models import Q

    from methodbank.catalog.models import Practice, PublicationStatus

    condition = Q()
    for word in query.split():
        either = Q()
        for name in _fields():
            either |= Q(**{f"{name}__icontains": word})
        condition &= either
    published = Practice.objects.filter(condition, status=PublicationStatus.PUBLISHED)
    return list(published.order_by("title", "pk").values_list("pk", flat=True)[:TOP])


_WORD_RE = re.compile(r"[^\W_]+")


class SnowballBM25:
    """BM25 over Snowball-stemmed words of each published entry (one field)."""

    K1, B = 1.2, 0.75

    def __init__(self):
        import snowballstemmer

        from methodbank.catalog.models import Practice, PublicationStatus

        self.stemmer = snowballstemmer.stemmer("finnish")
        self.docs: dict[int, Counter] = {}
        for row in Practice.objects.filter(status=PublicationStatus.PUBLISHED).values("pk", *_fields()):
            text = "\n".join(str(row[name] or "") for name in _fields())
            self.docs[row["pk"]] = Counter(self.terms(text))
        self.lengths = {pk: sum(c.values()) for pk, c in self.docs.items()}
        self.average = sum(self.lengths.values()) / max(len(self.lengths), 1)
        self.df = Counter(t for c in self.docs.values() for t in c)

    def terms(self, text: str) -> list[str]:
        return self.stemmer.stemWords([w.lower() for w in _WORD_RE.findall(text)])

    def top(self, query: str, language: str) -> list[int]:
        n = len(self.docs)
        scores: dict[int, float] = defaultdict(float)
        for term in set(self.terms(query)):
            df = self.df.get(term, 0)
            if not df:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            for pk, counts in self.docs.items():
                tf = counts.get(term, 0)
                if tf:
                    norm = 1 - self.B + self.B * self.lengths[pk] / self.average
                    scores[pk] += idf * tf * (self.K1 + 1) / (tf + self.K1 * norm)
        return [pk for pk, _s in sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:TOP]]


# --- metrics ------------------------------------------------------------------------------


def recall(found: list[int], grades: dict[int, int]) -> float:
    return sum(1 for pk in grades if pk in found[:TOP]) / len(grades) if grades else 1.0


def ndcg(found: list[int], grades: dict[int, int]) -> float:
    gain = sum((2 ** grades.get(pk, 0) - 1) / math.log2(rank + 2) for rank, pk in enumerate(found[:TOP]))
    ideal = sorted(grades.values(), reverse=True)[:TOP]
    best = sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(ideal))
    return gain / best if best else 1.0


def reciprocal_rank(found: list[int], grades: dict[int, int]) -> float:
    for rank, pk in enumerate(found[:TOP]):
        if pk in grades:
            return 1 / (rank + 1)
    return 0.0


@dataclass
class Figures:
    queries: int = 0
    recall: float = 0.0
    ndcg: float = 0.0
    mrr: float = 0.0
    zero: float = 0.0

    def add(self, found: list[int], grades: dict[int, int]) -> None:
        self.queries += 1
        self.recall += recall(found, grades)
        self.ndcg += ndcg(found, grades)
        self.mrr += reciprocal_rank(found, grades)
        self.zero += not found

    def mean(self) -> dict[str, float]:
        n = max(self.queries, 1)
        return {
            "recall@10": self.recall / n,
            "ndcg@10": self.ndcg / n,
            "mrr": self.mrr / n,
            "zero": self.zero / n,
        }


def evaluate(judged: list[Judged], systems=SYSTEMS) -> tuple[dict, list[dict]]:
    """{system: {kind or "all": metric means}} and the per-query rows (for the misses list)."""
    runners = {"search": search_top, "icontains": icontains_top}
    if "bm25" in systems:
        runners["bm25"] = SnowballBM25().top
    figures = {system: defaultdict(Figures) for system in systems}
    rows = []
    for item in judged:
        row = {"kind": item.kind, "query": item.query, "language": item.language}
        for system in systems:
            found = runners[system](item.query, item.language)
            figures[system][item.kind].add(found, item.grades)
            figures[system]["all"].add(found, item.grades)
            row[system] = recall(found, item.grades)
            if system == "search":
                row["missing"] = [pk for pk in item.grades if pk not in found]
        rows.append(row)
    means = {system: {kind: f.mean() for kind, f in by_kind.items()} for system, by_kind in figures.items()}
    return means, rows


def table(means: dict, counts: dict[str, int] | None = None) -> str:
    """Per kind (rows): each metric (column groups) for each system side by side."""
    systems = list(means)
    kinds = [k for k in (*KINDS, "all") if k in means[systems[0]]]
    metrics = (("recall@10", "recall@10"), ("ndcg@10", "nDCG@10"), ("mrr", "MRR"), ("zero", "zero results"))
    width = 7 * len(systems)
    top = f"{'':<16}{'':>4}" + "".join(f" | {label:^{width}}" for _key, label in metrics)
    names = f"{'kind':<16}{'n':>4}" + "".join(
        " | " + "".join(f"{s[:6]:>7}" for s in systems) for _m in metrics
    )
    lines = [top, names, "-" * len(names)]
    for kind in kinds:
        n = (counts or {}).get(kind, "")
        cells = " | ".join(
            "".join(f"{means[s][kind][key]:>7.3f}" for s in systems) for key, _label in metrics
        )
        lines.append(f"{kind:<16}{n:>4} | {cells}")
    return "\n".join(lines)
