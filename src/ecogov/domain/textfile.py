"""Reading documents that Chinese offices exchange: UTF-8 (with or without BOM) or GB18030."""

from pathlib import Path

ENCODINGS = ("utf-8-sig", "gb18030")


class UnreadableFile(ValueError):
    pass


def decode_text(data: bytes, name: str = "the file") -> str:
    """The text, cleaned like all text entering EcoGov (``ecogov.text.clean_text``)."""
    from ecogov.text import UnstorableText, clean_text

    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return clean_text(text)
        except UnstorableText as error:
            raise UnreadableFile(f"{name}: {error}") from None
    raise UnreadableFile(f"{name}: not a text file in UTF-8 or GB18030")


def read_text(path: str | Path) -> str:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(f"{path}: {error.strerror or error}") from None
    return decode_text(data, str(path))
