"""Plan documents as text: plain text in UTF-8 or GB18030, and Word (.docx)."""

from pathlib import Path

from ecogov.domain.textfile import UnreadableFile, read_text
from ecogov.text import UnstorableText, clean_text


def read_document(path: Path) -> str:
    if path.suffix.lower() != ".docx":
        return read_text(path)
    import zipfile

    import docx  # imported here: only Word files need it
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.ns import qn

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableFile(f"{path}: not a readable Word document ({error})") from None
    lines: list[str] = []
    # Paragraphs and tables in the order they stand in the body.
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append("".join(node.text or "" for node in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                cells = [
                    "".join(node.text or "" for node in cell.iter(qn("w:t")))
                    for cell in row.iter(qn("w:tc"))
                ]
                lines.append("\t".join(cells))
    try:
        return clean_text("\n".join(lines))
    except UnstorableText as error:
        raise UnreadableFile(f"{path}: {error}") from None
