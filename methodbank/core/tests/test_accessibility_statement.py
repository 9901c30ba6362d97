"""The accessibility statement (saavutettavuusseloste) that the Act on the Provision of Digital
Services (306/2019) requires: status, known problems, how it was assessed, feedback and enforcement."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def statement(client, language="en"):
    with translation.override(language):
        url = reverse("core:accessibility")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_statement_gives_status_known_problems_and_assessment(client):
    html = statement(client)
    assert "<h1>Accessibility statement</h1>" in html
    assert "partially meets" in html and "WCAG" in html and "2.1" in html
    assert "Content that is not accessible" in html
    assert "axe-core" in html and "keyboard" in html


def test_statement_says_what_the_documents_and_e_mails_conform_to(client):
    html = statement(client)
    assert "Documents and e-mails" in html
    assert "PDF/UA-1" in html and "ISO 14289-1" in html
    assert "Word (DOCX)" in html and "repeat the header row" in html and "alternative text" in html
    assert "have not been checked for accessibility" not in html
    for language in ("fi", "sv"):
        assert "PDF/UA-1" in statement(client, language)


def test_statement_has_feedback_address_from_settings_and_the_authority(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "palaute@example.fi"
    html = statement(client)
    assert 'href="mailto:palaute@example.fi"' in html
    assert "www.saavutettavuusvaatimukset.fi" in html
    assert "saavutettavuus@traficom.fi" in html
    assert "029 534 5000" in html


def test_every_page_links_to_the_statement_in_its_language(client):
    with translation.override("sv"):
        home = reverse("core:home")
    html = client.get(home).content.decode()
    assert 'href="/sv/saavutettavuusseloste/"' in html
