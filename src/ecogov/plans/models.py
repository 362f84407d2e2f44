"""Plans (实施方案), their numbered tasks and their targets.

Glossary: 责任单位/牵头单位 lead unit; 配合单位 supporting unit; 监管部门 supervising
unit; 完成时限 deadline; 持续推进 ongoing; 目标 target.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.domain import taskstatus
from ecogov.domain.notation import formula_text, plain
from ecogov.labels import ChoiceLabels


class Plan(models.Model):
    jurisdiction = models.ForeignKey(
        "org.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    source = models.CharField(_("source file"), max_length=200, blank=True)
    # Monthly dispatch counts from the month after the plan entered EcoGov.
    imported_on = models.DateField(_("imported on"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["jurisdiction", "-date", "title"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "title"], name="plan_unique_title"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plan_detail", args=[self.pk])


class TaskStatus(models.TextChoices):
    """The status of a task in the monthly dispatch (domain.taskstatus)."""

    NOT_STARTED = taskstatus.NOT_STARTED, _("not started")
    ON_TRACK = taskstatus.ON_TRACK, _("on track")
    LAGGING = taskstatus.LAGGING, _("lagging")
    OVERDUE = taskstatus.OVERDUE, _("overdue")
    DONE = taskstatus.DONE, _("done")


class Task(ChoiceLabels, models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks"
    )
    number = models.CharField(_("number"), max_length=30)
    order = models.PositiveIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    section = models.CharField(_("section"), max_length=200, blank=True)
    # The month a deadline falls in (its first day), or ongoing (持续推进), or none.
    deadline = models.DateField(_("deadline (month)"), null=True, blank=True)
    ongoing = models.BooleanField(_("ongoing"), default=False)
    line = models.PositiveIntegerField(_("line in the source"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    evidence = models.TextField(_("evidence of completion"), blank=True)
    # As last computed by the one supervision scan (supervision.clocks), which tells the
    # lead units and escalates when they change, and at once when a report or the
    # completion arrives: the lists filter and page on them in the database. The status
    # is that of the monthly dispatch (domain.taskstatus); documents about another day
    # compute theirs (plans.selectors.ledger).
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, blank=True)
    colour = models.CharField(_("colour"), max_length=8, blank=True)
    stage = models.PositiveSmallIntegerField(_("escalation"), default=0)
    # A task a lead unit's own implementation plan adds under one of the plan's tasks.
    parent = models.ForeignKey(
        "self", verbose_name=_("parent task"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="subtasks",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="task_unique_number"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("task_detail", args=[self.pk])

    @property
    def deadline_label(self) -> str | None:
        return deadline_label(self.deadline, ongoing=self.ongoing)


def deadline_label(deadline: datetime.date | None, *, ongoing: bool) -> str | None:
    """A task's deadline as the API writes it: its month, "ongoing", or none."""
    if ongoing:
        return "ongoing"
    return deadline.strftime("%Y-%m") if deadline else None


class TaskUnit(models.Model):
    """A unit named by a task, as written, and the registry's unit when it is known."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead unit")
        SUPPORT = "support", _("supporting unit")
        SUPERVISING = "supervising", _("supervising unit")
        IMPLEMENTING = "implementing", _("implementing government")

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="units"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    name = models.CharField(_("name as written"), max_length=200)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="task_roles",
    )
    order = models.PositiveIntegerField(_("order"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task unit")
        verbose_name_plural = _("task units")
        ordering = ["task", "role", "order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "role", "name"], name="taskunit_unique"),
        ]

    def __str__(self):
        return f"{self.task.number} {self.get_role_display()}: {self.name}"


class Target(models.Model):
    class Op(models.TextChoices):
        AT_LEAST = ">=", "≥"
        AT_MOST = "<=", "≤"
        EQUAL = "==", "="
        ABOVE = ">", ">"
        BELOW = "<", "<"

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets"
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="targets",
    )
    order = models.PositiveIntegerField(_("order"))
    indicator = models.CharField(_("indicator"), max_length=200)
    op = models.CharField(_("comparison"), max_length=2, choices=Op.choices)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6, null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    text = models.TextField(_("wording"))
    # 力争/争取: a goal the plan strives for, beside the ones it commits to.
    aspirational = models.BooleanField(_("aspirational (力争)"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "order"]

    def __str__(self):
        return formula_text(self.text)

    def get_absolute_url(self):
        return reverse("target_detail", args=[self.pk])

    @property
    def goal(self):
        """(number, op) the measured values are held against: the stated value, or what
        a monitoring feed makes of a qualitative goal ("市控标准" → 35); (None, op)."""
        feed = getattr(self, "feed", None)  # monitoring fills the values (ecogov.monitoring)
        if self.value is None and feed is not None:
            return feed.goal, feed.op
        return self.value, self.op

    @property
    def places(self) -> int:
        """Decimals a value of this indicator is worth: those of its goal (31.48 % → 2),
        at least one (a yearly mean of 32.1 μg/m³)."""
        goal = self.goal[0]
        if goal is None:
            return 1
        return max(1, -goal.normalize().as_tuple().exponent)

    def goal_text(self) -> str:
        """ "≥ 31.48 %", "≤ 市控标准", as a page, a chart and an export write it."""
        wanted = plain(self.value) if self.value is not None else self.reference
        return " ".join(part for part in (self.get_op_display(), wanted, self.unit) if part)


class TargetValue(models.Model):
    """A measured value of a target's indicator: entered, imported, later fed by monitoring."""

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="values"
    )
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)
    source = models.CharField(_("source"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("measured value")
        verbose_name_plural = _("measured values")
        ordering = ["target", "date"]
        constraints = [
            models.UniqueConstraint(fields=["target", "date"], name="targetvalue_unique_date")
        ]

    def __str__(self):
        value = plain(self.value, self.target.places)
        return f"{formula_text(self.target.indicator)} {self.date}: {value}"


class TaskReport(models.Model):
    """A unit's progress report on a task for one month of the monthly dispatch (月调度)."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="task_reports"
    )
    period = models.DateField(_("month"), help_text=_("the first day of the month reported on"))
    text = models.TextField(_("progress"))
    percent = models.DecimalField(
        _("percent complete"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    milestone = models.CharField(_("milestone reached"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["task", "period", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "unit", "period"], name="taskreport_unique_month"
            ),
            models.CheckConstraint(
                condition=models.Q(percent__isnull=True)
                | models.Q(percent__gte=0, percent__lte=100),
                name="taskreport_percent_range",
            ),
        ]

    def __str__(self):
        return f"{self.task.number} {self.period:%Y-%m} {self.unit}"


class Dispatch(models.Model):
    """One month of the monthly dispatch (月调度) of a plan: reports on that month are due
    on ``due_on``, a working day of the following month."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="dispatches"
    )
    period = models.DateField(_("month"))
    opened_on = models.DateField(_("opened on"))
    due_on = models.DateField(_("reports due on"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly dispatch")
        verbose_name_plural = _("monthly dispatches")
        ordering = ["plan", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="dispatch_unique_month")
        ]

    def __str__(self):
        return f"{self.plan} {self.period:%Y-%m}"


class Reminder(models.Model):
    """A reminder to a unit whose reports of a dispatch are missing; sent once per kind."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("report due soon")
        OVERDUE = "overdue", _("report overdue")

    dispatch = models.ForeignKey(
        Dispatch,
        verbose_name=_("monthly dispatch"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    tasks = models.ManyToManyField(Task, verbose_name=_("tasks"), related_name="reminders")
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_on", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispatch", "unit", "kind"], name="reminder_once_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.dispatch} {self.unit} {self.get_kind_display()}"


class ImplementationPlan(models.Model):
    """What a lead unit owes once a plan is issued: its own implementation plan (实施方案)
    within three months (seed 004 §四.(二)). The obligation is an item of the supervision
    ledger; the document, once uploaded, is that item's evidence."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="implementations"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.OneToOneField(
        "supervision.Item", verbose_name=_("supervised item"), on_delete=models.PROTECT,
        related_name="implementation_plan",
    )  # fmt: skip
    # The uploaded document is the evidence of the item's closing event.
    document = models.ForeignKey(
        "supervision.Evidence", verbose_name=_("document"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("uploaded at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    late = models.BooleanField(_("uploaded late"), default=False)
    tasks_imported = models.PositiveIntegerField(_("tasks imported"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")
        ordering = ["plan", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit"], name="implementation_once_per_unit")
        ]

    def __str__(self):
        return f"{self.plan} · {self.unit}"

    def get_absolute_url(self):
        return reverse("plan_detail", args=[self.plan_id]) + "#implementation"
