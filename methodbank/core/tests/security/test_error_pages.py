"""The friendly error pages: a bug answers 500.html and a lost database 503.html with Retry-After,
both rendered without touching the database, and never with a traceback (DEBUG is false)."""

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory, override_settings
from django.views.defaults import server_error

from methodbank.core.middleware import DatabaseUnavailableMiddleware

pytestmark = [pytest.mark.urls("methodbank.core.tests.security.urls_faults")]

TRACEBACK_MARKERS = ("Traceback", "RuntimeError", "OperationalError", "server closed the connection")


def _body(response):
    return response.content.decode()


@override_settings(DEBUG=False)
def test_a_bug_answers_the_friendly_500_page(django_db_blocker):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    with django_db_blocker.block():  # any query while answering would raise here
        response = client.get("/test-faults/crash/")
    assert response.status_code == 500
    html = _body(response)
    assert "Something went wrong" in html and "<h1>" in html
    for marker in TRACEBACK_MARKERS:
        assert marker not in html


def test_500_template_renders_without_database_access(django_db_blocker):
    request = RequestFactory().get("/")
    with django_db_blocker.block():
        response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in _body(response)


@override_settings(DEBUG=False)
def test_lost_database_answers_503_with_retry_after(django_db_blocker):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    with django_db_blocker.block():
        response = client.get("/test-faults/database-gone/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    html = _body(response)
    assert "Temporarily unavailable" in html and "Nothing you saved earlier is lost" in html
    for marker in TRACEBACK_MARKERS:
        assert marker not in html


@override_settings(DEBUG=False)
def test_lost_database_on_an_api_address_is_a_problem_document(django_db_blocker):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    with django_db_blocker.block():
        response = client.get("/api/test-faults/database-gone/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 503


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_api_endpoint_losing_the_database_answers_503_problem(client, monkeypatch):
    from methodbank.api import read

    def lost(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(read.selectors, "entry_page", lost)
    response = client.get("/api/v1/entries")
    assert response.status_code == 503, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "30"
    assert "administrator command" not in response.content.decode()


def test_other_exceptions_are_left_to_the_500_handler():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    assert middleware.process_exception(RequestFactory().get("/"), RuntimeError("x")) is None


# --- 404, 403 and 400: the site's own pages, in the language of the address --------------------------


def _assert_site_page_with_a_way_back(html, language):
    assert f'<html lang="{language}"' in html
    assert 'class="site-logo"' in html  # the site's header, not Django's bare page
    assert 'role="search"' in html and 'name="q"' in html
    assert 'href="/' + language + '/"' in html  # the front page


@pytest.mark.django_db
@override_settings(DEBUG=False)
@pytest.mark.parametrize("language, title", [("fi", "Sivua ei löytynyt"), ("sv", "Sidan hittades inte"),
                                             ("en", "Page not found")])
def test_404_is_the_sites_page_in_the_language_of_the_address(language, title):
    response = Client(raise_request_exception=False).get(f"/{language}/ei-tallaista-sivua/")
    assert response.status_code == 404
    html = _body(response)
    assert f"<h1>{title}</h1>" in html
    assert "Not Found" not in html and "The requested resource was not found" not in html
    _assert_site_page_with_a_way_back(html, language)


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_403_is_the_sites_page_in_finnish_under_fi(django_user_model):
    person = django_user_model.objects.create_user(username="u", email="u@example.org", password="pw-secret-12345")
    client = Client(raise_request_exception=False)
    client.force_login(person)
    response = client.get("/fi/moderointi/")
    assert response.status_code == 403
    html = _body(response)
    assert "<h1>Ei käyttöoikeutta</h1>" in html
    assert "403 Forbidden" not in html
    _assert_site_page_with_a_way_back(html, "fi")


@pytest.mark.django_db
@override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"])
def test_400_is_the_sites_page_in_swedish_under_sv():
    response = Client(raise_request_exception=False).get("/sv/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    html = _body(response)
    assert "<h1>Ogiltig begäran</h1>" in html
    assert "Bad Request (400)" not in html
    _assert_site_page_with_a_way_back(html, "sv")
