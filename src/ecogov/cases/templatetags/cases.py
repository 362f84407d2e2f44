"""``{% load cases %}``: the case tables' rows, a case's clock and its history.

The case queues show up to 170 cases a page and the discipline commission's view some
forty cases with their whole histories inline, a few hundred steps. Rendered cell by cell
by the template engine (an ``{% include %}`` per row and per clock), and even through
``format_html`` (whose lazy-string checks run per argument), they were most of each page's
time; here each row is one f-string of escaped values, and the fixed words are translated
once per language (the escalation marks are the supervision tags')."""

import functools
import re
from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from ecogov.domain.supervision import Colour
from ecogov.links import detail_url
from ecogov.supervision.templatetags.supervision import escalation

register = template.Library()

NEWLINES = re.compile(r"\r\n|\r|\n")


def _text(value) -> str:
    """As the template engine escapes a value (Django's ``escape`` is ``html.escape``)."""
    return escape(str(value))


@functools.cache
def _marks(language: str) -> dict:
    """The fixed pieces of the case tables, translated and escaped once per language."""
    heads = (_("Time"), _("What"), _("Unit"), _("Acted by"), _("Note"), _("Warning"))
    words = {Colour.RED: _("overdue"), Colour.YELLOW: _("behind"), Colour.BLUE: _("due soon")}
    # Translated outside the f-strings, where makemessages finds them.
    repeated, hotspot = _("Repeated reports from this place"), _("hotspot")
    return {
        "history_head": "<thead><tr>"
        + "".join(f"<th>{_text(each)}</th>" for each in heads)
        + "</tr></thead>",
        "warnings": {
            colour: f'<span class="clock {colour}">{_text(word)}</span>'
            for colour, word in words.items()
        },
        "clock_words": {colour: f" · {_text(word)}" for colour, word in words.items()},
        "due": _text(_("Due")),
        "hotspot": f' <span class="badge" title="{_text(repeated)}">{_text(hotspot)}</span>',
    }


def _clock(case, marks: dict) -> str:
    if not case.due:
        return '<span class="muted">—</span>'
    return (
        f'<span class="clock {_text(case.colour)}" title="{marks["due"]}">{case.due:%Y-%m-%d}'
        f"{marks['clock_words'].get(case.colour, '')}</span>{escalation(case.stage)}"
    )


@register.simple_tag
def case_clock(case) -> str:
    """The deadline of the step a case is in with its warning and its escalation; a dash
    when no deadline runs."""
    return mark_safe(_clock(case, _marks(get_language())))


@register.simple_tag
def case_rows(cases) -> str:
    """The case lists' rows: number (and hotspot mark), the report's beginning, category,
    lead unit, state and the clock. They need ``ROW_FIELDS`` of ``cases.views``."""
    marks, url = _marks(get_language()), detail_url("case_detail")
    return mark_safe(
        "".join(
            f'<tr><td class="nowrap"><a href="{url(case.pk)}">{_text(case.number)}</a>'
            f"{marks['hotspot'] if case.hotspot else ''}</td>\n"
            f"<td>{_text(Truncator(case.text).chars(48))}</td>"
            f"<td>{_text(case.get_category_display())}"
            f"{f' · {_text(case.subcategory)}' if case.subcategory else ''}</td>\n"
            f"<td>{_text(case.lead or '—')}</td><td>{_text(case.get_state_display())}</td>\n"
            f'<td class="nowrap">{_clock(case, marks)}</td></tr>\n'
            for case in cases
        )
    )


@register.simple_tag
def case_history(events) -> str:
    """A case's history folded under its number of steps: one row per step with time,
    what, unit, who acted, the note (lines kept) and the warning the step raised; a dash
    where a step has no unit or actor."""
    marks = _marks(get_language())
    warnings = marks["warnings"]
    steps = len(events)
    summary = ngettext("History: %(counter)s step", "History: %(counter)s steps", steps)
    parts = [
        f'<details class="case-history"><summary>{_text(summary % {"counter": steps})}'
        f"</summary><table>{marks['history_head']}<tbody>",
    ]
    for event in events:
        unit = (event.unit.name if event.unit else "") or "—"
        note = NEWLINES.sub("<br>", _text(event.note))
        parts.append(
            f'<tr><td class="nowrap">{localtime(event.at):%Y-%m-%d %H:%M}</td>'
            f"<td>{_text(event.get_kind_display())}</td><td>{_text(unit)}</td>"
            f'<td>{_text(event.actor or "—")}</td><td class="case-text">{note}</td>'
            f"<td>{warnings.get(event.colour, '')}</td></tr>"
        )
    parts.append("</tbody></table></details>")
    return mark_safe("".join(parts))
