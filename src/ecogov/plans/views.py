"""Pages of plans: the plans, the task ledger, a task with its reports."""

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ecogov import access, uploads
from ecogov.access import CHANGE
from ecogov.accounts.models import Role
from ecogov.domain.notation import formula_text
from ecogov.domain.plandoc import PlanError
from ecogov.domain.progress import progress
from ecogov.domain.taskstatus import STATUSES, month_end, previous_month
from ecogov.domain.unitnames import is_collective
from ecogov.org.models import Unit
from ecogov.params import (
    BadQuery,
    page_query,
    parse_int,
    parse_month,
    query_choice,
    query_int,
    query_month,
    query_year,
)
from ecogov.plans import implementation
from ecogov.plans.dispatch import annual_ranking, dispatch_missing, supervision_list
from ecogov.plans.exports import (
    dispatch_document,
    ledger_workbook,
    progress_import,
    target_values_import,
    target_values_workbook,
)
from ecogov.plans.forms import CompleteForm, PlanDocumentForm, ReportForm, TargetValueForm
from ecogov.plans.models import ImplementationPlan, Plan, Target, Task, TaskUnit
from ecogov.plans.selectors import (
    PROGRESS_LABELS,
    STATUS_LABELS,
    dispatch_refusal,
    ledger,
    ledger_rows,
    ledger_tasks,
    target_chart,
    target_value_texts,
)
from ecogov.plans.services import (
    plan_document_import,
    target_value_record,
    task_complete,
    task_report_file,
)
from ecogov.spreadsheets import DOCX, download
from ecogov.supervision.actions import unit_field
from ecogov.web.history import history_entries

PAGE_SIZE = 50


def _today() -> datetime.date:
    return datetime.date.today()


@login_required
def plan_list(request):
    request.section = "plans"
    plans = (
        access.scope(request.user, Plan)
        .select_related("jurisdiction")
        .annotate(
            task_count=Count("tasks", distinct=True), target_count=Count("targets", distinct=True)
        )
    )
    user = request.user
    may_import = bool(user.unit_id and access.dispatches(user, user.unit.jurisdiction_id))
    return render(request, "plans/plan_list.html", {"plans": plans, "may_import": may_import})


def _ledger_context(request, tasks, *, plan=None, paged=False):
    """The ledger of now: a plan's tasks whole, every task in pages."""
    user = request.user
    unit_id = query_int(request, "unit")
    role = query_choice(request, "role", TaskUnit.Role.values, None)
    status = query_choice(request, "status", STATUSES, None)
    due = query_month(request, "due")
    first_for_unit = user.unit_id if user.role == Role.LIAISON else None
    listed = ledger_tasks(tasks, unit_id=unit_id, role=role, status=status,
                          first_for_unit=first_for_unit, due_by=due)  # fmt: skip
    page = None
    if paged:
        page = Paginator(listed, PAGE_SIZE).get_page(query_int(request, "page", default=1))
        listed = page.object_list
    rows = ledger_rows(listed, first_for_unit=first_for_unit)
    # The units named by the tasks (a semi-join: joined and made distinct, PostgreSQL
    # misjudged the rows and took 4 ms for a city's twenty units).
    named = TaskUnit.objects.filter(task__in=tasks).values("unit_id")
    units = access.scope(user, Unit).filter(pk__in=named).order_by("order", "name")
    return {
        "plan": plan,
        "rows": rows,
        "page": page,
        "query": page_query(request),
        "units": units,
        "roles": TaskUnit.Role.choices,
        "statuses": list(STATUS_LABELS.items()),
        "selected": {
            "unit": str(unit_id or ""),
            "role": role or "",
            "status": status or "",
            "due": f"{due:%Y-%m}" if due else "",
        },
    }


@login_required
def plan_detail(request, pk: int):
    request.section = "plans"
    plan = access.obtain(request.user, Plan, pk)
    context = _ledger_context(request, plan.tasks.all(), plan=plan)
    context["targets"] = plan.targets.select_related("task")
    context["dispatches"] = plan.dispatches.all()[:12]
    context["implementations"] = implementation_rows(request.user, plan)
    context["last_period"] = previous_month(_today())
    context["calendar_refusal"] = dispatch_refusal(plan, context["last_period"])
    context["import_units"] = (
        Unit.objects.filter(pk=request.user.unit_id)
        if request.user.role == Role.LIAISON
        else context["units"]
    )
    template = (
        "plans/ledger_rows.html" if request.headers.get("HX-Request") else "plans/plan_detail.html"
    )
    return render(request, template, context)


@login_required
def task_list(request):
    request.section = "plans"
    context = _ledger_context(request, access.scope(request.user, Task), paged=True)
    template = (
        "plans/ledger_rows.html" if request.headers.get("HX-Request") else "plans/task_list.html"
    )
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def task_detail(request, pk: int):
    request.section = "plans"
    user = request.user
    task = access.obtain(user, Task.objects.select_related("plan"), pk)
    can_report = access.can(user, CHANGE, task)
    reporting_units = Unit.objects.filter(
        task_roles__task=task, task_roles__role__in=(TaskUnit.Role.LEAD, TaskUnit.Role.SUPPORT)
    ).distinct()
    if user.role == Role.LIAISON:
        reporting_units = reporting_units.filter(pk=user.unit_id)
    report_form = ReportForm(units=reporting_units, initial={"period": _today().replace(day=1)})
    complete_form = CompleteForm()
    if request.method == "POST":
        if not can_report:
            access.obtain(user, Task, pk, CHANGE)  # raises PermissionDenied
        action = request.POST.get("action")
        form = (
            ReportForm(request.POST, units=reporting_units)
            if action == "report"
            else CompleteForm(request.POST)
        )
        if form.is_valid():
            try:
                if action == "report":
                    data = form.cleaned_data
                    task_report_file(
                        task=task, unit=data["unit"], period=data["period"], text=data["text"],
                        percent=data["percent"], milestone=data["milestone"], by=user,
                    )  # fmt: skip
                    messages.success(request, _("The progress report was filed."))
                else:
                    task_complete(task=task, evidence=form.cleaned_data["evidence"], by=user)
                    messages.success(request, _("The task is marked done."))
                return redirect(task)
            except ValidationError as error:
                form.add_error(None, error)
        if action == "report":
            report_form = form
        else:
            complete_form = form
    context = {
        "task": task,
        "status": task.status,
        "status_label": task.get_status_display(),
        "links": _links_in_role_order(task),
        "reports": task.reports.select_related("unit", "reported_by").order_by(
            "-period", "unit__order"
        ),
        "targets": task.targets.all(),
        "can_report": can_report and reporting_units.exists(),
        "report_form": report_form,
        "complete_form": complete_form,
        "history": history_entries(task) if access.can_see_history(user) else None,
    }
    return render(request, "plans/task_detail.html", context)


def _links_in_role_order(task: Task) -> list[TaskUnit]:
    """The task's units, lead first, then supporting, supervising and implementing; each
    marked ``collective`` when it names several units ("各县（市、区）人民政府")."""
    order = {role: index for index, role in enumerate(TaskUnit.Role.values)}
    links = sorted(
        task.units.select_related("unit"), key=lambda link: (order[link.role], link.order)
    )
    for link in links:
        link.collective = link.unit is None and is_collective(link.name)
    return links


def _period(request) -> datetime.date:
    """ "?period=2026-11" → 2026-11-01; the month that last closed by default."""
    return query_month(request, "period", default=previous_month(_today()))


def _ledger_rows(plan: Plan):
    return ledger(plan.tasks.all(), today=_today())


@login_required
def plan_export(request, pk: int):
    plan = access.obtain(request.user, Plan, pk)
    period = _period(request)
    unit_id = query_int(request, "unit")
    unit = access.obtain(request.user, Unit, unit_id) if unit_id else None
    data = ledger_workbook(plan, _ledger_rows(plan), period=period, unit=unit)
    name = f"任务台账-{period:%Y-%m}" + (f"-{unit.name}" if unit else "") + ".xlsx"
    return download(data, name)


@login_required
def plan_dispatch_report(request, pk: int):
    plan = access.obtain(request.user, Plan, pk)
    period = _period(request)
    dispatch = plan.dispatches.filter(period=period).first()
    missing = dispatch_missing(dispatch) if dispatch else {}
    data = dispatch_document(
        plan,
        _ledger_rows(plan),
        period=period,
        missing=missing,
        due=dispatch.due_on if dispatch else None,
    )
    return download(data, f"月调度情况-{period:%Y-%m}.docx", DOCX)


@login_required
@require_http_methods(["POST"])
def plan_progress_import(request, pk: int):
    plan = access.obtain(request.user, Plan, pk)
    unit = access.obtain(request.user, Unit, request.POST.get("unit", ""))
    user = request.user
    allowed = (
        access.is_admin(user)
        or (user.role == Role.DISPATCHER and access.can(user, access.MANAGE, plan))
        or (user.role == Role.LIAISON and user.unit_id == unit.pk)
    )
    if not allowed:
        raise PermissionDenied(_("You may import progress for your own unit only."))
    upload = request.FILES.get("file")
    period = parse_month(request.POST.get("period", ""), "period", default=previous_month(_today()))
    if upload is None:
        messages.error(request, _("Choose the Excel file to import."))
        return redirect(plan.get_absolute_url() + "#dispatch")
    try:
        result = progress_import(plan=plan, unit=unit, period=period, data=upload.read(), by=user)
    except ValidationError as error:
        messages.error(
            request, _("Nothing was imported: %(errors)s") % {"errors": "；".join(error.messages)}
        )
    else:
        messages.success(
            request,
            _("%(filed)d reports filed, %(unchanged)d unchanged.")
            % {"filed": len(result.filed), "unchanged": result.unchanged},
        )
    return redirect(plan.get_absolute_url() + "#dispatch")


@login_required
def plan_supervision(request, pk: int):
    request.section = "plans"
    plan = access.obtain(request.user, Plan, pk)
    today = _today()
    year = query_year(request, default=today.year)
    quarter = query_int(request, "quarter", max=4, default=(today.month - 1) // 3 + 1)
    end = month_end(datetime.date(year, quarter * 3, 1))
    entries = supervision_list(plan, quarter_end=min(end, today))
    return render(
        request,
        "plans/supervision.html",
        {
            "plan": plan,
            "entries": entries,
            "year": year,
            "quarter": quarter,
            "end": min(end, today),
            "labels": STATUS_LABELS,
        },  # fmt: skip
    )


@login_required
def plan_ranking(request, pk: int):
    request.section = "plans"
    plan = access.obtain(request.user, Plan, pk)
    today = _today()
    year = query_year(request, default=today.year)
    rows = annual_ranking(plan, year=year, today=today)
    return render(request, "plans/ranking.html", {"plan": plan, "rows": rows, "year": year})


@login_required
@require_http_methods(["GET", "POST"])
def target_detail(request, pk: int):
    request.section = "plans"
    user = request.user
    target = access.obtain(user, Target.objects.select_related("plan", "task"), pk)
    can_record = target.value is not None and access.can(user, CHANGE, target)
    form = TargetValueForm(None if "file" in request.FILES else request.POST or None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied(_("You may not record values of this target."))
        if "file" in request.FILES:
            try:
                result = target_values_import(
                    target=target, data=request.FILES["file"].read(), by=user
                )
            except ValidationError as error:
                messages.error(
                    request,
                    _("Nothing was imported: %(errors)s") % {"errors": "；".join(error.messages)},
                )
            else:
                messages.success(request, _("%(filed)d values recorded, %(unchanged)d unchanged.") % {
                    "filed": len(result.filed), "unchanged": result.unchanged})  # fmt: skip
            return redirect(target)
        if form.is_valid():
            try:
                target_value_record(target=target, by=user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The value was recorded."))
                return redirect(target)
    values = list(target.values.order_by("date"))
    feed = getattr(target, "feed", None)  # monitoring fills the values (ecogov.monitoring)
    goal, op = target.goal
    today = _today()
    measured = progress(
        [(v.date, v.value) for v in values], op=op, target=goal, target_year=target.year,
        today=today,
    )  # fmt: skip
    chart = target_chart(target, values, measured.trend, today=today)
    context = {
        "target": target,
        "values": list(zip(values, target_value_texts(target, values), strict=True)),
        "progress": measured,
        "progress_label": PROGRESS_LABELS[measured.status],
        "chart": chart,
        "form": form,
        "can_record": can_record,
        "feed": feed,
        "history": history_entries(target) if access.can_see_history(user) else None,
    }
    return render(request, "plans/target_detail.html", context)


@login_required
def target_export(request, pk: int):
    target = access.obtain(request.user, Target, pk)
    name = formula_text(target.indicator)[:40]
    return download(target_values_workbook(target), f"{name}-实测值.xlsx")


# --- the units' implementation plans (实施方案) -----------------------------------------


def implementation_rows(user, plan: Plan) -> list[dict]:
    """Each lead unit's implementation plan with its item's state and colour, and whether
    this person may upload it."""
    obligations = plan.implementations.select_related("unit", "item", "document")
    return [
        {
            "obligation": obligation,
            "item": obligation.item,
            "may_upload": obligation.item.is_open and implementation.may_upload(user, obligation),
            "may_import": (
                obligation.document is not None
                and obligation.document.kind == "docx"
                and not obligation.tasks_imported
                and implementation.may_upload(user, obligation)
            ),
        }
        for obligation in obligations
    ]


def _obligation(request, pk: int) -> ImplementationPlan:
    return access.obtain(
        request.user, ImplementationPlan.objects.select_related("plan", "unit", "item"), pk
    )


@login_required
@require_POST
def implementation_upload(request, pk: int):
    obligation = _obligation(request, pk)
    try:
        implementation.implementation_upload(
            obligation, files=request.FILES.getlist("file"), by=request.user
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("Implementation plan uploaded; the supervised item is closed."))
    return redirect(obligation.get_absolute_url())


@login_required
def implementation_document(request, pk: int):
    obligation = _obligation(request, pk)
    if obligation.document is None:
        raise Http404(_("No document has been uploaded yet."))
    name = f"{obligation.unit.name}实施方案"
    return uploads.serve(obligation.document.file, name=name, fallback="implementation-plan")


@login_required
@require_http_methods(["GET", "POST"])
def implementation_tasks(request, pk: int):
    """A preview of the tasks EcoGov reads in the unit's Word document, and on
    confirmation their import under one of the unit's tasks of the plan."""
    request.section = "plans"
    obligation = _obligation(request, pk)
    if not implementation.may_upload(request.user, obligation):
        raise PermissionDenied(_("Only the unit's liaison imports its implementation plan."))
    parents = implementation.parent_tasks(obligation)
    if request.method == "POST":
        chosen = str(request.POST.get("parent", "")).strip()
        parent = (
            parents.filter(pk=int(chosen)).first()
            if chosen.isdecimal() and chosen.isascii() and len(chosen) < 19
            else None
        )
        try:
            if parent is None:
                raise ValidationError(_("Choose one of the plan's tasks that the unit leads."))
            created = implementation.implementation_import_tasks(
                obligation, parent=parent, by=request.user
            )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(
                request,
                _("%(n)d tasks imported under %(task)s.") % {"n": len(created), "task": parent},
            )
            return redirect(obligation.get_absolute_url())
    try:
        document = implementation.implementation_read(obligation)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(obligation.get_absolute_url())
    context = {"obligation": obligation, "document": document, "parents": parents}
    return render(request, "plans/implementation_tasks.html", context)


# --- importing a plan document ----------------------------------------------------------

IMPORT_SESSION_KEY = "plan_import"
MAX_NAMES = 300  # unknown names chosen for on one preview
KEEP, CREATE = "", "create"


def _import_home(request):
    """The district whose plans the person imports: the bureau's dispatchers only."""
    request.section = "plans"
    user = request.user
    home = user.unit.jurisdiction if user.unit_id else None
    if home is None or not access.dispatches(user, home.pk):
        raise PermissionDenied(_("The ecology bureau's dispatchers import plans."))
    return home


@dataclass
class _Choices:
    """The operator's choice for each unknown name (``choice_<n>`` goes with
    ``name_<n>``): a unit of the district it means, ``create`` to register it, or nothing
    to keep it as written."""

    mapping: dict[str, Unit] = field(default_factory=dict)
    create: set[str] = field(default_factory=set)
    keep: set[str] = field(default_factory=set)
    chosen: dict[str, str] = field(default_factory=dict)


def _unit_choices(post, names: list[str], home) -> _Choices:
    choices = _Choices()
    for index, name in enumerate(names):
        value = str(post.get(f"choice_{index}") or "").strip()
        if not name:
            continue
        choices.chosen[name] = value
        if value == CREATE:
            choices.create.add(name)
        elif value == KEEP:
            choices.keep.add(name)
        else:
            choices.mapping[name] = unit_field(home, value, _("the unit it means"))
    return choices


def _upload_page(request, home, form=None, *, error: str = ""):
    """The first step, with what went wrong (a file's refusal is its field's error)."""
    context = {"form": form or PlanDocumentForm(), "home": home, "error": error}
    return render(request, "plans/import.html", context)


def _held_document(request) -> tuple[str, str] | None:
    held = request.session.get(IMPORT_SESSION_KEY)
    if not isinstance(held, dict) or not isinstance(held.get("text"), str):
        return None
    return held["text"], str(held.get("name") or "")


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_page(request):
    """Step one: the document. Step two (``action`` preview or import): the tasks read,
    with their units; each unit the registry does not know with a choice (map it to a
    unit, register it, or keep it as written); then the import, all or nothing.

    The document's text waits in the session between the preview and the import, so
    that the import reads what the preview showed."""
    home = _import_home(request)
    user = request.user
    if request.method == "GET":
        request.session.pop(IMPORT_SESSION_KEY, None)
        return _upload_page(request, home, PlanDocumentForm())
    form = PlanDocumentForm(request.POST, request.FILES)
    if "file" in request.FILES:
        if not form.is_valid():
            return _upload_page(request, home, form)
        text, name = form.text, form.cleaned_data["file"].name[:200]
        request.session[IMPORT_SESSION_KEY] = {"text": text, "name": name}
    else:
        held = _held_document(request)
        if held is None:
            return _upload_page(request, home, error=_("Choose the plan document to import."))
        text, name = held
    confirm = request.POST.get("action") == "import"
    try:
        count = parse_int(str(request.POST.get("names") or "0"), "names", min=0, max=MAX_NAMES)
        names = [str(request.POST.get(f"name_{n}") or "") for n in range(count)]
        choices = _unit_choices(request.POST, names, home)
        reading = plan_document_import(
            text=text, jurisdiction=home, source=name, mapping=choices.mapping,
            create=choices.create, keep=choices.keep, dry_run=not confirm, by=user,
        )  # fmt: skip
    except (PlanError, ValidationError, BadQuery) as error:
        if isinstance(error, PlanError):
            message = _("%(name)s, line %(line)d: %(error)s") % {
                "name": name, "line": error.line, "error": error.message}  # fmt: skip
        else:
            message = "；".join(getattr(error, "messages", [str(error)]))
        return _upload_page(
            request, home, error=_("Nothing was imported: %(errors)s") % {"errors": message}
        )
    if confirm:
        request.session.pop(IMPORT_SESSION_KEY, None)
        messages.success(request, _("%(n)d tasks of %(title)s imported.") % {
            "n": len(reading.document.tasks), "title": reading.plan.title})  # fmt: skip
        return redirect(reading.plan)
    resolution = reading.resolution
    # Every name chosen for stays offered with its choice, so that checking again does
    # not forget it; then the names still unknown, and those mapped when the plan was
    # last imported (their unit chosen already).
    chosen = choices.chosen
    offered = [name for name in names if name and name in resolution.units]
    offered += [name for name in resolution.unresolved if name not in offered]
    for remembered in resolution.remembered:
        if remembered not in offered:
            offered.append(remembered)
            chosen[remembered] = str(resolution.units[remembered].pk)
    document = reading.document
    context = {
        "home": home,
        "file_name": name,
        "document": document,
        "existing": Plan.objects.filter(jurisdiction=home, title=document.title).first(),
        "tasks": [
            {
                "task": task,
                "roles": [
                    (label, [resolution.display(n) for n in getattr(task, role)])
                    for role, label in TaskUnit.Role.choices
                    if getattr(task, role)
                ],
            }
            for task in document.tasks
        ],
        "targets": reading.targets,
        "unknown": [
            {"index": n, "name": unknown, "chosen": chosen.get(unknown, KEEP)}
            for n, unknown in enumerate(offered)
        ],
        "collective": resolution.collective,
        "remembered": resolution.remembered,
        # A plan of another area (the city's, the province's) is imported as the
        # district's own work: said, so that it is a choice.
        "other_area": "、".join(document.area)
        if document.area and home.name not in document.area
        else "",
        "units": Unit.objects.filter(jurisdiction=home, is_active=True).order_by("order", "name"),
        "create": CREATE,
    }
    return render(request, "plans/import_preview.html", context)
