"""The search log: what is kept (and what is not), clicks through the result links, retention, the
coordinators' report of queries and the action that adds a query word to the vocabulary."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from methodbank.catalog.models import PublicationStatus
from methodbank.catalog.tests.factories import PracticeFactory
from methodbank.core.cache import catalog_version
from methodbank.search.models import Concept, ConceptLabel, SearchLogEntry
from methodbank.search.searchlog import query_report
from methodbank.search.services import search_log_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def search(client, **params):
    return client.get(reverse("search:search"), params)


def test_a_search_is_logged_without_personal_data(client, contributor):
    PracticeFactory(title="Ohjaamon palvelut", summary="Ohjaamo auttaa nuoria.")
    client.force_login(contributor)
    client.get(reverse("search:search"), {"q": "  Ohjaamo   Palvelut "}, REMOTE_ADDR="203.0.113.9")
    row = SearchLogEntry.objects.get()
    assert (row.query, row.language, row.results, row.clicked_rank) == ("ohjaamo palvelut", "en", 1, None)
    assert (row.hour.minute, row.hour.second, row.hour.microsecond) == (0, 0, 0)
    field_names = {f.name for f in SearchLogEntry._meta.get_fields()}
    assert field_names == {"id", "query", "language", "results", "clicked_rank", "hour"}


def test_searches_served_from_the_page_cache_are_logged_and_the_log_keeps_the_cache(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    PracticeFactory(title="Kesäkoulu", summary="Kesäkoulu lukiolaisille.")
    version = catalog_version()
    first = search(client, q="kesäkoulu")
    second = search(client, q="kesäkoulu")
    assert first.content == second.content
    assert list(SearchLogEntry.objects.values_list("results", flat=True)) == [1, 1]
    assert catalog_version() == version  # a log row does not retire the cached pages


def test_only_first_pages_of_unfiltered_queries_are_logged(client):
    PracticeFactory(title="Kesäkoulu", summary="Kesäkoulu.")
    search(client)
    search(client, q="   ")
    search(client, q="kesäkoulu", page="2")
    search(client, q="kesäkoulu", kind="model")
    assert not SearchLogEntry.objects.exists()


def test_a_zero_result_search_is_logged_with_zero(client):
    search(client, q="zzqxv")
    assert SearchLogEntry.objects.get().results == 0


def test_result_links_log_the_clicked_rank_and_lead_to_the_entry(client):
    first = PracticeFactory(title="Ohjaamo ja ohjaamo", summary="Ohjaamo, ohjaamo ja ohjaamo.")
    second = PracticeFactory(title="Ohjaamo", summary="Palvelu.")
    page = search(client, q="ohjaamo").content.decode()
    first_link = reverse("search:result_click", args=[first.pk]) + "?q=ohjaamo&amp;r=1"
    second_link = reverse("search:result_click", args=[second.pk]) + "?q=ohjaamo&amp;r=2"
    assert first_link in page and second_link in page
    # The entries' own addresses (for print), as their get_absolute_url() gives them.
    assert f'data-print-url="{first.get_absolute_url()}" href="{first_link}"' in page
    assert f'data-print-url="{second.get_absolute_url()}" href="{second_link}"' in page
    response = client.get(second_link.replace("&amp;", "&"))
    assert response.status_code == 302 and response["Location"] == second.get_absolute_url()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    click = SearchLogEntry.objects.get(clicked_rank__isnull=False)
    assert (click.query, click.clicked_rank, click.results) == ("ohjaamo", 2, None)


@pytest.mark.parametrize("params", [{"q": "x", "r": "abc"}, {"q": "x", "r": "-3"}, {"q": "", "r": "1"}, {"r": "99999999"}])
def test_a_forged_click_still_forwards_but_logs_nothing(client, params):
    practice = PracticeFactory(title="Ohjaamo", summary="Palvelu.")
    response = client.get(reverse("search:result_click", args=[practice.pk]), params)
    assert response.status_code == 302 and response["Location"] == practice.get_absolute_url()
    assert not SearchLogEntry.objects.exists()


def test_a_click_on_an_unpublished_or_missing_entry_is_not_found(client):
    draft = PracticeFactory(title="Luonnos", summary="Luonnos.", status=PublicationStatus.DRAFT)
    assert client.get(reverse("search:result_click", args=[draft.pk]), {"q": "x", "r": "1"}).status_code == 404
    assert client.get(reverse("search:result_click", args=[987654]), {"q": "x", "r": "1"}).status_code == 404
    assert not SearchLogEntry.objects.exists()


def test_old_rows_are_purged_after_the_retention_period(settings):
    settings.SEARCH_LOG_RETENTION_DAYS = 30
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for days in (1, 29, 31, 400):
        SearchLogEntry.objects.create(query=f"q{days}", language="fi", results=1, hour=now - timedelta(days=days))
    call_command("purge_search_log", stdout=StringIO())
    assert sorted(SearchLogEntry.objects.values_list("query", flat=True)) == ["q1", "q29"]


def test_the_log_write_purges_old_rows_now_and_then(settings):
    settings.SEARCH_LOG_RETENTION_DAYS = 7
    SearchLogEntry.objects.create(query="vanha", language="fi", results=1, hour=timezone.now() - timedelta(days=8))
    search_log_record(query="uusi", language="fi", results=3)
    assert list(SearchLogEntry.objects.values_list("query", flat=True)) == ["uusi"]


def test_logging_can_be_turned_off(client, settings):
    settings.SEARCH_LOG_ENABLED = False
    search(client, q="ohjaamo")
    assert not SearchLogEntry.objects.exists()


# --- The report ----------------------------------------------------------------------------------


def test_the_report_counts_zero_result_and_unopened_queries_and_skips_unfinished_typing():
    for _ in range(3):
        search_log_record(query="kymppiluokka", language="fi", results=0)
    search_log_record(query="kymppi", language="fi", results=0)  # typed on: a beginning of a longer query
    search_log_record(query="studiehandledare", language="sv", results=4)
    search_log_record(query="studiehandledare", language="sv", results=4)
    search_log_record(query="opo", language="fi", results=7)
    search_log_record(query="opo", language="fi", clicked_rank=2)
    report = query_report(days=30)
    assert [(s.query, s.zero_results) for s in report["zero"]] == [("kymppiluokka", 3)]
    assert [(s.query, s.language, s.searches, s.most_results) for s in report["no_click"]] == [
        ("studiehandledare", "sv", 2, 4)
    ]


def test_the_report_page_is_for_coordinators_only(client, contributor, coordinator):
    search_log_record(query="kymppiluokka", language="fi", results=0)
    url = reverse("search:query_log")
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(contributor)
    assert client.get(url).status_code == 403
    assert client.get(reverse("search:query_log_add"), {"q": "x"}).status_code == 403
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert "kymppiluokka" in page
    assert reverse("search:query_log_add") + "?q=kymppiluokka&amp;lang=fi" in page


def test_a_coordinator_adds_a_query_word_to_a_concept_and_search_finds_it_at_once(client, coordinator):
    practice = PracticeFactory(title="Lisäopetuksen ryhmä", summary="Lisäopetus.")
    assert search(client, q="kymppiluokkalainen").context["results"].count == 0
    client.force_login(coordinator)
    form = client.get(reverse("search:query_log_add"), {"q": "kymppiluokkalainen", "lang": "fi"})
    assert 'value="kymppiluokkalainen"' in form.content.decode()
    concept = Concept.objects.get(identifier="lisaopetus")
    response = client.post(
        reverse("search:query_log_add"),
        {"text": "kymppiluokkalainen", "concept": concept.pk, "language": "fi", "kind": "colloquial"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("search:query_log")
    assert ConceptLabel.objects.filter(concept=concept, text="kymppiluokkalainen", kind="colloquial").exists()
    client.logout()
    assert [e.practice_id for e in search(client, q="kymppiluokkalainen").context["results"].entries] == [practice.pk]


def test_adding_a_label_refuses_duplicates_and_bad_input(client, coordinator):
    client.force_login(coordinator)
    concept = Concept.objects.get(identifier="lisaopetus")
    url = reverse("search:query_log_add")
    duplicate = client.post(url, {"text": "kymppiluokka", "concept": concept.pk, "language": "fi", "kind": "alt"})
    assert duplicate.status_code == 200 and "already has this label" in duplicate.content.decode()
    for data in (
        {"text": "a | b", "concept": concept.pk, "language": "fi", "kind": "alt"},
        {"text": "=HYPERLINK(\"http://example.org\")", "concept": concept.pk, "language": "fi", "kind": "alt"},
        {"text": "sana", "concept": "999999", "language": "fi", "kind": "alt"},
        {"text": "sana", "concept": concept.pk, "language": "xx", "kind": "alt"},
        {"text": "sana", "concept": concept.pk, "language": "fi", "kind": "bogus"},
        {"text": "x" * 201, "concept": concept.pk, "language": "fi", "kind": "alt"},
    ):
        response = client.post(url, data)
        assert response.status_code == 200
    assert not ConceptLabel.objects.filter(text__in=["a | b", "sana"]).exists()
    assert not ConceptLabel.objects.filter(text__startswith="=").exists()


def test_a_hostile_query_is_shown_as_text_in_the_report(client, coordinator):
    search_log_record(query='<script>alert("x")</script>', language="fi", results=0)
    client.force_login(coordinator)
    page = client.get(reverse("search:query_log")).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "?q=%3Cscript%3Ealert%28%22x%22%29%3C" in page


def test_a_log_row_never_makes_the_callers_transaction_commit_without_waiting_for_the_disk():
    """On PostgreSQL the row's own transaction commits asynchronously (synchronous_commit off); inside
    a caller's transaction (this test's) that setting would apply to the caller's commit too."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert search_log_record(query="ohjaamo", language="fi", results=2)
    assert SearchLogEntry.objects.filter(query="ohjaamo").count() == 1
    assert not any("synchronous_commit" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_a_log_row_is_one_statement_that_commits_without_waiting_for_the_disk():
    """In autocommit (a search page) the row is one INSERT whose own transaction commits without the
    WAL flush, set in its RETURNING: BEGIN, SET LOCAL, INSERT and COMMIT were four round trips. The
    connection's own setting is untouched afterwards."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite writes the row with one INSERT already")
    from django.core.cache import cache

    from methodbank.search.services import SEARCH_LOG_PURGE_KEY

    cache.set(SEARCH_LOG_PURGE_KEY, 1)  # purged lately: no DELETE among the queries counted
    with CaptureQueriesContext(connection) as queries:
        assert search_log_record(query="ohjaamo", language="fi", results=2)
        assert search_log_record(query="ohjaamo", language="fi", clicked_rank=1)
    written = [q["sql"] for q in queries.captured_queries if "search_searchlogentry" in q["sql"].lower()]
    assert len(written) == 2 and all("synchronous_commit" in sql for sql in written)
    assert len(queries.captured_queries) == 2  # no BEGIN / SET LOCAL / COMMIT around them
    assert set(SearchLogEntry.objects.values_list("results", "clicked_rank")) == {(None, 1), (2, None)}
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
