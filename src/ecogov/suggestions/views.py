"""The pages of suggestions and proposals (listed under the supervision ledger): the
list, a new registration, one suggestion with its authors, handling units, opinions,
answers and ratings and the steps the person may take, the answer letter as Word and an
opinion's file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecogov import access, uploads
from ecogov.accounts.models import Role
from ecogov.org.models import Unit
from ecogov.params import BadQuery, page_query, parse_date, query_choice, query_int
from ecogov.suggestions import actions, letters, selectors, services
from ecogov.suggestions.models import (
    AnswerClass,
    Body,
    Handler,
    Kind,
    Opinion,
    Satisfaction,
    Suggestion,
)
from ecogov.suggestions.rules import may_see_contacts, runs
from ecogov.supervision.models import LevelChoice
from ecogov.web.steps import take_step

PAGE_SIZE = 50
AUTHOR_ROWS = 5


def _section(request):
    request.section = "supervision"


@login_required
def suggestion_list(request):
    """建议提案: what the user may see, with filters; overdue co-handling opinions flagged."""
    _section(request)
    filters = selectors.Filters(
        kind=query_choice(request, "kind", Kind.values),
        state=query_choice(request, "state", selectors.STATES),
        unit=query_int(request, "unit"),
        overdue_opinions=request.GET.get("overdue") == "1",
    )
    rows = selectors.suggestion_rows(request.user, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(query_int(request, "page", default=1))
    home = request.user.unit.jurisdiction if request.user.unit_id else None
    context = {
        "page": page,
        "rows": page.object_list,
        "total": len(rows),
        "kinds": Kind.choices,
        "states": selectors.state_choices(),
        "units": access.scope(request.user, Unit).order_by("jurisdiction", "name"),
        "may_register": home is not None
        and runs(request.user, home.pk)
        and request.user.role == Role.DISPATCHER,
        "query": page_query(request),
    }
    return render(request, "suggestions/list.html", context)


def _authors_of(post) -> list[dict]:
    return [
        {field: post.get(f"{field}_{row}", "") for field in ("name", "body", "group", "contact")}
        for row in range(AUTHOR_ROWS)
    ]


@login_required
def suggestion_new(request):
    _section(request)
    user = request.user
    home = user.unit.jurisdiction if user.unit_id else None
    if home is None or not runs(user, home.pk) or user.role != Role.DISPATCHER:
        raise PermissionDenied(_("The bureau's dispatchers run suggestions and proposals."))
    post = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            received = parse_date(str(post.get("received_on", "")), _("The day it was received"))
        except BadQuery as error:
            messages.error(request, str(error))
        else:
            try:
                suggestion = services.suggestion_register(
                    jurisdiction=home, kind=post.get("kind", ""), session=post.get("session", ""),
                    number=post.get("number", ""), title=post.get("title", ""),
                    text=post.get("text", ""), received_on=received,
                    authors=_authors_of(post), by=user,
                )  # fmt: skip
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
            else:
                messages.success(request, _("Registered: %(n)s") % {"n": suggestion.reference})
                return redirect(suggestion.get_absolute_url())
    context = {
        "post": post,
        "kinds": Kind.choices,
        "bodies": Body.choices,
        "author_rows": [
            {f: post.get(f"{f}_{row}", "") for f in ("name", "body", "group", "contact")}
            | {"row": row}
            for row in range(AUTHOR_ROWS)
        ],
        "today": timezone.localdate(),
    }
    return render(request, "suggestions/new.html", context)


def _suggestion(request, pk):
    queryset = Suggestion.objects.select_related("jurisdiction", "item", "item__lead")
    return access.obtain(request.user, queryset, pk)


@login_required
def suggestion_detail(request, pk: int):
    _section(request)
    suggestion = _suggestion(request, pk)
    user = request.user
    handlers = sorted(
        suggestion.handlers.select_related("unit"),
        key=lambda h: (h.ended_on is not None, h.role != Handler.Role.MAIN, h.pk),
    )
    answers = list(suggestion.answers.select_related("unit").prefetch_related("ratings__author"))
    current = answers[-1] if answers else None
    rated = {r.author_id for r in current.ratings.all()} if current else set()
    today = timezone.localdate()
    context = {
        "suggestion": suggestion,
        "status": services.status_of(suggestion),
        "authors": list(suggestion.authors.all()),
        "show_contacts": may_see_contacts(user, suggestion),
        "handlers": [selectors.handler_view(h, today) for h in handlers],
        "extensions": list(suggestion.extensions.select_related("unit")),
        "answers": answers,
        "unrated": [a for a in suggestion.authors.all() if a.pk not in rated],
        "steps": actions.allowed(user, suggestion),
        "units": Unit.objects.filter(jurisdiction=suggestion.jurisdiction).order_by("name"),
        "levels": LevelChoice.choices,
        "classes": AnswerClass.choices,
        "satisfactions": Satisfaction.choices,
        "today": today,
        "rehandle_default": services.add_months(today, services.REHANDLE_MONTHS),
    }
    return render(request, "suggestions/detail.html", context)


@login_required
@require_POST
def suggestion_act(request, pk: int, action: str):
    suggestion = _suggestion(request, pk)
    take_step(request, action, actions.ACTIONS, lambda: actions.perform(
        request.user, suggestion, action, request.POST, request.FILES.getlist("files")))  # fmt: skip
    return redirect(suggestion.get_absolute_url())


@login_required
def answer_letter(request, pk: int, round: int):
    return letters.letter_response(_suggestion(request, pk), round)


@login_required
def opinion_file(request, pk: int):
    opinion = access.obtain(request.user, Opinion.objects.filter(~Q(file="")), pk)
    return uploads.serve(opinion.file, name=opinion.file_name, fallback="opinion")
