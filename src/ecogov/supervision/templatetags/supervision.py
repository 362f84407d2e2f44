"""``{% load supervision %}``: the warning colour, the deadline and the escalation of a
supervised row, as every list of supervised things shows them (the ledger a hundred rows
a page), built here with the words and escaping the included templates ``_due.html`` and
``_colour.html`` had, and the fixed words translated once per language. The case tables
(``cases`` tags) take their escalation marks from here."""

import functools
from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from ecogov.domain.supervision import Colour, Stage

register = template.Library()


@functools.cache
def _marks(language: str) -> dict:
    """The fixed words, translated and escaped once per language."""
    # Translated outside the f-strings, where makemessages finds them.
    words = {
        Colour.RED: pgettext("warning colour", "red"),
        Colour.YELLOW: pgettext("warning colour", "yellow"),
        Colour.BLUE: pgettext("warning colour", "blue"),
    }
    discipline = _("escalated to the discipline commission")
    leaders = _("escalated to the leaders")
    return {
        "colours": {
            colour: f'<span class="clock {colour}">{escape(word)}</span>'
            for colour, word in words.items()
        },
        "stages": {
            Stage.DISCIPLINE: f' <span class="clock red">{escape(discipline)}</span>',
            Stage.UPPER: f' <span class="clock yellow">{escape(leaders)}</span>',
        },
        "ongoing": escape(_("ongoing")),
    }


def escalation(stage: int) -> str:
    """The mark of a record escalated to the leaders or to the discipline commission
    (with its leading space), or nothing."""
    return _marks(get_language())["stages"].get(stage, "")


def _colour(colour: str, marks: dict) -> str:
    return marks["colours"].get(colour) or f'<span class="clock {escape(colour)}"></span>'


@register.simple_tag
def colour_mark(colour) -> str:
    """The warning colour as a coloured word: red, yellow or blue."""
    return mark_safe(_colour(str(colour), _marks(get_language())))


@register.simple_tag
def due_mark(row) -> str:
    """A row's deadline (or "ongoing", or a dash), its colour and its escalation."""
    marks = _marks(get_language())
    if row.ongoing:
        due = marks["ongoing"]
    elif row.due:
        due = f"{row.due:%Y-%m-%d}"
    else:
        due = "—"
    colour = f" {_colour(row.colour, marks)}" if row.colour else ""
    return mark_safe(f"{due}{colour}{escalation(row.stage)}")
