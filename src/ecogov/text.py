"""The one cleaning of text that enters EcoGov: page forms and query strings (through
``ecogov.web.middleware.CleanInputMiddleware``), API bodies (``apitypes.InputSchema``) and
imported files (``spreadsheets.sheet_rows``, ``domain.textfile.decode_text``); the writers of
Excel and Word files clean again what was stored before this existed.

Control characters other than tab, line feed and carriage return are *stripped*, not refused:
nobody can see or mean a vertical tab pasted along with an address, a refusal would name a
character the citizen cannot find, and neither Excel nor Word can hold one (XML 1.0 forbids
them), so keeping it would break every later export. NUL and lone surrogates are *refused*:
they come from binary data or broken clients rather than from typing, PostgreSQL refuses NUL
even in a lookup, and a lone surrogate cannot be encoded at all.
"""

import re
import unicodedata

# C0 controls except \t \n \r, DEL, and the C1 controls.
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Code points that XML 1.0 (and so .xlsx and .docx) cannot hold at all, NUL and surrogates
# included, for the writers that must not fail on what was stored earlier.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class UnstorableText(ValueError):
    """Text holding NUL or a lone surrogate: no database stores it faithfully."""


def clean_text(value: str) -> str:
    """``value`` without control characters and with line ends as ``\\n``; UnstorableText
    for NUL and lone surrogates (the message is translatable and safe to show)."""
    from django.utils.translation import gettext as _

    if "\x00" in value:
        raise UnstorableText(_("Text may not contain NUL characters."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UnstorableText(_("Text must be valid Unicode.")) from None
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def visible(value: str) -> bool:
    """Whether the text shows anything: not only blanks and invisible format characters
    (zero-width space, word joiner, BOM, soft hyphen)."""
    return any(not char.isspace() and unicodedata.category(char) not in ("Cf", "Cc", "Zs")
               for char in value)  # fmt: skip


def clean_value(value):
    """``clean_text`` through strings, lists, tuples and dicts (JSON bodies, sheet rows)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return type(value)(clean_value(item) for item in value)
    if isinstance(value, dict):
        return {clean_value(key): clean_value(item) for key, item in value.items()}
    return value


def writable_text(value):
    """What an Excel or Word writer may write: strings lose what XML cannot hold (text
    stored before the cleaning above existed); other values are left as they are."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    return value
