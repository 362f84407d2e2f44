"""Reading suggestions: the list's rows (never an author's contact) and the handling
units' clocks as the pages and the API show them."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ecogov import access
from ecogov.suggestions import services
from ecogov.suggestions.models import Handler, Suggestion
from ecogov.supervision.models import Item

# The states one filters by: the stored ones, with "rated" split by the item's state.
PROMISE, CLOSED = "promise", "closed"
STATES = (*[s for s in Suggestion.State.values if s != Suggestion.State.CONCLUDED], PROMISE, CLOSED)


def state_choices():
    labels = dict(Suggestion.State.choices)
    labels[PROMISE] = gettext_lazy("promise being kept")
    labels[CLOSED] = pgettext_lazy("suggestion", "closed")
    return [(state, labels[state]) for state in STATES]


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    state: str = ""
    unit: int | None = None
    overdue_opinions: bool = False


def _overdue_opinions(today: datetime.date):
    return Handler.objects.filter(
        role=Handler.Role.CO, ended_on=None, returned_on=None, opinions__isnull=True,
        opinion_due__lt=today, suggestion__state=Suggestion.State.HANDLING,
    )  # fmt: skip


def suggestions_for(user, filters: Filters, today: datetime.date | None = None):
    """The suggestions the user may see that pass the filters."""
    return _filtered(access.scope(user, Suggestion), filters, today)


def suggestions_for_all(filters: Filters, today: datetime.date | None = None):
    """Every suggestion that passes the filters (the command line)."""
    return _filtered(Suggestion.objects.all(), filters, today)


def _filtered(suggestions, filters: Filters, today: datetime.date | None):
    today = today or timezone.localdate()
    if filters.kind:
        suggestions = suggestions.filter(kind=filters.kind)
    if filters.state == PROMISE:
        suggestions = suggestions.filter(state=Suggestion.State.CONCLUDED,
                                         item__state__in=[Item.State.OPEN, Item.State.COMPLETION_ASKED])  # fmt: skip
    elif filters.state == CLOSED:
        suggestions = suggestions.filter(
            Q(state=Suggestion.State.CONCLUDED) & ~Q(item__state__in=[Item.State.OPEN,
                                                                        Item.State.COMPLETION_ASKED])
        )  # fmt: skip
    elif filters.state:
        suggestions = suggestions.filter(state=filters.state)
    if filters.unit:
        suggestions = suggestions.filter(
            pk__in=Handler.objects.filter(unit=filters.unit, ended_on=None).values("suggestion")
        )
    if filters.overdue_opinions:
        suggestions = suggestions.filter(pk__in=_overdue_opinions(today).values("suggestion"))
    return suggestions.select_related("item").prefetch_related(
        Prefetch(
            "handlers",
            queryset=Handler.objects.filter(ended_on=None)
            .select_related("unit")
            .prefetch_related("opinions"),
        ),  # fmt: skip
        "authors",
    )


@dataclass
class Row:
    suggestion: Suggestion
    status: str
    main: str
    co: list[str]
    authors: str
    overdue_opinions: list[str]

    @property
    def item(self):
        return self.suggestion.item


def suggestion_rows(user, filters: Filters, today: datetime.date | None = None) -> list[Row]:
    today = today or timezone.localdate()
    rows = []
    for suggestion in suggestions_for(user, filters, today):
        handlers = list(suggestion.handlers.all())
        rows.append(Row(
            suggestion=suggestion, status=services.status_of(suggestion),
            main="、".join(h.unit.name for h in handlers if h.role == Handler.Role.MAIN),
            co=[h.unit.name for h in handlers if h.role == Handler.Role.CO],
            authors="、".join(str(a) for a in suggestion.authors.all()),
            overdue_opinions=[h.unit.name for h in handlers if _opinion_overdue(h, suggestion, today)],
        ))  # fmt: skip
    return rows


def _opinion_overdue(handler: Handler, suggestion: Suggestion, today) -> bool:
    return bool(
        handler.role == Handler.Role.CO and handler.returned_on is None
        and suggestion.state == Suggestion.State.HANDLING and handler.opinion_due
        and handler.opinion_due < today and not handler.opinions.all()
    )  # fmt: skip


@dataclass
class HandlerView:
    """A handling unit as the page shows it: its own due dates and whether it is late."""

    handler: Handler
    return_by: datetime.date
    opinion: object
    opinion_late: bool
    opinion_overdue: bool

    @property
    def note(self) -> str:
        if self.opinion_overdue:
            return _("opinion overdue")
        if self.opinion_late:
            return _("opinion sent late")
        return ""


def handler_view(handler: Handler, today: datetime.date) -> HandlerView:
    opinions = list(handler.opinions.all())
    first = opinions[0] if opinions else None
    return HandlerView(
        handler=handler, return_by=services.return_due(handler),
        opinion=first, opinion_late=bool(first and first.late),
        opinion_overdue=_opinion_overdue(handler, handler.suggestion, today),
    )  # fmt: skip
