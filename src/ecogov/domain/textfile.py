"""Reading documents that Chinese offices exchange: UTF-8 (with or without BOM) or GB18030."""

from pathlib import Path

ENCODINGS = ("utf-8-sig", "gb18030")


class UnreadableFile(ValueError):
    pass


def read_text(path: str | Path) -> str:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(f"{path}: {error.strerror or error}") from None
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(f"{path}: not a text file in UTF-8 or GB18030")
