"""The one registry of public data sets (open data, seed 003 §(五).2; issue 22 §3).

A data set is a public table: its columns (name, type, description: the data
dictionary), a function giving its rows as dicts, and a cheap version marker (the latest
timestamp and a count) for caching. From the registry alone come the catalogue and
dictionary page (/public/data/), the CSV and JSON downloads at stable URLs
(/public/data/<slug>.csv|json) and their caching.

Every column is chosen here, from the selections the public pages already make, so that
nothing internal (a reporter, a case's text, a staff member, an internal note) reaches a
download by accident. Registering a new one::

    register(Dataset(
        slug="air-days", title=_("Air quality by day"), description=_("…"),
        columns=[("station", "string", _("The station")), ("aqi", "integer", _("AQI"))],
        rows=air_days, version=air_days_version,
    ))
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Column(NamedTuple):
    name: str
    type: str  # string, integer, number, date, datetime, boolean
    description: str | Promise


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str | Promise
    description: str | Promise
    columns: tuple
    rows: Callable[[], Iterable[dict]]
    version: Callable[[], object]
    source: str | Promise = _("Published by the district's eco-environment bureau.")

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(Column(*column) for column in self.columns))

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    def table(self) -> list[list]:
        """The rows as lists in the columns' order (nothing but the declared columns)."""
        names = self.names
        return [[row.get(name) for name in names] for row in self.rows()]


_REGISTRY: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    if dataset.slug in _REGISTRY and _REGISTRY[dataset.slug] != dataset:
        raise ValueError(f"A data set is already registered as {dataset.slug!r}.")
    _REGISTRY[dataset.slug] = dataset
    return dataset


def datasets() -> list[Dataset]:
    return list(_REGISTRY.values())


def dataset(slug: str) -> Dataset | None:
    return _REGISTRY.get(slug)


def marker(queryset, *fields: str) -> tuple:
    """A cheap version of a table: its count and the newest of ``fields`` (one query)."""
    found = queryset.order_by().aggregate(
        n=Count("pk"), **{f"m{i}": Max(field) for i, field in enumerate(fields)}
    )
    return (found.pop("n"), *found.values())


def changes(*models) -> tuple:
    """The newest change of each model that keeps a history (django-simple-history):
    any save of any row, whatever field it touched. One query per model, on indexes."""
    found = []
    for model in models:
        newest = model.history.order_by().aggregate(i=Max("history_id"), t=Max("history_date"))
        found += [newest["i"], newest["t"]]
    return tuple(found)


def local_day(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return value


# --- the data sets that exist today ----------------------------------------------------


def _disclosed_rows():
    from ecogov.cases.models import Category, Outcome
    from ecogov.disclosure.data_views import disclosed_cases

    categories, outcomes = dict(Category.choices), dict(Outcome.choices)
    for case in disclosed_cases().order_by("-closed_at", "-pk"):
        yield {
            "number": case.number, "category": case.category,
            "category_label": str(categories.get(case.category, case.category)),
            "subcategory": case.subcategory, "address": case.address,
            "lead_unit": case.lead.name if case.lead_id else "", "outcome": case.outcome,
            "outcome_label": str(outcomes.get(case.outcome, "")),
            "closed_on": local_day(case.closed_at), "result": case.public_summary,
        }  # fmt: skip


def _disclosed_version():
    from ecogov.disclosure.data_views import disclosed_cases

    return marker(disclosed_cases(), "disclosed_at", "closed_at")


def _reward_rows():
    from ecogov.disclosure.data_views import reward_months

    return reward_months()


def _reward_version():
    from ecogov.cases.models import Reward

    return marker(Reward.objects.all(), "decided_on", "paid_on")


def _enterprise_rows():
    from ecogov.enterprises.public_views import enterprise_list, key_sources

    return enterprise_list(key_sources(), timezone.now())


def _enterprise_version():
    from ecogov.enterprises.public_views import key_sources
    from ecogov.monitoring.models import Reading

    # The latest state depends on the hour: the newest reading changes it.
    newest = Reading.objects.filter(point__source__key=True).order_by().aggregate(t=Max("time"))
    # An enterprise's page also shows its permits, penalties, listings and credit grade.
    from ecogov.assess.models import Assessment, Repair
    from ecogov.cases.models import Case
    from ecogov.enterprises.models import Listing, Permit
    from ecogov.sources.models import Source

    return (*marker(key_sources(), "pk"), newest["t"], timezone.now().strftime("%Y%m%d%H"),
            *changes(Source, Permit, Listing, Case, Assessment, Repair))  # fmt: skip


def _listing_rows():
    from ecogov.enterprises.services import public_listings

    for listing in public_listings().order_by("-listed_on", "name"):
        yield {
            "name": listing.name, "uscc": listing.uscc, "ground": listing.ground,
            "ground_label": str(listing.get_ground_display()), "grounds": listing.grounds,
            "decision_number": listing.decision_number, "listed_on": listing.listed_on,
            "bar_until": listing.bar_until,
        }  # fmt: skip


def _listing_version():
    from ecogov.enterprises.services import public_listings

    return (*marker(public_listings(), "created_at", "listed_on"), timezone.localdate())


def _score_rows():
    from ecogov.assess.models import Grade
    from ecogov.disclosure.data_views import published_scores

    grades = dict(Grade.choices)
    for score in published_scores():
        assessment = score.assessment
        standing = score.repaired_grade or score.grade
        yield {
            "scheme": assessment.scheme.name, "jurisdiction": assessment.scheme.jurisdiction.name,
            "period": assessment.period, "bodies": assessment.scheme.bodies,
            "notice_number": assessment.notice_number,
            "published_on": local_day(assessment.published_at),
            "assessed": score.source.name if score.source_id else score.unit.name,
            "uscc": score.source.uscc if score.source_id else "",
            "rank": score.rank, "total": score.total, "grade": standing,
            "grade_label": str(grades.get(standing, "")) if standing else "",
            "vetoed": score.vetoed,
        }  # fmt: skip


def _score_version():
    from ecogov.assess.models import Assessment, Repair
    from ecogov.disclosure.data_views import published_scores

    return (*marker(published_scores(), "assessment__published_at", "repaired_grade"),
            *changes(Assessment, Repair))  # fmt: skip


def _notice_rows():
    from ecogov.sanctions.public_views import _public

    for notice in _public().prefetch_related("units"):
        yield {
            "number": notice.number, "title": notice.title,
            "units": "；".join(unit.name for unit in notice.units.all()),
            "facts": notice.facts, "issuer": notice.issuer.name, "issued_on": notice.issued_on,
            "jurisdiction": notice.jurisdiction.name,
        }  # fmt: skip


def _notice_version():
    from ecogov.sanctions.models import CriticismNotice

    return marker(CriticismNotice.public_objects.all(), "issued_on", "created_at")


def _problem_rows():
    from ecogov.rectification.public_views import public_batches

    for batch in public_batches():
        for problem in batch.shown_problems:
            yield {
                "batch": batch.title, "jurisdiction": batch.jurisdiction.name,
                "received_on": batch.received_on, "seq": problem.seq,
                "problem": problem.public_text or problem.text,
                "lead_unit": problem.item.lead.name if problem.item.lead_id else "",
                "deadline": problem.item.deadline, "state": problem.state,
                "state_label": str(problem.get_state_display()),
                "publicity_start": problem.publicity_start,
                "publicity_end": problem.publicity_end, "closed_on": problem.closed_on,
            }  # fmt: skip


def _problem_version():
    from ecogov.rectification.models import Batch, Problem

    problems = Problem.objects.filter(batch__public=True)
    states = problems.order_by("state").values("state").annotate(n=Count("pk"))
    return (*marker(problems, "closed_on", "publicity_start", "publicity_end"),
            *changes(Problem, Batch),
            *marker(Batch.objects.filter(public=True), "created_at"),
            tuple((row["state"], row["n"]) for row in states))  # fmt: skip


def _grid_rows():
    from ecogov.disclosure.data_views import grid_people

    return grid_people()


def _grid_version():
    from ecogov.grid.models import Grid, GridMember

    # Any saved change of a grid or a member (a phone published or withdrawn included);
    # MAX of a boolean does not exist on PostgreSQL.
    return (*marker(Grid.objects.all(), "pk"), *marker(GridMember.objects.all(), "pk"),
            *changes(Grid, GridMember))  # fmt: skip


def _penalty_rows():
    from ecogov.disclosure.data_views import penalty_rows

    return penalty_rows(None)


def _penalty_version():
    from ecogov.disclosure.data_views import penalty_cases

    return marker(penalty_cases(), "closed_at", "disclosed_at")


def _complaint_version():
    from ecogov.disclosure.data_views import complaint_cases

    return (*marker(complaint_cases(), "registered_at", "closed_at", "reported_at"),
            timezone.localdate().replace(day=1))  # fmt: skip


def _complaints(dimension: str):
    def rows():
        from ecogov.disclosure.data_views import complaint_statistics

        return complaint_statistics(dimension, months=24)

    return rows


STR, INT, NUM, DATE, BOOL = "string", "integer", "number", "date", "boolean"
COMPLAINT_COLUMNS = (
    ("received", INT, _("Public reports received in the period")),
    ("closed", INT, _("Reports closed in the period")),
    ("closed_on_time", INT, _("Of those closed, how many the lead unit finished by the deadline")),
    ("average_days", NUM, _("Average days from registration to closing")),
    ("rated", INT, _("Closed reports the reporter rated")),
    ("satisfaction_rate", NUM, _("Satisfied or basically satisfied among those rated (%)")),
)


def register_builtin():
    """The data sets of EcoGov's own apps (called once, when the apps are ready)."""
    register(Dataset(
        slug="disclosed-cases", title=_("Published results of environmental reports"),
        description=_("Closed reports whose result the bureau published: the kind of problem, "
                      "the place as published, the lead unit, the outcome and the result."),
        columns=(("number", STR, _("Public case number")),
                 ("category", STR, _("Kind of problem (code)")),
                 ("category_label", STR, _("Kind of problem")),
                 ("subcategory", STR, _("Sub-category")),
                 ("address", STR, _("Place, as published")),
                 ("lead_unit", STR, _("Unit that handled it")),
                 ("outcome", STR, _("Outcome (code)")), ("outcome_label", STR, _("Outcome")),
                 ("closed_on", DATE, _("Day closed")), ("result", STR, _("The published result"))),
        rows=_disclosed_rows, version=_disclosed_version,
    ))  # fmt: skip
    register(Dataset(
        slug="penalties", title=_("Administrative penalties"),
        description=_("Penalty decisions from closed cases with a violation: the enterprise "
                      "(a legal person), the decision, the violation, the penalty, the day "
                      "and the deciding authority. Individuals are not named."),
        columns=(("enterprise", STR, _("Enterprise (empty for an individual)")),
                 ("uscc", STR, _("Unified social credit code")),
                 ("decision_number", STR, _("Penalty decision number")),
                 ("category", STR, _("Kind of violation (code)")),
                 ("category_label", STR, _("Kind of violation")),
                 ("subcategory", STR, _("Sub-category")),
                 ("violation", STR, _("The published summary, if the result was published")),
                 ("outcome_label", STR, _("Outcome")),
                 ("amount", NUM, _("Fine (yuan)")), ("date", DATE, _("Day of the decision's close")),
                 ("authority", STR, _("Deciding authority"))),
        rows=_penalty_rows, version=_penalty_version,
    ))  # fmt: skip
    for dimension, slug, title, key_column in (
        ("month", "complaints-by-month", _("Public reports by month"),
         ("month", STR, _("Month (YYYY-MM)"))),
        ("category", "complaints-by-category", _("Public reports by kind of problem"),
         ("category_label", STR, _("Kind of problem"))),
        ("unit", "complaints-by-unit", _("Public reports by lead unit"),
         ("lead_unit", STR, _("Lead unit"))),
    ):  # fmt: skip
        register(Dataset(
            slug=slug, title=title,
            description=_("Reports from the public (web, 12369 hotline, petitions, "
                          "representatives) in the last 24 months: counts only."),
            columns=(key_column, *COMPLAINT_COLUMNS),
            rows=_complaints(dimension), version=_complaint_version,
        ))  # fmt: skip
    register(Dataset(
        slug="rewards", title=_("Rewards for reports by month"),
        description=_("Monthly counts and amounts of rewards decided and paid, without any "
                      "identity."),
        columns=(("month", STR, _("Month (YYYY-MM)")), ("decided", INT, _("Rewards decided")),
                 ("decided_amount", NUM, _("Amount decided (yuan)")),
                 ("paid", INT, _("Rewards paid")), ("paid_amount", NUM, _("Amount paid (yuan)"))),
        rows=_reward_rows, version=_reward_version,
    ))  # fmt: skip
    register(Dataset(
        slug="key-enterprises", title=_("Key enterprises and their latest discharges"),
        description=_("Key discharging units in operation, their place and whether their "
                      "latest hourly data kept the limits."),
        columns=(("id", INT, _("Number of its public page")), ("name", STR, _("Enterprise")),
                 ("uscc", STR, _("Unified social credit code")), ("address", STR, _("Address")),
                 ("type", STR, _("Kind of source")), ("status_label", STR, _("Status")),
                 ("district", STR, _("District")), ("township", STR, _("Township or street")),
                 ("grid", STR, _("Village grid")), ("latest", STR, _("Latest data (code)")),
                 ("latest_label", STR, _("Latest data")),
                 ("latest_time", "datetime", _("Time of the latest data"))),
        rows=_enterprise_rows, version=_enterprise_version,
    ))  # fmt: skip
    register(Dataset(
        slug="blacklist", title=_("Environmental blacklist"),
        description=_("Published listings in force: the enterprise, its code, the ground, the "
                      "decision and the period of the bar."),
        columns=(("name", STR, _("Enterprise")), ("uscc", STR, _("Unified social credit code")),
                 ("ground", STR, _("Ground (code)")), ("ground_label", STR, _("Ground")),
                 ("grounds", STR, _("Grounds")), ("decision_number", STR, _("Decision number")),
                 ("listed_on", DATE, _("Listed on")), ("bar_until", DATE, _("Barred until"))),
        rows=_listing_rows, version=_listing_version,
    ))  # fmt: skip
    register(Dataset(
        slug="assessment-results", title=_("Published assessment and credit results"),
        description=_("The rankings of units and the credit grades of enterprises the bureau "
                      "published, with the grade after any approved credit repair."),
        columns=(("scheme", STR, _("Scheme")), ("jurisdiction", STR, _("Jurisdiction")),
                 ("period", STR, _("Period")),
                 ("bodies", STR, _("Assessed bodies (units or enterprises)")),
                 ("notice_number", STR, _("Notice number")), ("published_on", DATE, _("Published on")),
                 ("assessed", STR, _("Unit or enterprise assessed")),
                 ("uscc", STR, _("Unified social credit code (enterprises)")),
                 ("rank", INT, _("Rank")), ("total", NUM, _("Score")),
                 ("grade", STR, _("Grade (code)")), ("grade_label", STR, _("Grade")),
                 ("vetoed", BOOL, _("Vetoed"))),
        rows=_score_rows, version=_score_version,
    ))  # fmt: skip
    register(Dataset(
        slug="criticism-notices", title=_("Criticism notices"),
        description=_("Issued criticism notices the bureau published."),
        columns=(("number", STR, _("Number")), ("title", STR, _("Title")),
                 ("units", STR, _("Units concerned")), ("facts", STR, _("Facts")),
                 ("issuer", STR, _("Issuing unit")), ("issued_on", DATE, _("Issued on")),
                 ("jurisdiction", STR, _("Jurisdiction"))),
        rows=_notice_rows, version=_notice_version,
    ))  # fmt: skip
    register(Dataset(
        slug="rectification-problems", title=_("Inspection problems and their rectification"),
        description=_("The problems of the published inspection batches, as published, with "
                      "their lead unit, deadline, state and publicity."),
        columns=(("batch", STR, _("Batch")), ("jurisdiction", STR, _("Jurisdiction")),
                 ("received_on", DATE, _("Batch received on")), ("seq", INT, _("No.")),
                 ("problem", STR, _("Problem, as published")), ("lead_unit", STR, _("Lead unit")),
                 ("deadline", DATE, _("Deadline")), ("state", STR, _("State (code)")),
                 ("state_label", STR, _("State")), ("publicity_start", DATE, _("Publicity from")),
                 ("publicity_end", DATE, _("Publicity until")), ("closed_on", DATE, _("Closed on"))),
        rows=_problem_rows, version=_problem_version,
    ))  # fmt: skip
    register(Dataset(
        slug="grid-people", title=_("Grids and their people"),
        description=_("Each grid, the body responsible for it and its people by role; a phone "
                      "only where its owner agreed to publish it."),
        columns=(("grid", STR, _("Grid")), ("level", STR, _("Level")),
                 ("parent", STR, _("Upper grid")), ("responsible", STR, _("Responsible body")),
                 ("role", STR, _("Role")), ("name", STR, _("Name")),
                 ("phone", STR, _("Published phone"))),
        rows=_grid_rows, version=_grid_version,
    ))  # fmt: skip

    _register_quality()
    _register_consultations()


def _register_consultations():
    from ecogov.consultations.public_views import public_consultations, published_version

    def rows():
        return [
            {"id": c.pk, "title": c.title, "kind": str(c.get_kind_display()),
             "district": c.jurisdiction.name, "organiser": c.organiser.name,
             "opens_on": c.opens_on, "closes_on": c.closes_on, "state": str(c.get_state_display()),
             "answered_on": local_day(c.answered_at)}
            for c in public_consultations().order_by("-opens_on", "-pk")
        ]  # fmt: skip

    register(Dataset(
        slug="consultations", title=_("Public consultations"),
        description=_("Drafts of decisions, plans and projects the government opened for "
                      "comment, their period and whether the response is published."),
        columns=(("id", INT, _("Number of its public page")), ("title", STR, _("Title")),
                 ("kind", STR, _("Kind of draft")), ("district", STR, _("District")),
                 ("organiser", STR, _("Organising unit")), ("opens_on", DATE, _("Open from")),
                 ("closes_on", DATE, _("Open until")), ("state", STR, _("State")),
                 ("answered_on", DATE, _("Response published on"))),
        rows=rows, version=published_version,
    ))  # fmt: skip


# The environment changes every hour: the quality data sets and pages are "as of" the
# last five minutes, which costs no query to know.
FRESH_MINUTES = 5


def as_of(now: datetime.datetime | None = None) -> tuple:
    """A version marker for data that grow with the hour: the start of the current
    five minutes."""
    now = now or timezone.now()
    return (now.replace(minute=now.minute - now.minute % FRESH_MINUTES, second=0, microsecond=0),)


def _register_quality():
    from ecogov.disclosure import quality
    from ecogov.plans.models import TargetValue

    def days(n: int) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        return today - datetime.timedelta(days=n - 1), today

    register(Dataset(
        slug="air-days", title=_("Air quality by day"),
        description=_("The daily AQI of each public air quality station over the last 365 "
                      "days, with its level and primary pollutants."),
        columns=quality.AIR_DAYS_COLUMNS, rows=lambda: quality.air_days(*days(365)),
        version=as_of,
    ))  # fmt: skip
    register(Dataset(
        slug="section-months", title=_("River sections' water class by month"),
        description=_("The water class of each public river or lake section by month over "
                      "the last 24 months, the factor that decided it and the plan's goal."),
        columns=quality.SECTION_MONTHS_COLUMNS,
        rows=lambda: quality.section_months(*days(731)), version=as_of,
    ))  # fmt: skip
    register(Dataset(
        slug="target-progress", title=_("Plan targets and their progress"),
        description=_("Every target of the public plans with its goal, its latest value and "
                      "whether it is met, on track or off track."),
        columns=quality.TARGET_PROGRESS_COLUMNS, rows=quality.target_progress,
        version=lambda: (*marker(TargetValue.objects.all(), "date"), timezone.localdate()),
    ))  # fmt: skip
