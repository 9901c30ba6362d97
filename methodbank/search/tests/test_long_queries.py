"""A long query (a question typed as a sentence) ranks the entry sharing its rare word above the
entries sharing several of its everyday words (selectors.LONG_QUERY_CLAUSES)."""

import pytest

from methodbank.catalog.tests.factories import PracticeFactory, ProjectFactory
from methodbank.search import selectors
from methodbank.search.selectors import search_entries

pytestmark = pytest.mark.django_db

EVERYDAY = (
    "Ryhmä kokoontuu koulun jälkeen, ja jokainen opiskelija saa tukea omiin tavoitteisiinsa. "
    "Toiminta jatkuu koko lukuvuoden, ja ryhmää vetää kaksi aikuista vuorotellen."
)


@pytest.fixture
def corpus():
    project = ProjectFactory(name="Sujuvat polut")
    for number in range(20):
        PracticeFactory(
            title=f"Ryhmä {number}", summary="Nuoret kokoontuvat koulussa viikoittain.", project=project
        )
    for number in range(3):
        PracticeFactory(title=f"Iltapäiväryhmä {number}", summary=EVERYDAY, project=project)
    PracticeFactory(
        title="Tutustumispäivä", summary="Yläkoululaiset tutustuvat metallialaan koulussa.", project=project
    )


QUESTION = "miten tukea opiskelijaa koulussa metallialalla"


def titles(text):
    from methodbank.catalog.models import Practice

    names = dict(Practice.objects.values_list("pk", "title"))
    return [names[e.practice_id] for e in search_entries(text=text).entries]


def test_long_question_ranks_the_entry_with_its_rare_word_first(corpus):
    assert titles(QUESTION)[0] == "Tutustumispäivä"


def test_the_softer_coverage_is_only_for_long_queries(corpus, monkeypatch):
    # The same question with the square (the exponent of short queries) buries the rare word's entry.
    monkeypatch.setattr(selectors, "LONG_QUERY_CLAUSES", 99)
    assert titles(QUESTION)[0] != "Tutustumispäivä"


def test_a_question_of_three_clauses_weighs_coverage_softly(corpus, monkeypatch):
    # "miten" is dropped: three clauses are left, and the entry with the rare word comes first.
    question = "miten tukea opiskelijaa metallialalla"
    assert len(selectors.search_query_parse(question).positive) == 3
    assert titles(question)[0] == "Tutustumispäivä"
    monkeypatch.setattr(selectors, "LONG_QUERY_CLAUSES", 4)
    assert titles(question)[0] != "Tutustumispäivä"
