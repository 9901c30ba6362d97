"""An entry as a PDF ("Download as PDF" on its page): the same tagged PDF/UA path as the reports
(methodbank.core.pdf, WeasyPrint), from a document made for paper.

The PDF shows what the entry page shows a visitor, in the visitor's language (a section without a
translation keeps the original, marked with its language). Laying out a PDF takes a CPU for a
moment, so each is kept until the catalog changes.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from methodbank.core import pdf as tagged_pdf
from methodbank.core.cache import cached_until_catalog_changes

from . import translations


def practice_document(*, practice) -> str:
    """The standalone HTML the PDF is laid out from (``practice`` as ``practice_get_published`` gives it)."""
    site = settings.SITE_URL.rstrip("/")
    return render_to_string(
        "catalog/practice_document.html",
        {
            "practice": practice,
            "content": translations.practice_content(practice=practice),
            "page_url": site + practice.get_absolute_url(),
            "site_url": site,
            "language": get_language(),
            "printed_on": timezone.localdate(),
        },
    )


# One per entry and language: kept a day at most, so those of past catalog versions expire.
PDF_CACHE_SECONDS = 24 * 60 * 60


def practice_pdf(*, practice) -> bytes:
    key = f"entry-pdf:{practice.pk}:{practice.updated_at.timestamp()}:{get_language()}"
    return cached_until_catalog_changes(
        key,
        lambda: tagged_pdf.html_to_pdf(practice_document(practice=practice), base_url=settings.SITE_URL),
        timeout=PDF_CACHE_SECONDS,
    )


def practice_pdf_filename(practice) -> str:
    # The slug is ASCII letters, digits and hyphens only: safe in a header as it is.
    return f"{practice.slug}.pdf"
