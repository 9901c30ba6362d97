"""Oversized and disguised attachment uploads through the site: refused with a clear message tied
to the file field, nothing stored in the database or under MEDIA_ROOT. A polyglot that is a valid
PDF is accepted as the PDF it is, and then only ever served as a sandboxed download."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from methodbank.catalog.models import PracticeAttachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"This program cannot be run in DOS mode"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PNG_HEADER = b"\x89PNG\r\n\x1a\n"


def zip_of(parts: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


REJECTED = {
    # name: (file name, bytes, part of the message)
    "exe-renamed-pdf": ("invoice.pdf", EXE, "This file type is not accepted"),
    "exe-double-extension": ("invoice.pdf.exe", EXE, "This file type is not accepted"),
    "pdf-renamed-exe": ("setup.exe", PDF, "but the file content is not of that type"),
    "empty": ("empty.pdf", b"", "The file is empty"),
    "svg-with-script": ("logo.svg", SVG, "This file type is not accepted"),
    "svg-renamed-png": ("logo.png", SVG, "This file type is not accepted"),
    "html-renamed-pdf": ("guide.pdf", HTML, "This file type is not accepted"),
    "html-hiding-pdf-header": ("guide.pdf", HTML + PDF, "This file type is not accepted"),
    "png-html-polyglot-as-html": ("page.html", PNG_HEADER + HTML, "but the file content is not of that type"),
    "pdf-html-polyglot-as-html": ("page.html", PDF + HTML, "but the file content is not of that type"),
    "jar-renamed-docx": ("guide.docx", zip_of({"META-INF/MANIFEST.MF": "Main-Class: X", "X.class": "\xca\xfe"}),
                         "This file type is not accepted"),
    "zip-bomb-docx": ("bomb.docx", zip_of({"[Content_Types].xml": "<Types/>", "word/document.xml": "0" * 5_000_000}),
                      "This file type is not accepted"),
    "truncated-zip": ("guide.docx", zip_of({"[Content_Types].xml": "<Types/>", "word/document.xml": "<d/>"})[:40],
                      "This file type is not accepted"),
}


@pytest.fixture
def upload(client, owner, draft):
    client.force_login(owner)
    url = reverse("contributions:attachment_upload", kwargs={"pk": draft.pk})
    return lambda name, content: client.post(url, {"file": SimpleUploadedFile(name, content), "title": "Liite"})


@pytest.mark.parametrize("case", REJECTED)
def test_disguised_upload_is_refused_and_nothing_is_stored(upload, unchanged, case):
    name, content, message = REJECTED[case]
    check = unchanged()
    response = upload(name, content)
    assert response.status_code == 400, case
    html = response.content.decode()
    assert message in html, case
    assert 'id="id_file_errors"' in html or "id_file_errors" in html, case
    assert not PracticeAttachment.objects.exists()
    check(f"upload {case}")


@override_settings(ATTACHMENT_MAX_BYTES=1024)
def test_oversized_upload_is_refused_with_the_limit(upload, unchanged):
    check = unchanged()
    response = upload("big.pdf", PDF + b"0" * 2048)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The file is too large" in html and "1.0\xa0KB" in html
    check("oversized upload")


def test_missing_file_is_refused(client, owner, draft, unchanged):
    client.force_login(owner)
    check = unchanged()
    response = client.post(reverse("contributions:attachment_upload", kwargs={"pk": draft.pk}), {"title": "x"})
    assert response.status_code == 400
    check("upload without a file")


def test_valid_pdf_polyglot_is_only_served_as_a_sandboxed_download(client, upload, owner):
    """A file that starts as a PDF and carries HTML is a PDF to us; the browser must never render it."""
    response = upload("guide.pdf", PDF + HTML)
    assert response.status_code == 302
    attachment = PracticeAttachment.objects.get()
    assert attachment.content_type == "application/pdf"
    download = client.get(reverse("contributions:attachment_download", kwargs={"pk": attachment.pk}))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
