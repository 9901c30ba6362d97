"""The Zoomi 2020 report regenerated from the imported seed catalog (read-only use of ``seeded_db``)."""

import importlib
import io
import re
import subprocess
import zipfile

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from docx import Document
from pypdf import PdfReader

from methodbank.catalog.models import Placement, Practice, PracticeKind, PublicationStatus, Theme
from methodbank.reports.builder import build_report_context
from methodbank.reports.models import ReportDefinition
from methodbank.reports.renderers import render_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def zoomi(seeded_db):
    """The shipped definition (re-installed if a transactional test elsewhere flushed the tables)."""
    if not ReportDefinition.objects.filter(slug="zoomi-2020").exists():
        migration = importlib.import_module("methodbank.reports.migrations.0002_zoomi_2020_definition")
        migration.install(apps, None)
    return ReportDefinition.objects.get(slug="zoomi-2020")


@pytest.fixture
def zoomi_report(zoomi):
    return build_report_context(zoomi)


@pytest.fixture
def zoomi_html(zoomi_report):
    return render_report(zoomi_report, "html").decode()


def _published():
    return Practice.objects.filter(status=PublicationStatus.PUBLISHED)


def test_every_entry_link_appears_once_per_place(zoomi, zoomi_html, settings):
    placements = Placement.objects.filter(practice__status=PublicationStatus.PUBLISHED).select_related("practice")
    places = {}
    for p in placements:
        key = (p.theme_id, p.subtheme_id) if p.practice.kind == PracticeKind.MODEL else (p.theme_id, p.subtheme_id, p.period_id)
        places.setdefault(p.practice, set()).add(key)
    assert len(places) == _published().count() > 200
    wrong = {}
    for practice, where in places.items():
        with translation.override(zoomi.language):  # the report links to the bank in its own language
            url = settings.SITE_URL.rstrip("/") + practice.get_absolute_url()
        found = zoomi_html.count(f'href="{url}"')
        if found != len(where):
            wrong[practice.title] = (found, len(where))
    assert wrong == {}
    # Entries the report lists twice (one entry, two placements) are there twice.
    assert any(len(where) > 1 for where in places.values())


def _theme_section(html, code):
    start = html.index(f'aria-labelledby="theme-{code.lower()}"')
    end = html.find('class="report-part', start + 1)
    return html[start:end]


def test_theme_counts_in_the_text_equal_the_database(zoomi_html):
    published = _published()
    newest = max((p for p in apps.get_model("catalog", "Period").objects.all()), key=lambda p: p.starts_on)
    for theme in Theme.objects.filter(placements__isnull=False).distinct():
        in_theme = published.filter(placements__theme=theme)
        expected = {
            "models": in_theme.filter(kind=PracticeKind.MODEL).distinct().count(),
            "good_practices": in_theme.filter(kind=PracticeKind.GOOD_PRACTICE).distinct().count(),
            "entries": in_theme.distinct().count(),
            "new": published.filter(placements__theme=theme, placements__period=newest).distinct().count(),
        }
        section = _theme_section(zoomi_html, theme.code)
        shown = {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', section)}
        assert shown == expected, theme.code
        # The introduction taken from the seed now states the computed numbers, not the typed ones.
        intro = section.split('class="report-counts"')[0]
        assert re.search(rf"\b{expected['entries']}\b", intro) and re.search(rf"\b{expected['new']}\b", intro)
    # The preface lists every theme with the same count the theme itself shows.
    preface = zoomi_html[zoomi_html.index('id="preface"') : zoomi_html.index('id="introduction"')]
    for theme in Theme.objects.filter(placements__isnull=False).distinct():
        count = published.filter(placements__theme=theme).distinct().count()
        assert re.search(rf"<li>{theme.code}\. [^<]*\({count}\)</li>", preface), theme.code


def test_no_typed_count_from_the_seed_survives(zoomi_html):
    # The seed's own contradicting numbers (preface 36/72/47/67, theme introductions 34/68/45/55).
    text = re.sub(r"<[^>]+>", " ", zoomi_html)
    for typed in ("tähän mennessä 34 käytäntöä", "(158 käytäntöä", "hankkeita on ollut 87", "luotu 68 mallia"):
        assert typed not in text


def test_pdf_has_toc_with_page_numbers_running_page_numbers_and_clickable_links(zoomi_report, tmp_path):
    pdf = render_report(zoomi_report, "pdf")
    path = tmp_path / "zoomi.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    pages = text.split("\f")
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    assert total > 20
    # Table of contents: every theme with a dotted leader and a page number in range.
    toc = pages[1] + pages[2]
    assert "Contents" in pages[1] or "Sisällys" in pages[1]
    for theme in zoomi_report["themes"]:
        match = re.search(re.escape(theme["title"]) + r"\s*\.{3,}\s*(\d+)", toc)
        assert match, theme["title"]
        page_no = int(match.group(1))
        assert 2 < page_no <= total
        # The TOC's page number is where the theme's chapter actually starts.
        assert theme["title"][:30] in pages[page_no - 1]
    # Page numbers on the pages ("n / total"), not on the title page.
    for number in (2, 10, total):
        assert re.search(rf"\b{number} / {total}\b", pages[number - 1])
    assert f"1 / {total}" not in pages[0]
    # TOC links are clickable: link annotations on the TOC page point to named destinations.
    destinations = reader.named_destinations
    annotations = [a.get_object() for a in reader.pages[1].get("/Annots", [])]
    internal = [a for a in annotations if a.get("/Subtype") == "/Link" and "/Dest" in a]
    assert {"preface", "theme-a", "annex2"} <= {str(a["/Dest"]) for a in internal}
    assert "theme-a" in destinations and "annex1" in destinations
    # Bookmarks (the outline) follow the chapters.
    assert len(reader.outline) >= len(zoomi_report["themes"]) + 2


def test_docx_opens_with_heading_styles_toc_field_hyperlinks_and_table(zoomi_report):
    content = render_report(zoomi_report, "docx")
    document = Document(io.BytesIO(content))
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3"} <= styles
    headings_1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [t["title"] for t in zoomi_report["themes"]] == [h for h in headings_1 if h[:2] in ("A.", "B.", "C.", "D.")]
    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    assert 'TOC \\o "1-3" \\h \\z \\u' in xml
    assert 'w:fldCharType="begin"' in xml
    rels = zipfile.ZipFile(io.BytesIO(content)).read("word/_rels/document.xml.rels").decode()
    assert rels.count("/menetelmat/") >= len(zoomi_report["entries"])
    assert document.tables and document.tables[0].rows[0].cells[0].text


def test_build_report_command_writes_the_zoomi_report_by_default(zoomi, tmp_path):
    out = tmp_path / "zoomi.html"
    stdout = io.StringIO()
    call_command("build_report", "--format", "html", "--out", str(out), stdout=stdout)
    assert out.read_text().count("report-entry-link") >= _published().count()
    assert "entries" in stdout.getvalue()


def test_build_report_command_refuses_an_empty_selection(zoomi, tmp_path):
    empty = ReportDefinition.objects.create(
        slug="tyhja", title="Tyhjä", kinds=[PracticeKind.MODEL], date_to="1990-01-01", language="en"
    )
    out = tmp_path / "empty.pdf"
    with pytest.raises(CommandError, match="selects no published entries"):
        call_command("build_report", "--definition", empty.slug, "--format", "pdf", "--out", str(out))
    assert not out.exists()
    with pytest.raises(CommandError, match="No report definition"):
        call_command("build_report", "--definition", "ei-ole", "--format", "pdf", "--out", str(out))
