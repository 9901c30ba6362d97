"""PDF through WeasyPrint: the same HTML as the web page plus CSS paged media (A4, running
headers, page numbers, a table of contents with page numbers and links, bookmarks from headings).

A report of up to ``REPORT_PDF_SINGLE_PASS_MAX`` entries (setting, default 1,500) is laid out as one
document: the TOC's page numbers come from ``target-counter()`` and the footers from
``counter(page)``. WeasyPrint keeps every laid-out page in memory and uses one CPU, so a larger
report is laid out in parts (front matter, each theme, each annex) in parallel processes and joined
by ``core.pdf.join_tagged``; the page numbers of the TOC are then known from the parts, and the
joined file keeps every part's structure tree, bookmarks and named destinations, with the footers
stamped as pagination artifacts.

Every PDF is tagged PDF/UA-1 (``methodbank.core.pdf``).
"""

import os
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings

from methodbank.core import pdf as tagged_pdf

from .html import render_document

DEFAULT_SINGLE_PASS_MAX = 1500


def render(report: dict, *, version=None) -> bytes:
    limit = getattr(settings, "REPORT_PDF_SINGLE_PASS_MAX", DEFAULT_SINGLE_PASS_MAX)
    if len(report["entries"]) <= limit:
        return _write(render_document(report, version=version, for_print=True))[0]
    return _render_in_parts(report, version=version)


def _write(document: str):
    """Lay out one HTML document. Returns the PDF, its page count and anchor -> page index."""
    laid_out = tagged_pdf.layout(document, base_url=settings.SITE_URL)
    anchors = {name: index for index, page in enumerate(laid_out.pages) for name in page.anchors}
    return tagged_pdf.write(laid_out), len(laid_out.pages), anchors


def _parts(report: dict):
    """(part name, sub-report) for every part after the front matter, in report order."""
    for theme in report["themes"]:
        yield "theme", {**report, "themes": [theme]}
    if report.get("most_adopted"):
        yield "adoptions", report
    if report["annex_themes"]:
        yield "annex1", report
    if report["annex_list"]:
        yield "annex2", report


def _render_in_parts(report: dict, *, version=None) -> bytes:
    toc_anchors = [item["anchor"] for item in report["toc"]]
    # A placeholder as wide as a real page number, so the front matter keeps its page count.
    placeholder = dict.fromkeys(toc_anchors, "0000")
    documents = [render_document(report, version=version, for_print=True, part="front", toc_pages=placeholder)]
    documents += [render_document(sub, version=version, for_print=True, part=name) for name, sub in _parts(report)]

    workers = max(1, min(len(documents), os.cpu_count() or 1, 4))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(_write, documents))

    # Page numbers (1-based) of every TOC target, from where each part starts.
    starts, page = [], 1
    for _pdf, count, _anchors in results:
        starts.append(page)
        page += count
    anchor_pages = {}
    for (_pdf, _count, anchors), start in zip(results[1:], starts[1:], strict=True):
        for name, index in anchors.items():
            anchor_pages.setdefault(name, start + index)
    for anchor in ("preface", "introduction"):
        if anchor in results[0][2]:
            anchor_pages[anchor] = 1 + results[0][2][anchor]
    toc_pages = {anchor: str(anchor_pages.get(anchor, "")) for anchor in toc_anchors}
    front, front_count, _ = _write(render_document(report, version=version, for_print=True, part="front", toc_pages=toc_pages))
    if front_count != results[0][1]:
        raise RuntimeError("The front matter changed length when its page numbers were filled in.")

    # Joined with the structure trees, bookmarks and named destinations of every part; the TOC's
    # placeholder targets in the front matter give way to the real ones in the parts.
    return tagged_pdf.join_tagged([front] + [pdf for pdf, _count, _anchors in results[1:]], page_label=_page_label)


def _page_label(number: int, total: int) -> str:
    """"n / total" at the foot of every page but the title page (as the single-pass CSS does)."""
    return f"{number} / {total}"
