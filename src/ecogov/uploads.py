"""What an uploaded file really is, by its first bytes: a file name or a declared
content type proves nothing. One place for every upload check (photos, contracts)."""

MAGIC = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"),  # Office documents (.docx, .xlsx) are zip archives
)
IMAGES = frozenset({"jpeg", "png", "webp"})


def sniff(upload) -> str | None:
    """The kind of an uploaded file (``jpeg``, ``png``, ``webp``, ``pdf``, ``zip``) or
    None; the file is left at its start."""
    head = upload.read(16)
    upload.seek(0)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return next((kind for magic, kind in MAGIC if head.startswith(magic)), None)
