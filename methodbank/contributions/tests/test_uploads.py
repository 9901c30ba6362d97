"""Attachments are checked by content: disguised, too large and empty files are refused with a
clear message; accepted files are served as downloads with safe headers."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from methodbank.catalog.models import PracticeAttachment
from methodbank.contributions import services, uploads

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def office_file(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


def odt_file() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", uploads.ODT)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("guide.pdf", PDF_BYTES, uploads.PDF),
        ("poster.png", PNG_BYTES, uploads.PNG),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20, uploads.JPEG),
        ("guide.docx", office_file("word/document.xml"), uploads.DOCX),
        ("sheet.xlsx", office_file("xl/workbook.xml"), uploads.XLSX),
        ("slides.pptx", office_file("ppt/presentation.xml"), uploads.PPTX),
        ("text.odt", odt_file(), uploads.ODT),
    ],
)
def test_accepted_types(name, content, expected):
    assert uploads.upload_check(SimpleUploadedFile(name, content)) == expected


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("invoice.pdf", EXE_BYTES, "type"),  # an executable disguised by its extension
        ("empty.pdf", b"", "empty"),
        ("guide.docx", PDF_BYTES, "mismatch"),  # a PDF renamed to .docx
        ("archive.docx", office_file("other.xml"), "type"),  # a ZIP that is no office document
        ("script.pdf", b"<script>alert(1)</script>", "type"),
    ],
)
def test_rejected_files(name, content, code):
    with pytest.raises(ValidationError) as info:
        uploads.upload_check(SimpleUploadedFile(name, content))
    assert info.value.code == code


def test_too_large(settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as info:
        uploads.upload_check(SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 200))
    assert info.value.code == "too_large"
    assert "100" in info.value.messages[0]


def test_upload_view_shows_the_reason_and_stores_nothing(client, owner, draft):
    client.force_login(owner)
    url = reverse("contributions:attachment_upload", kwargs={"pk": draft.pk})
    response = client.post(url, {"file": SimpleUploadedFile("invoice.pdf", EXE_BYTES)})
    assert response.status_code == 400
    assert "This file type is not accepted" in response.content.decode()
    assert 'aria-describedby="id_file_helptext id_file_errors"' in response.content.decode()
    assert not PracticeAttachment.objects.exists()


def test_stored_outside_web_root_with_random_name_and_safe_download(client, owner, draft, settings):
    attachment = services.practice_attachment_add(
        practice=draft, by=owner, uploaded_file=SimpleUploadedFile("../../evil name.pdf", PDF_BYTES)
    )
    assert str(settings.MEDIA_ROOT) in attachment.file.path
    assert "evil" not in attachment.file.name
    client.force_login(owner)
    response = client.get(reverse("contributions:attachment_download", kwargs={"pk": attachment.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES
