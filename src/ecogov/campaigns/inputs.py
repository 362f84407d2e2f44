"""A campaign's fields and an inspection's from a page's form or an API body: one reading
for both, every value looked up within the campaign's jurisdiction."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.campaigns.models import Campaign
from ecogov.campaigns.services import Setup
from ecogov.grid.models import Grid
from ecogov.org.models import Unit
from ecogov.params import BadQuery, form_id, parse_date
from ecogov.patrols.services import checklist_for
from ecogov.sources.models import Source, SourceType


def _text(data, name: str) -> str:
    value = data.get(name, "")
    return "" if value is None else str(value)


def _list(data, name: str) -> list[str]:
    values = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
    return [str(value).strip() for value in values if str(value).strip()]


def _ids(data, name: str, what: str) -> list[int]:
    ids = [form_id(value) for value in _list(data, name)]
    if None in ids:
        raise ValidationError(_("Choose %(what)s from the list.") % {"what": what})
    return ids


def _rows(queryset, ids: list[int], what: str) -> list:
    rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
    if len(rows) != len(set(ids)):
        raise ValidationError(_("Choose %(what)s from the list.") % {"what": what})
    return [rows[pk] for pk in ids]


def date_of(data, name: str, what: str) -> datetime.date | None:
    try:
        return parse_date(_text(data, name), what)
    except BadQuery as error:
        raise ValidationError(str(error)) from None


def setup_from(jurisdiction, data) -> Setup:
    return Setup(
        title=_text(data, "title"),
        action_plan=_text(data, "action_plan"),
        start=date_of(data, "start", _("The first day")),
        end=date_of(data, "end", _("The last day")),
        units=_rows(Unit.objects.filter(jurisdiction=jurisdiction),
                    _ids(data, "units", _("the participating units")), _("the participating units")),
        source_types=_rows(SourceType.objects.all(), _ids(data, "source_types", _("the source types")),
                           _("the source types")),
        grids=_rows(Grid.objects.filter(jurisdiction=jurisdiction), _ids(data, "grids", _("the grids")),
                    _("the grids")),
    )  # fmt: skip


def moment_of(data, name: str) -> datetime.datetime:
    """A local date and time (``2026-07-08T10:30``; a date alone is 09:00)."""
    text = _text(data, name).strip()
    if not text:
        raise ValidationError(_("Give the day and time of the inspection."))
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("Give the day and time of the inspection.")) from None
    if not (2000 <= moment.year <= 2100):
        raise ValidationError(_("Give the day and time of the inspection."))
    if len(text) == 10:
        moment = moment.replace(hour=9)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def inspection_fields(campaign: Campaign, data) -> dict:
    """The keyword arguments of ``services.inspection_record`` but the person and photos."""
    source_ids = _ids(data, "source", _("the source"))
    if len(source_ids) != 1:
        raise ValidationError(_("Choose the source inspected."))
    sources = Source.objects.filter(grid__jurisdiction=campaign.jurisdiction_id)
    [source] = _rows(sources.select_related("grid", "type"), source_ids, _("the source"))
    units = _rows(campaign.units.all(), _ids(data, "units", _("the participating units")),
                  _("the participating units"))  # fmt: skip
    finding = _text(data, "finding").lower() in {"on", "1", "true", "yes"}
    checked = set(_list(data, "checklist"))
    return {
        "source": source,
        "inspected_at": moment_of(data, "inspected_at"),
        "inspectors": _text(data, "inspectors"),
        "units": units,
        "finding": finding,
        "note": _text(data, "note"),
        "checklist": {item: item in checked for item in checklist_for(source)},
    }
