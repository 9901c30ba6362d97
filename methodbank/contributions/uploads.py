"""Attachment checks by content ("magic bytes"), not by the name the browser sends.

Only document and image formats a reader needs are accepted; the extension must agree with the
content, so an executable renamed to .pdf is refused. Office Open XML and OpenDocument files are
ZIP archives: they are recognised by the parts inside, and archives that would unpack into
something huge are refused too.
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

# content type -> extensions a file of that type may carry
ALLOWED = {
    PDF: {"pdf"},
    PNG: {"png"},
    JPEG: {"jpg", "jpeg"},
    DOCX: {"docx"},
    XLSX: {"xlsx"},
    PPTX: {"pptx"},
    ODT: {"odt"},
    ODS: {"ods"},
    ODP: {"odp"},
}
ALLOWED_EXTENSIONS_TEXT = "PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, PNG, JPEG"
OOXML_MAIN_PART = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
MAX_UNPACKED_RATIO = 100  # a document compresses maybe 10:1; far more is a zip bomb


def _sniff_zip(uploaded_file) -> str | None:
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > max(uploaded_file.size, 1) * MAX_UNPACKED_RATIO:
                return None
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in (ODT, ODS, ODP):
                    return mimetype
                return None
            if "[Content_Types].xml" in names:
                for part, content_type in OOXML_MAIN_PART.items():
                    if part in names:
                        return content_type
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError):
        return None
    return None


def sniff(uploaded_file) -> str | None:
    """The content type the bytes say, or None when it is not an accepted type."""
    uploaded_file.seek(0)
    head = uploaded_file.read(8)
    uploaded_file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(uploaded_file)
    return None


def upload_check(uploaded_file) -> str:
    """Validate an upload; return its real content type or raise ValidationError with the reason."""
    max_bytes = settings.ATTACHMENT_MAX_BYTES
    if not uploaded_file.size:
        raise ValidationError(_("The file is empty."), code="empty")
    if uploaded_file.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s). The largest allowed size is %(max)s.")
            % {"size": filesizeformat(uploaded_file.size), "max": filesizeformat(max_bytes)},
            code="too_large",
        )
    content_type = sniff(uploaded_file)
    extension = uploaded_file.name.rsplit(".", 1)[-1].lower() if "." in uploaded_file.name else ""
    if content_type is None:
        raise ValidationError(
            _("This file type is not accepted. Accepted types: %(types)s.") % {"types": ALLOWED_EXTENSIONS_TEXT},
            code="type",
        )
    if extension not in ALLOWED[content_type]:
        raise ValidationError(
            _("The file name ends in “.%(ext)s” but the file content is not of that type.") % {"ext": extension},
            code="mismatch",
        )
    uploaded_file.seek(0)
    return content_type
