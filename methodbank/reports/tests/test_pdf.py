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
