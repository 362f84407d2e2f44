"""Problems raised inside the district (issue 19 §1, seed 004 tasks 18–19): a case, a
patrol finding or a screening campaign (大排查大整治) shows a problem that needs
rectifying as a whole, with measures, acceptance and close-out, and the bureau enters it
in a batch with where it came from.

The object is named in the query string (``?case=ID``, ``?finding=ID``, ``?campaign=ID``)
and, on the form, in hidden fields; whoever raises it must see it, and it must belong to
the batch's district.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.campaigns.models import Campaign
from ecogov.cases.models import Case
from ecogov.params import MAX_ID, BadQuery, parse_int
from ecogov.patrols.models import Finding

KINDS = ("case", "finding", "campaign")


@dataclass(frozen=True)
class Raised:
    """Where a problem about to be entered comes from."""

    kind: str  # "case", "finding" or "campaign"
    obj: object
    label: str
    url: str
    text: str  # the problem's text to start from
    jurisdiction_id: int

    @property
    def origin(self) -> dict:
        """The keyword of ``services.problem_create`` that records it."""
        return {self.kind: self.obj}

    @property
    def fields(self) -> list[tuple[str, str]]:
        """The hidden fields that carry it through the form."""
        return [(self.kind, str(self.obj.pk))]

    @property
    def query(self) -> str:
        return f"?{self.kind}={self.obj.pk}"


def _finding_label(finding: Finding) -> str:
    patrol = finding.patrol
    return _("patrol finding at %(source)s on %(day)s") % {
        "source": patrol.source, "day": f"{patrol.patrolled_at:%Y-%m-%d}",
    }  # fmt: skip


def _describe(kind: str, obj) -> tuple[str, str, str, int]:
    """Label, address, starting text and jurisdiction of a raised-from object."""
    if kind == "case":
        return (_("case %(number)s") % {"number": obj.number}, obj.get_absolute_url(), obj.text,
                obj.jurisdiction_id)  # fmt: skip
    if kind == "finding":
        patrol = obj.patrol
        case = getattr(obj, "case", None)
        url = case.get_absolute_url() if case else patrol.source.get_absolute_url()
        text = f"{patrol.source.name}：{patrol.note}" if patrol.note else patrol.source.name
        return _finding_label(obj), url, text, obj.to_grid.jurisdiction_id
    return (_("campaign %(title)s") % {"title": obj.title}, obj.get_absolute_url(),
            "", obj.jurisdiction_id)  # fmt: skip


def _queryset(kind: str):
    if kind == "case":
        return Case.objects.all()
    if kind == "finding":
        return Finding.objects.select_related("patrol__source", "to_grid")
    return Campaign.objects.all()


def raised_from(user, data) -> Raised | None:
    """The object named in ``data`` (a query string or a form), if the user may see it;
    Http404 when it does not exist or is not theirs to see, BadQuery (400) for a
    malformed number."""
    named = [kind for kind in KINDS if str(data.get(kind) or "").strip()]
    if not named:
        return None
    if len(named) > 1:
        raise BadQuery(_("A problem is raised from one case, finding or campaign."))
    [kind] = named
    pk = parse_int(str(data.get(kind)).strip(), kind, min=1, max=MAX_ID)
    obj = access.obtain(user, _queryset(kind), pk)
    label, url, text, jurisdiction_id = _describe(kind, obj)
    return Raised(kind, obj, label, url, text, jurisdiction_id)


def origin_of(problem, user=None) -> tuple[str, str] | None:
    """Where a problem was raised from, as (label, address), for its page; to a
    ``user`` who may not see the object, only what kind of object it was."""
    for kind in KINDS:
        obj_id = getattr(problem, f"{kind}_id")
        if obj_id is None:
            continue
        obj = _queryset(kind).get(pk=obj_id)
        label, url, _text, _jurisdiction = _describe(kind, obj)
        if user is not None and not access.scope(user, _queryset(kind)).filter(pk=obj_id).exists():
            return str(problem._meta.get_field(kind).verbose_name), ""
        return label, url
    return None


def raise_url(kind: str, pk: int) -> str:
    """The chooser of the batch for a problem raised from this object."""
    return f"{reverse('rectification_raise')}?{kind}={pk}"
