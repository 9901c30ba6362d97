"""The large-report PDF path: parts laid out in parallel and joined (forced here with a small catalog)."""

import io
import re
import subprocess

import pytest
from pypdf import PdfReader

from methodbank.reports.builder import build_report_context
from methodbank.reports.renderers import render_report

from .factories import small_catalog, small_report_definition

pytestmark = pytest.mark.django_db


def test_pdf_made_in_parts_keeps_toc_page_numbers_links_and_footers(settings, tmp_path):
    report = build_report_context(small_report_definition(small_catalog()))
    settings.REPORT_PDF_SINGLE_PASS_MAX = 0
    pdf = render_report(report, "pdf")
    path = tmp_path / "parts.pdf"
    path.write_bytes(pdf)
    pages = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout.split("\f")
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)

    # Every TOC line's page number is the page where that heading is.
    toc_lines = re.findall(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", pages[1], re.M)
    assert len(toc_lines) == len(report["toc"])
    for title, number in toc_lines:
        assert title[:20] in pages[int(number) - 1], title
    # "n / total" on every page except the title page; the running header names the report.
    assert not re.search(rf"\b1 ?/ ?{total}\b", pages[0])
    for number in range(2, total + 1):
        assert re.search(rf"\b{number} ?/ ?{total}\b", pages[number - 1]), number
    assert report["definition"]["title"] in pages[total - 1]

    # TOC links point at the right pages; named destinations and bookmarks exist.
    page_of = {page.indirect_reference.idnum: index + 1 for index, page in enumerate(reader.pages)}
    targets = {}
    for annotation in reader.pages[1].get("/Annots", []):
        annotation = annotation.get_object()
        dest = annotation.get("/Dest")
        if isinstance(dest, str):
            targets[dest] = reader.get_destination_page_number(reader.named_destinations[dest]) + 1
        elif dest is not None:
            targets[str(dest)] = page_of[dest[0].idnum]
    theme_a_page = next(int(n) for t, n in toc_lines if t.startswith("A."))
    assert targets["theme-a"] == theme_a_page
    assert set(targets) == {item["anchor"] for item in report["toc"]}
    assert "theme-a" in reader.named_destinations and "annex2" in reader.named_destinations
    assert len(reader.outline) >= len(report["themes"]) + 2


def _html_headings(report):
    """Heading levels of the report's HTML, in document order: what the PDF's tags must repeat."""
    from html.parser import HTMLParser

    from methodbank.reports.renderers.html import render_document

    class Headings(HTMLParser):
        levels = []

        def handle_starttag(self, tag, attrs):
            if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
                self.levels.append(f"H{tag[1]}")

    parser = Headings()
    parser.levels = []
    parser.feed(render_document(report, for_print=True))
    return parser.levels


@pytest.mark.parametrize("in_parts", [False, True], ids=["single-pass", "in-parts"])
def test_report_pdf_is_tagged_pdf_ua_in_the_report_language(settings, in_parts):
    from methodbank.core.tests.pdf_structure import assert_pdf_ua

    catalog = small_catalog()
    report = build_report_context(small_report_definition(catalog))
    if in_parts:
        settings.REPORT_PDF_SINGLE_PASS_MAX = 0
    structure = assert_pdf_ua(render_report(report, "pdf"), lang="en")

    # The same headings as the HTML, in the same order (H1 title, H2 chapters, H3 subthemes ...).
    assert [tag for tag, _lang in structure.headings] == _html_headings(report)
    # The Finnish entries of an English report are marked Finnish; the chapters stay English.
    links = structure.tags("Link")
    finnish_links = [link for link in links if link.lang == "fi"]
    assert len(finnish_links) >= 3
    assert all(tag_lang == "en" for tag, tag_lang in structure.headings if tag == "H2")
    # The project list is a table with column headers.
    assert len(structure.tags("TH")) >= 3
    assert structure.tags("TD") and all("/Headers" in cell.attributes for cell in structure.tags("TD"))
    # Bookmarks: every theme.
    for theme in report["themes"]:
        assert theme["title"] in structure.outline_titles
