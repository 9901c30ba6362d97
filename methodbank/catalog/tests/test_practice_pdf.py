"""An entry as a PDF: the reports' tagged PDF/UA path, published entries only."""

import io
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader

from methodbank.catalog.tests.factories import (
    KeywordFactory,
    ModelPracticeFactory,
    PlacementFactory,
    PracticeFactory,
    PracticeLinkFactory,
    PracticeTranslationFactory,
)
from methodbank.core.tests.pdf_structure import assert_pdf_ua

pytestmark = pytest.mark.django_db


@pytest.fixture
def model(settings):
    settings.SITE_URL = "https://bank.example"
    practice = ModelPracticeFactory(
        title="Tutustujan perehdytys",
        summary="Perehdytysmalli tutustujille.",
        goal_and_target_group="Yhdeksäsluokkalaiset ja heidän ohjaajansa.",
        results_and_indicators="Keskeyttäneitä 40 % vähemmän.",
        keywords=[KeywordFactory(name="nivelvaihe")],
    )
    PlacementFactory(practice=practice)
    PracticeLinkFactory(practice=practice, url="https://example.org/opas", title="Opas")
    return practice


def _text(data, tmp_path):
    path = tmp_path / "entry.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_entry_page_links_to_a_tagged_pdf_with_the_title_and_sections(client, model, tmp_path):
    page = client.get(model.get_absolute_url()).content.decode()
    url = reverse("catalog:practice_pdf", kwargs={"slug": model.slug})
    assert f'href="{url}"' in page

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{model.slug}.pdf"'
    data = response.content
    assert len(PdfReader(io.BytesIO(data)).pages) >= 1
    structure = assert_pdf_ua(data, lang="fi")
    assert [tag for tag, _lang in structure.headings][:2] == ["H1", "H2"]
    text = _text(data, tmp_path)
    for expected in ["Tutustujan perehdytys", "Perehdytysmalli tutustujille.", "Yhdeksäsluokkalaiset",
                     "Keskeyttäneitä 40 % vähemmän.", "https://example.org/opas", "nivelvaihe",
                     f"https://bank.example{model.get_absolute_url()}"]:
        assert expected in text, expected
    assert "Tutustujan perehdytys" in structure.outline_titles


def test_pdf_is_in_the_visitors_language_with_the_original_marked(client, model, tmp_path):
    PracticeTranslationFactory(practice=model, language="sv", title="Introduktion för besökare", summary="")
    with_translation = client.get(f"/sv/menetelmat/{model.slug}/pdf/")
    assert with_translation.status_code == 200
    structure = assert_pdf_ua(with_translation.content, lang="sv")
    text = _text(with_translation.content, tmp_path)
    assert "Introduktion för besökare" in text
    # The summary has no Swedish translation: the Finnish original, read as Finnish.
    assert "Perehdytysmalli tutustujille." in text
    assert any(element.lang == "fi" for element in structure.elements if element.tag == "P")


@pytest.mark.parametrize("status", ["draft", "submitted", "archived", "returned"])
def test_only_published_entries_have_a_pdf(client, status):
    practice = PracticeFactory(status=status)
    assert client.get(reverse("catalog:practice_pdf", kwargs={"slug": practice.slug})).status_code == 404


@pytest.mark.parametrize("slug", ["ei-ole", "%3Cscript%3E", "..%2F..%2Fetc%2Fpasswd", "a" * 400])
def test_hostile_slugs_are_404(client, slug):
    assert client.get(f"/fi/menetelmat/{slug}/pdf/").status_code == 404


def test_post_is_not_allowed(client, model):
    assert client.post(reverse("catalog:practice_pdf", kwargs={"slug": model.slug})).status_code == 405


def test_pdf_is_laid_out_once_until_the_entry_changes(client, model, monkeypatch):
    from methodbank.core import pdf as tagged_pdf

    calls = []
    real = tagged_pdf.html_to_pdf
    monkeypatch.setattr(tagged_pdf, "html_to_pdf", lambda *a, **k: calls.append(1) or real(*a, **k))
    url = reverse("catalog:practice_pdf", kwargs={"slug": model.slug})
    first = client.get(url).content
    assert client.get(url).content == first and len(calls) == 1
    model.title = "Tutustujan perehdytys 2.0"
    model.save()
    assert client.get(url).content != first and len(calls) == 2
