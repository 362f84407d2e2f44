"""What an uploaded file really is, by its first bytes: a file name or a declared
content type proves nothing. One place for every upload check (photos, contracts), for
the name a file is stored under, and for serving a stored file back.

A stored file is served with the type its bytes show, never the type its name
suggests: an ``x.html`` that starts like a JPEG is a JPEG (and, since a browser may
still sniff it, ``nosniff`` and a sandboxing policy go with it); a file whose bytes match
none of the kinds EcoGov accepts is an opaque download. Only verified images are shown
inline; everything else (PDF, Office documents, unknown bytes) is an attachment."""

import re
import secrets
import unicodedata
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

MAGIC = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"),  # Office documents (.docx, .xlsx) are zip archives
)
IMAGES = frozenset({"jpeg", "png", "webp"})

OPAQUE = "application/octet-stream"
# kind -> (content type, extension); an Office archive is told apart by its main part.
TYPES = {
    "jpeg": ("image/jpeg", ".jpg"),
    "png": ("image/png", ".png"),
    "webp": ("image/webp", ".webp"),
    "pdf": ("application/pdf", ".pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "zip": (OPAQUE, ".zip"),
}
OFFICE_PARTS = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"))
UNKNOWN_EXTENSION = ".bin"

# The file response shows nothing but itself: no script, no plug-in, no form, no frame,
# in a sandbox without the site's origin even if a browser renders it as a document.
FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def sniff(upload) -> str | None:
    """The kind of an uploaded file (``jpeg``, ``png``, ``webp``, ``pdf``, ``zip``) or
    None; the file is left at its start."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return next((kind for magic, kind in MAGIC if head.startswith(magic)), None)


DOCUMENTS = frozenset({"pdf", "docx", "xlsx"})
MAX_FILES = 5
MAX_FILE_BYTES = 8 * 1024 * 1024


def checked_uploads(files, kinds: frozenset[str], refusal: str) -> list[tuple[object, str]]:
    """The uploads with their kinds by their bytes, or a ValidationError naming what is
    wrong (``refusal`` says which kinds are accepted). Office documents are told apart by
    their main part. Every upload form checks its files here."""
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise ValidationError(_("At most %(count)d files.") % {"count": MAX_FILES})
    checked = []
    for upload in files:
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(_("A file may be at most 8 MB."))
        kind = _served_kind(upload)
        if kind not in kinds:
            raise ValidationError(refusal)
        checked.append((upload, kind))
    return checked


def _served_kind(file) -> str | None:
    """The kind by the bytes, an Office archive named by its main part (docx, xlsx)."""
    kind = sniff(file)
    if kind != "zip":
        return kind
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        names = set()
    file.seek(0)
    return next((office for part, office in OFFICE_PARTS if part in names), "zip")


@deconstructible
class StoredName:
    """``upload_to`` for every uploaded file: a random name EcoGov chooses, under
    ``prefix`` (strftime), with the extension of the kind the bytes show; the name the
    user gave is never part of a path on disk."""

    def __init__(self, prefix: str, field: str):
        self.prefix = prefix
        self.field = field

    def __call__(self, instance, filename: str) -> str:
        content = getattr(instance, self.field)
        kind = _served_kind(content.file) if content and hasattr(content, "file") else None
        extension = TYPES[kind][1] if kind else UNKNOWN_EXTENSION
        folder = timezone.now().strftime(self.prefix)
        return f"{folder}{secrets.token_hex(16)}{extension}"

    def __eq__(self, other):
        return isinstance(other, StoredName) and (self.prefix, self.field) == (
            other.prefix,
            other.field,
        )


def download_name(name: str, kind: str | None, fallback: str) -> str:
    """A safe file name to offer: the user's name without path, control or quoting
    characters, with the extension of the kind the bytes show (``.bin`` if none)."""
    stem = PurePath((name or "").replace("\\", "/")).stem
    stem = "".join(c for c in stem if unicodedata.category(c)[0] not in "CZ" or c == " ")
    stem = re.sub(r'["<>:|?*;%/]+', "_", stem).strip(" .")[:80] or fallback
    return stem + (TYPES[kind][1] if kind else UNKNOWN_EXTENSION)


def serve(stored, *, name: str = "", fallback: str = "file") -> FileResponse:
    """The response for a stored upload (a FieldFile), whatever its stored name: the type
    its bytes show among the kinds EcoGov accepts (else an opaque download), inline only
    if it is a verified image, with ``nosniff`` and a sandboxing policy. Every download
    of an uploaded file goes through here."""
    try:
        file = stored.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("No such file.")) from None
    kind = _served_kind(file)
    content_type = TYPES[kind][0] if kind else OPAQUE
    response = FileResponse(
        file,
        as_attachment=kind not in IMAGES,
        filename=download_name(name, kind, fallback),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response
