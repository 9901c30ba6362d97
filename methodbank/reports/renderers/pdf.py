"""PDF through WeasyPrint: the same HTML as the web page plus CSS paged media
(A4, running headers, page numbers, TOC page numbers with target-counter, bookmarks from headings)."""

import logging

from django.conf import settings

from .html import render_document

# WeasyPrint logs every CSS property it does not know at WARNING; the report's CSS is known-good.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def render(report: dict, *, version=None) -> bytes:
    from weasyprint import HTML

    document = render_document(report, version=version, for_print=True)
    # base_url only resolves relative URLs; the report links to the bank with absolute ones.
    return HTML(string=document, base_url=settings.SITE_URL).write_pdf()
