"""Checks of uploaded files: type by content (magic bytes), size, and a harmless name.

Attachments and proofs are private: they are stored under MEDIA_ROOT with random names
and only ever served through a view that checks who is asking.
"""

import io
import os
import re
import unicodedata
import uuid
import zipfile

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _

MAX_FILE_SIZE = 10 * 1024 * 1024

# Office formats are zip containers; their type is decided by an entry inside.
OOXML_TYPES = {
    "wordprocessingml.document.main+xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "spreadsheetml.sheet.main+xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
}
# The type entries are tiny; anything larger is not an office document (or a zip bomb).
MAX_TYPE_ENTRY_SIZE = 512 * 1024
# Unpacked, an office document of at most 10 MB stays far below these limits.
MAX_UNPACKED_SIZE = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ARCHIVE_ENTRIES = 5000
# PDF names that run code or carry files: JavaScript, launch actions, embedded files, forms (XFA).
PDF_ACTIVE_NAMES = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData)(?![A-Za-z])"
)
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
OPENDOCUMENT_TYPES = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
}
ALLOWED_TYPES_TEXT = _("PDF, JPEG, PNG, DOCX, XLSX, ODT oder ODS")


def sniff_content_type(head, file):
    """The content type of an allowed document, or None; ``head`` is its first bytes."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(file)
    return None


def _sniff_zip(file):
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = _read_small(archive, "mimetype").decode("ascii", "replace").strip()
                return mimetype if mimetype in OPENDOCUMENT_TYPES else None
            if "[Content_Types].xml" in names:
                types = _read_small(archive, "[Content_Types].xml").decode("utf-8", "replace")
                for marker, content_type in OOXML_TYPES.items():
                    if marker in types:
                        return content_type
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def _read_small(archive, name):
    if archive.getinfo(name).file_size > MAX_TYPE_ENTRY_SIZE:
        raise ValueError(name)
    return archive.read(name)


def unpacked_size_is_safe(file):
    """False for zip bombs: too many entries, too much unpacked data, or extreme compression."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        return False
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_SIZE:
        return False
    return all(
        entry.file_size <= MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
        or entry.file_size < 1024 * 1024
        for entry in entries
    )


def pdf_has_active_content(file):
    """True when a PDF contains JavaScript, launch actions or embedded files.

    The raw bytes are searched with #-escaped names decoded; object streams are
    compressed, so pypdf also looks at the document catalogue and the pages' actions.
    """
    file.seek(0)
    data = file.read()
    file.seek(0)
    plain = PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), data)
    if PDF_ACTIVE_NAMES.search(plain):
        return True
    return _pdf_catalogue_has_active_content(data)


def _pdf_catalogue_has_active_content(data):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        root = reader.trailer["/Root"].get_object()
        names = root.get("/Names")
        names = names.get_object() if names is not None else {}
        if "/JavaScript" in names or "/EmbeddedFiles" in names:
            return True
        if "/AA" in root or "/AcroForm" in root and "/XFA" in root["/AcroForm"].get_object():
            return True
        open_action = root.get("/OpenAction")
        if open_action is not None and _is_active_action(open_action.get_object()):
            return True
        for page in reader.pages:
            if "/AA" in page:
                return True
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                if _is_active_action(annotation.get("/A")):
                    return True
    except (PyPdfError, KeyError, TypeError, ValueError, AttributeError, OSError):
        # Unreadable structure: the byte search above has already looked at what is there.
        return False
    return False


def _is_active_action(action):
    if action is None or not hasattr(action, "get"):
        return False
    action = action.get_object() if hasattr(action, "get_object") else action
    return action.get("/S") in ("/JavaScript", "/Launch", "/ImportData", "/SubmitForm")


def clean_file_name(name):
    """Refuse names with path separators or control characters; return the name."""
    if not name or "/" in name or "\\" in name or name in {".", ".."}:
        raise ValidationError(
            _("Der Dateiname darf keine Schrägstriche enthalten."), code="file_name"
        )
    if any(unicodedata.category(char)[0] == "C" for char in name):
        raise ValidationError(
            _("Der Dateiname enthält unzulässige Steuerzeichen."), code="file_name"
        )
    if len(name) > 200:
        raise ValidationError(_("Der Dateiname ist zu lang (höchstens 200 Zeichen)."))
    return name


def validate_document(upload, *, max_size=MAX_FILE_SIZE):
    """Check an uploaded document and return its sniffed content type."""
    clean_file_name(upload.name)
    if upload.size == 0:
        raise ValidationError(_("Die Datei ist leer."), code="empty")
    if upload.size > max_size:
        raise ValidationError(
            _("Die Datei ist zu groß: höchstens %(size)s MB sind erlaubt.")
            % {"size": max_size // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    content_type = sniff_content_type(head, upload)
    upload.seek(0)
    if content_type is None:
        raise ValidationError(
            _("Dieser Dateityp ist nicht erlaubt. Erlaubt sind %(types)s.")
            % {"types": ALLOWED_TYPES_TEXT},
            code="file_type",
        )
    if content_type == "application/pdf" and pdf_has_active_content(upload):
        raise ValidationError(
            _(
                "Diese PDF-Datei enthält JavaScript, eingebettete Dateien oder Aktionen. "
                "Bitte speichern oder drucken Sie sie als einfache PDF-Datei und laden Sie sie "
                "erneut hoch."
            ),
            code="active_content",
        )
    if head.startswith(b"PK\x03\x04") and not unpacked_size_is_safe(upload):
        raise ValidationError(
            _("Diese Datei ist entpackt ungewöhnlich groß und wird deshalb nicht angenommen."),
            code="unpacked_size",
        )
    upload.seek(0)
    return content_type


def private_upload_to(instance, filename):
    """Random storage names: the person's file name never reaches the file system."""
    return os.path.join("private", uuid.uuid4().hex)


def private_file_response(field_file, *, filename, content_type):
    """A stored private file as a download: 404 if it is gone, never cached, never sniffed."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
