"""SQL-like, full-text-syntax and extremely long queries on the site search and the API's ``q``:
a page or a 400 that says what is wrong, never a 500, and nothing stored changes."""

import pytest
from django.urls import reverse

from methodbank.catalog.tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = {
    "or-1-equals-1": "' OR 1=1 --",
    "drop-table": '"; DROP TABLE catalog_practice; --',
    "union-select": "x' UNION SELECT password FROM accounts_user --",
    "fts-near": "NEAR(",
    "fts-unbalanced-quote": '"unbalanced',
    "fts-star": "*",
    "fts-minus": "-",
    "fts-operators": "AND OR NOT",
    "fts-column": "title:ohjaus",
    "fts-caret": "^ohjaus",
    "tsquery-syntax": "ohjaus & !( | ):*",
    "percent-wildcards": "%_%",
    "backslashes": "\\\\' \\",
    "nul-byte": "ohjaus\x00",
    "lone-surrogate-escape": "%ED%A0%80",
    "only-spaces": "     ",
    "long-100kB": "ohjaus " * 15000,
    "long-word-100kB": "a" * 100_000,
}


@pytest.fixture
def catalog(db):
    PracticeFactory(title="Ohjaus ja neuvonta", summary="Hakeutumisen ohjaus.")
    PracticeFactory(title="Työelämäjakso", summary="Työpaikalla oppiminen.")


@pytest.mark.parametrize("name", HOSTILE_QUERIES)
def test_site_search_answers_without_error(client, catalog, unchanged, name):
    check = unchanged()
    response = client.get(reverse("search:search"), {"q": HOSTILE_QUERIES[name]})
    assert response.status_code in (200, 400), f"{name}: {response.status_code}"
    if response.status_code == 400:
        assert "search" in response.content.decode().lower(), name
    check(f"search {name}")


@pytest.mark.parametrize("name", HOSTILE_QUERIES)
def test_api_q_answers_with_data_or_a_problem_naming_q(client, catalog, unchanged, name):
    check = unchanged()
    response = client.get("/api/v1/entries", {"q": HOSTILE_QUERIES[name]})
    assert response.status_code in (200, 400), f"{name}: {response.status_code}"
    if response.status_code == 400:
        problem = response.json()
        assert response["Content-Type"].startswith("application/problem+json")
        assert "q" in {e.get("name") for e in problem.get("errors", [])} or "q" in problem["detail"], problem
    else:
        assert "items" in response.json() or "results" in response.json()
    check(f"API q {name}")


def test_sql_injection_does_not_widen_the_search(client, catalog):
    """A classic injection must not match everything: it is searched as words."""
    response = client.get("/api/v1/entries", {"q": "zzzz' OR 1=1 --"})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        body = response.json()
        assert body.get("count", len(body.get("items", []))) == 0
