"""``{% load cases %}``: a case's history as the supervision view shows it.

The discipline commission's view shows some eighty cases a page, each with its whole
history inline, about a thousand steps in all. Rendered cell by cell by the template
engine, and even through ``format_html`` (whose lazy-string checks run per argument), they
were most of the page's time; here each row is one f-string of escaped values."""

import functools
import re
from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from ecogov.domain.supervision import Colour

register = template.Library()

NEWLINES = re.compile(r"\r\n|\r|\n")


def _text(value) -> str:
    """As the template engine escapes a value (Django's ``escape`` is ``html.escape``)."""
    return escape(str(value))


@functools.cache
def _fixed(language: str) -> tuple[str, dict[str, str]]:
    """The table's head and the warnings' marks, in the language of the request."""
    heads = (_("Time"), _("What"), _("Unit"), _("Acted by"), _("Note"), _("Warning"))
    head = "".join(f"<th>{_text(each)}</th>" for each in heads)
    warnings = {
        Colour.RED: f'<span class="clock red">{_text(_("overdue"))}</span>',
        Colour.YELLOW: f'<span class="clock yellow">{_text(_("behind"))}</span>',
        Colour.BLUE: f'<span class="clock blue">{_text(_("due soon"))}</span>',
    }
    return f"<thead><tr>{head}</tr></thead>", warnings


@register.simple_tag
def case_history(events) -> str:
    """A case's history folded under its number of steps: one row per step with time,
    what, unit, who acted, the note (lines kept) and the warning the step raised; a dash
    where a step has no unit or actor."""
    head, warnings = _fixed(get_language())
    steps = len(events)
    summary = ngettext("History: %(counter)s step", "History: %(counter)s steps", steps)
    parts = [
        f'<details class="case-history"><summary>{_text(summary % {"counter": steps})}'
        f"</summary><table>{head}<tbody>",
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
