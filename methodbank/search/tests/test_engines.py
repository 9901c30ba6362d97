"""SQLite and PostgreSQL give the same results: the suite runs on both database engines against the
same expected rankings and scores below (computed once, identical on both)."""

import pytest
from django.db import connection

from methodbank.catalog.tests.factories import KeywordFactory, PracticeFactory, ProjectFactory
from methodbank.search import selectors
from methodbank.search.selectors import rank_entries, search_entries, search_query_parse

pytestmark = pytest.mark.django_db

CORPUS = [
    ("Ohjaava opettajuus", "Opettaja ohjaa opiskelijaa työpaikalla ja oppilaitoksessa.", "ohjaus"),
    ("Opiskelijoiden ohjaus", "Ohjaus tukee opiskelijoita koko opintojen ajan.", "ohjaus"),
    (
        "Romanityöntekijä Ohjaamossa",
        "Romaninuoret tavoitetaan Ohjaamossa yhdessä romanityöntekijän kanssa.",
        "",
    ),
    ("Ohjauskahvila romaneille", "Romanitaustaiset nuoret saavat ohjausta ja tukea koulutukseen.", "romanit"),
    ("Jalkautuva opinto-ohjaus", "Opinto-ohjaajat jalkautuvat oppilaitoksen ulkopuolelle.", "ohjaus"),
    ("Opo peruskoulussa", "Opo tapaa yhdeksäsluokkalaiset ennen yhteishakua.", ""),
    ("Työelämään siirtyminen", "Nuoret siirtyvät työelämään työpaikkaohjaajan tuella.", "työelämä"),
    (
        "Väyläopinnot ammattikorkeakouluun",
        "Ammatillisen koulutuksen opiskelijat opiskelevat AMK-opintoja.",
        "",
    ),
    ("Opettajuus ja ohjaus", "Ohjaava työote ja uusi opettajuus eri paikoissa.", "ohjaus"),
    ("Keskeyttämisen ehkäisy", "Keskeyttämisvaarassa olevat opiskelijat saavat tukea ja ohjausta.", ""),
]

# query -> [(title, score rounded to 4 decimals), ...] in rank order. Entries matching only some of
# the words rank by score times their IDF-weighted coverage of the query, squared (selectors._score):
# "opiskelija" (4 entries) tells more than "ohjaus" (6) here, so the entry with only "opiskelija"
# comes before those with only "ohjaus" (a clause's information is its own words' idf, not that of
# the rare labels its thesaurus expansion brings: ranking.Scorer._information).
EXPECTED = {
    '"ohjaava opettajuus"': [("Ohjaava opettajuus", 5.0858)],
    "amk": [("Väyläopinnot ammattikorkeakouluun", 2.8517)],
    "keskeyttämisvaarassa olevat": [("Keskeyttämisen ehkäisy", 5.1579)],
    "nuoret työelämä kuukivi": [
        ("Työelämään siirtyminen", 5.5481),
        # Three clauses: coverage by its square root (selectors.LONG_QUERY_CLAUSES), so the higher
        # scores of the entries with "nuoret" come before the one with työelämä's concept.
        ("Ohjauskahvila romaneille", 1.5419),
        ("Romanityöntekijä Ohjaamossa", 1.4557),
        ("Ohjaava opettajuus", 1.0603),  # "työpaikalla": työelämä's vocabulary concept
    ],
    "ohjaa*": [
        ("Ohjaava opettajuus", 2.5429),
        ("Romanityöntekijä Ohjaamossa", 2.3849),
        ("Jalkautuva opinto-ohjaus", 2.0559),
        ("Opettajuus ja ohjaus", 2.0559),
        ("Työelämään siirtyminen", 1.8322),
    ],
    "ohjaus": [
        ("Opiskelijoiden ohjaus", 0.9969),
        ("Opettajuus ja ohjaus", 0.9411),
        ("Ohjauskahvila romaneille", 0.9129),
        ("Jalkautuva opinto-ohjaus", 0.865),
        ("Keskeyttämisen ehkäisy", 0.73),
        ("Ohjaava opettajuus", 0.515),
    ],
    "ohjaus -romanit": [
        ("Opiskelijoiden ohjaus", 0.9969),
        ("Opettajuus ja ohjaus", 0.9411),
        ("Jalkautuva opinto-ohjaus", 0.865),
        ("Keskeyttämisen ehkäisy", 0.73),
        ("Ohjaava opettajuus", 0.515),
    ],
    "opiskelijoiden ohjaus": [
        ("Opiskelijoiden ohjaus", 2.6566),
        ("Keskeyttämisen ehkäisy", 1.9703),
        ("Ohjaava opettajuus", 1.7943),
        ("Väyläopinnot ammattikorkeakouluun", 1.2793),
        ("Opettajuus ja ohjaus", 0.9411),
        ("Ohjauskahvila romaneille", 0.9129),
        ("Jalkautuva opinto-ohjaus", 0.865),
    ],
    # "Opiskelijoiden ohjaus" through a related concept (opinto-ohjaus), lowest.
    "opo": [("Opo peruskoulussa", 3.7187), ("Jalkautuva opinto-ohjaus", 1.4974), ("Opiskelijoiden ohjaus", 0.9352)],
    "romaninuoret": [("Ohjauskahvila romaneille", 3.3701), ("Romanityöntekijä Ohjaamossa", 3.2604)],
    "väyläopinnoista": [("Väyläopinnot ammattikorkeakouluun", 2.9948)],
}


@pytest.fixture
def corpus():
    project = ProjectFactory(name="Sujuvat polut")
    for title, summary, keyword in CORPUS:
        keywords = [KeywordFactory(name=keyword)] if keyword else []
        PracticeFactory(title=title, summary=summary, project=project, keywords=keywords)


def ranking(text):
    from methodbank.catalog.models import Practice

    titles = dict(Practice.objects.values_list("pk", "title"))
    return [(titles[e.practice_id], round(e.score, 4)) for e in search_entries(text=text).entries]


@pytest.mark.parametrize("text", sorted(EXPECTED))
def test_same_ranking_and_scores_on_every_engine(corpus, text):
    assert ranking(text) == EXPECTED[text], connection.vendor


def test_final_ranking_does_not_depend_on_the_engines_candidate_order(corpus, monkeypatch):
    query = search_query_parse("ohjaus opiskelijat")
    expected = [(e.practice_id, round(e.score, 9)) for e in rank_entries(query).entries]
    original = selectors.retrieve

    def reversed_retrieve(*args, **kwargs):
        retrieved = original(*args, **kwargs)
        retrieved.candidates = list(reversed(retrieved.candidates))
        return retrieved

    monkeypatch.setattr(selectors, "retrieve", reversed_retrieve)
    assert [(e.practice_id, round(e.score, 9)) for e in rank_entries(query).entries] == expected
