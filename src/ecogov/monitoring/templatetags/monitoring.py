"""``{% load monitoring %}``: a rate and a point's state as the monitoring tables show them,
as tags rather than included templates: the overview has a few hundred such cells, and an
``{% include %}`` per cell was most of its rendering time."""

from django import template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def rate(value, low=None) -> str:
    """A rate in percent, marked ``rate-low`` below ``low``; a dash when there is none."""
    if value is None:
        return mark_safe('<span class="muted">—</span>')
    marked = "rate-low" if low and value < low else ""
    return format_html('<span class="{}">{}%</span>', marked, localize(value))


@register.simple_tag
def online_state(point, online) -> str:
    """Inactive, online (data within two hours) or offline."""
    if not point.active:
        return format_html('<span class="online idle">{}</span>', _("inactive"))
    if online:
        return format_html('<span class="online">{}</span>', _("online"))
    return format_html('<span class="online off">{}</span>', _("offline"))
