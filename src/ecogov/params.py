"""The one reading of numbers, dates and choices from a page's query string.

Every view reads ``request.GET`` through these (a test greps for other reads). A value that
is not a number, a date or in its range raises ``BadQuery``, which
``ecogov.web.middleware.CleanInputMiddleware`` turns into 400 with the message on a page
(and the API into 400 ``{"detail": ...}``), never 500. An empty or absent value is the
default. A choice that is not among the allowed ones is the default too: such a link is
stale (a state renamed) rather than dangerous, and the list shows everything.
"""

import datetime

from django.utils.translation import gettext as _

# A database id: bigger numbers cannot exist and overflow SQLite's and PostgreSQL's integers.
MAX_ID = 2**63 - 1
# The years EcoGov's plans, evaluations and rankings can be about.
MIN_YEAR, MAX_YEAR = 2000, 2100
_MAX_DIGITS = 20


class BadQuery(ValueError):
    """A query parameter that cannot be used; the message is translated and safe to show."""


def _text(request, name: str) -> str:
    return request.GET.get(name, "").strip()


def parse_int(text: str, name: str, *, min: int, max: int) -> int:
    """``text`` as an int within [min, max]; BadQuery naming the parameter otherwise."""
    digits = text.removeprefix("-").removeprefix("+")
    if not digits.isascii() or not digits.isdigit() or len(digits) > _MAX_DIGITS:
        raise BadQuery(_("“%(name)s” must be a whole number.") % {"name": name})
    value = int(text)
    if not min <= value <= max:
        raise BadQuery(
            _("“%(name)s” must be between %(min)s and %(max)s.")
            % {"name": name, "min": min, "max": max}
        )
    return value


def form_id(value) -> int | None:
    """A database id as a form or a JSON body gives it ("12", 12), or None when it is not
    one: only ASCII digits ("²" and "٣" pass ``str.isdigit``), and within the database's
    range. The caller says what it wanted ("Choose … from the list")."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > _MAX_DIGITS:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def form_number(value, *, min: int, max: int) -> int | None:
    """A small whole number from a form (days, months, a share): None when it is not one
    in [min, max]."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > _MAX_DIGITS:
        return None
    number = int(text)
    return number if min <= number <= max else None


def query_int(request, name: str, *, min: int = 1, max: int = MAX_ID, default=None):
    """The whole number ``name`` in [min, max] (an id by default), or ``default``."""
    text = _text(request, name)
    return default if not text else parse_int(text, name, min=min, max=max)


def query_year(request, name: str = "year", *, default=None):
    return query_int(request, name, min=MIN_YEAR, max=MAX_YEAR, default=default)


def query_choice(request, name: str, choices, default=""):
    """``name`` if it is one of ``choices`` (compared as text), else ``default``."""
    text = _text(request, name)
    for choice in choices:
        if text == str(choice):
            return choice
    return default


def query_month(request, name: str, *, default=None):
    """A month as ``YYYY-MM`` (a longer date is read as its month): its first day."""
    return parse_month(_text(request, name), name, default=default)


def parse_month(text: str, name: str, *, default=None):
    """``query_month`` for a value read elsewhere (a form's field)."""
    text = text.strip()
    if not text:
        return default
    parts = text.split("-")
    if len(parts) < 2:
        raise BadQuery(_("“%(name)s” must be a month such as 2026-11.") % {"name": name})
    year = parse_int(parts[0], name, min=MIN_YEAR, max=MAX_YEAR)
    month = parse_int(parts[1], name, min=1, max=12)
    return datetime.date(year, month, 1)


def query_date(request, name: str, *, default=None):
    """A date as ``YYYY-MM-DD`` within the years EcoGov knows."""
    return parse_date(_text(request, name), name, default=default)


def parse_date(text: str, name: str, *, default=None):
    """``query_date`` for a value read elsewhere (a form's field, a JSON body)."""
    text = (text or "").strip()
    if not text:
        return default
    try:
        value = datetime.date.fromisoformat(text)
    except ValueError:
        raise BadQuery(
            _("“%(name)s” must be a date such as 2026-11-30.") % {"name": name}
        ) from None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise BadQuery(
            _("“%(name)s” must be a date between %(min)s and %(max)s.")
            % {"name": name, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    return value


def checked_moment(value, name: str = ""):
    """A date or time taken into a record: within the years EcoGov knows, and a time with an
    offset brought to UTC. Python allows offsets up to 24 hours and PostgreSQL only up to 16,
    so "10:00-18:47" would otherwise fail in the database instead of at the edge."""
    if not isinstance(value, datetime.date):
        return value
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise BadQuery(
            _("“%(name)s” must be a date between %(min)s and %(max)s.")
            % {"name": name, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    if isinstance(value, datetime.datetime) and value.utcoffset() is not None:
        value = value.astimezone(datetime.UTC)
    return value


def query_float(request, name: str, *, min: float, max: float, default=None):
    """A decimal number (a longitude, a latitude) within [min, max]."""
    text = _text(request, name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise BadQuery(_("“%(name)s” must be a number.") % {"name": name}) from None
    if not min <= value <= max:  # NaN fails both comparisons
        raise BadQuery(
            _("“%(name)s” must be between %(min)s and %(max)s.")
            % {"name": name, "min": min, "max": max}
        )
    return value


def page_query(request) -> str:
    """The request's parameters without ``page``, urlencoded: what a list's page links
    (web/page_links.html) and its export link carry."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
