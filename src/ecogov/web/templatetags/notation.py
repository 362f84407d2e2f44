"""``{% load notation %}``: indicator names with their subscripts, numbers as people write them."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ecogov.domain import notation

register = template.Library()


@register.filter
def formula(text) -> str:
    """ "PM_{2.5}" and "PM2.5" as PM<sub>2.5</sub>; everything else escaped."""
    html = []
    for kind, part in notation.formula_parts(str(text or "")):
        html.append(f"<{kind}>{escape(part)}</{kind}>" if kind else escape(part))
    return mark_safe("".join(html))


@register.filter
def plain(value, places=None) -> str:
    """A decimal without its storage zeros, to ``places`` decimals when given."""
    return notation.plain(value, None if places in (None, "") else int(places))
