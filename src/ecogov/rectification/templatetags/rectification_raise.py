"""``{% raise_problem case %}`` (or a finding, a campaign): the link that raises a
rectification problem from the object, shown only to the bureau's dispatchers of its
district (the pages of cases, findings and campaigns need no change of their views)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ecogov.rectification import services
from ecogov.rectification.raising import raise_url

register = template.Library()


def _kind_and_jurisdiction(obj) -> tuple[str, int] | None:
    name = obj._meta.label_lower
    if name == "cases.case":
        return "case", obj.jurisdiction_id
    if name == "patrols.finding":
        return "finding", obj.to_grid.jurisdiction_id
    if name == "campaigns.campaign":
        return "campaign", obj.jurisdiction_id
    return None


@register.simple_tag(takes_context=True)
def raise_problem(context, obj) -> str:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    found = _kind_and_jurisdiction(obj) if obj is not None else None
    if user is None or found is None or not services.runs(user, found[1]):
        return ""
    kind, _jurisdiction = found
    return format_html('<a class="button" href="{}">{}</a>', raise_url(kind, obj.pk),
                       _("Raise a rectification problem"))  # fmt: skip
