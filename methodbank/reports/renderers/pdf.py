"""PDF through WeasyPrint: the same HTML as the web page plus CSS paged media (A4, running
headers, page numbers, a table of contents with page numbers and links, bookmarks from headings).

A report of up to ``REPORT_PDF_SINGLE_PASS_MAX`` entries (setting, default 1,500) is laid out as one
document: the TOC's page numbers come from ``target-counter()`` and the footers from
``counter(page)``. WeasyPrint keeps every laid-out page in memory and uses one CPU, so a larger
report is laid out in parts (front matter, each theme, each annex) in parallel processes and joined
with pypdf; the page numbers of the TOC are then known from the parts, and the footers, the TOC
links, the named destinations and the bookmarks are set on the joined file.
"""

import io
import logging
import os
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings

from .html import render_document

# WeasyPrint logs every CSS property it does not know at WARNING; the report's CSS is known-good.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

DEFAULT_SINGLE_PASS_MAX = 1500


def render(report: dict, *, version=None) -> bytes:
    limit = getattr(settings, "REPORT_PDF_SINGLE_PASS_MAX", DEFAULT_SINGLE_PASS_MAX)
    if len(report["entries"]) <= limit:
        return _write(render_document(report, version=version, for_print=True))[0]
    return _render_in_parts(report, version=version)


def _write(document: str):
    """Lay out one HTML document. Returns the PDF, its page count and anchor -> page index."""
    from weasyprint import HTML

    laid_out = HTML(string=document, base_url=settings.SITE_URL).render()
    anchors = {name: index for index, page in enumerate(laid_out.pages) for name in page.anchors}
    return laid_out.write_pdf(), len(laid_out.pages), anchors


def _write_in_child(document: str):
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return _write(document)


def _parts(report: dict):
    """(part name, sub-report) for every part after the front matter, in report order."""
    for theme in report["themes"]:
        yield "theme", {**report, "themes": [theme]}
    if report["annex_themes"]:
        yield "annex1", report
    if report["annex_list"]:
        yield "annex2", report


def _render_in_parts(report: dict, *, version=None) -> bytes:
    from pypdf import PdfReader, PdfWriter

    toc_anchors = [item["anchor"] for item in report["toc"]]
    # A placeholder as wide as a real page number, so the front matter keeps its page count.
    placeholder = dict.fromkeys(toc_anchors, "0000")
    documents = [render_document(report, version=version, for_print=True, part="front", toc_pages=placeholder)]
    documents += [render_document(sub, version=version, for_print=True, part=name) for name, sub in _parts(report)]

    workers = max(1, min(len(documents), os.cpu_count() or 1, 4))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(_write_in_child, documents))

    # Page numbers (1-based) of every TOC target, from where each part starts.
    starts, page = [], 1
    for _pdf, count, _anchors in results:
        starts.append(page)
        page += count
    total = page - 1
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

    # The parts first, then their named destinations, then the front matter in front of them: pypdf
    # keeps the TOC's links (named destinations) only for names the joined file already has.
    writer = PdfWriter()
    for pdf, _count, _anchors in results[1:]:
        writer.append(PdfReader(io.BytesIO(pdf)))
    for anchor, number in anchor_pages.items():
        if number > front_count:
            writer.add_named_destination(anchor, number - 1 - front_count)
    writer.merge(0, PdfReader(io.BytesIO(front)), import_outline=True)
    for anchor in ("preface", "introduction"):
        if anchor in anchor_pages:
            writer.add_named_destination(anchor, anchor_pages[anchor] - 1)
    _stamp_page_numbers(writer, total)
    writer.add_metadata({"/Title": report["definition"]["title"]})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stamp_page_numbers(writer, total: int) -> None:
    """Write "n / total" at the foot of every page but the title page (as the single-pass CSS does)."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject

    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    for number, page in enumerate(writer.pages, start=1):
        if number == 1:
            continue
        width = float(page.mediabox.width)
        text = f"{number} / {total}"
        x = width / 2 - len(text) * 2.5
        resources = page["/Resources"].get_object()
        fonts = resources.get("/Font")
        if fonts is None:
            fonts = DictionaryObject()
            resources[NameObject("/Font")] = fonts
        fonts = fonts.get_object()
        fonts[NameObject("/MBPageNo")] = font
        save, stamp = StreamObject(), StreamObject()
        save.set_data(b"q\n")
        stamp.set_data(f"Q\nq BT /MBPageNo 9 Tf {x:.2f} 34 Td ({text}) Tj ET Q\n".encode("latin-1"))
        contents = page.get("/Contents")
        streams = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject(
            [writer._add_object(save), *streams, writer._add_object(stamp)]
        )
