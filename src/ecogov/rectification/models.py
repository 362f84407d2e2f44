"""Rectification ledgers (整改台账, seed 004 tasks 17–19, seed 003 §(五).3): the problems
that central and provincial inspections, the Yellow River warning films, the
natural-resources inspection and screening campaigns find, each rectified by its units
through measures and milestones, accepted on site by another unit, signed off by the
district, publicised, closed out (销号) and later looked back on (回头看).

A problem's deadline, colour, escalation, progress reports with evidence and history
live on its ``supervision.Item`` (kind "rectification"), once, as for every supervised
kind; the records here say where it comes from, what must be done by whom, and how far
acceptance and close-out have come.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.labels import ChoiceLabels
from ecogov.uploads import StoredName


class Origin(models.TextChoices):
    """Who found the problems of a batch."""

    CENTRAL = "central", _("central eco-environmental inspection")  # 中央生态环境保护督察
    WARNING_FILM = "warning_film", _("Yellow River warning film")  # 黄河流域生态环境警示片
    PROVINCIAL = "provincial", _("provincial routine inspection")  # 省级生态环境保护例行督察
    PROVINCIAL_SPECIAL = "provincial_special", _("provincial special inspection")  # 专项督察
    NATURAL_RESOURCES = "natural_resources", _("natural-resources inspection")  # 自然资源督察
    SCREENING = "screening", _("screening campaign")  # 大排查大整治
    OTHER = "other", _("other")


class Batch(models.Model):
    """One list of problems as it arrived (第二轮中央生态环境保护督察反馈问题)."""

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    origin = models.CharField(_("found by"), max_length=20, choices=Origin.choices)
    title = models.CharField(_("title"), max_length=200)
    team = models.CharField(_("inspection team"), max_length=100, blank=True)  # 督察组
    received_on = models.DateField(_("received on"))
    # Publicity before close-out (公示), in calendar days.
    publicity_days = models.PositiveSmallIntegerField(_("publicity period (days)"), default=7)
    # The look-back (回头看): this share of closed-out problems is drawn at random and
    # re-checked this many days after its close-out.
    lookback_percent = models.PositiveSmallIntegerField(_("look-back share (%)"), default=20)
    lookback_days = models.PositiveSmallIntegerField(_("look-back after (days)"), default=180)
    public = models.BooleanField(_("published on the portal"), default=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("problem batch")
        verbose_name_plural = _("problem batches")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "title"], name="batch_title_unique")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("rectification_batch", args=[self.pk])


class Problem(ChoiceLabels, models.Model):
    class Stage(models.TextChoices):
        AT_ONCE = "at_once", _("rectify at once")  # 立行立改
        BY_DATE = "by_date", _("rectify by a date")  # 限期整改
        LONG_TERM = "long_term", _("persist over the long term")  # 长期坚持

    class State(models.TextChoices):
        RECTIFYING = "rectifying", _("being rectified")  # 整改中
        APPLIED = "applied", _("acceptance applied for")  # 申请验收
        ACCEPTED = "accepted", _("accepted, awaiting sign-off")  # 已验收待审核
        PUBLICITY = "publicity", _("in publicity")  # 公示中
        CLOSED = "closed", _("closed out")  # 已销号

    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="problems"
    )
    item = models.OneToOneField(
        "supervision.Item", verbose_name=_("supervised item"), on_delete=models.PROTECT,
        related_name="problem",
    )  # fmt: skip
    seq = models.PositiveIntegerField(_("no."))  # 序号 in the batch
    text = models.TextField(_("problem"))
    target = models.TextField(_("rectification target"), blank=True)  # 整改目标
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    leader = models.CharField(_("responsible leader"), max_length=100, blank=True)  # 责任领导
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.RECTIFYING
    )
    # The unit that checks on site and accepts (验收单位); never a rectifying unit.
    acceptance_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("acceptance unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    publicity_start = models.DateField(_("publicity from"), null=True, blank=True)
    publicity_end = models.DateField(_("publicity until"), null=True, blank=True)
    closed_on = models.DateField(_("closed out on"), null=True, blank=True)
    closeout_file = models.FileField(
        _("close-out document"), upload_to=StoredName("rectification/%Y/%m/", "closeout_file"),
        blank=True,
    )  # fmt: skip
    closeout_name = models.CharField(_("document name"), max_length=200, blank=True)
    relapses = models.PositiveSmallIntegerField(_("relapses"), default=0)
    # Where a problem raised inside the district comes from.
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("raised from case"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    finding = models.ForeignKey(
        "patrols.Finding", verbose_name=_("raised from patrol finding"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("raised from campaign"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    # What the public page says of it (the problem's own text may name people or places
    # that the bureau publishes only in its own words); empty: the problem's text.
    public_text = models.TextField(_("text for publication"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rectification problem")
        verbose_name_plural = _("rectification problems")
        ordering = ["batch", "seq"]
        constraints = [models.UniqueConstraint(fields=["batch", "seq"], name="problem_seq_unique")]

    def __str__(self):
        return f"{self.batch.title} 第{self.seq}项"

    def get_absolute_url(self):
        return reverse("rectification_problem", args=[self.pk])

    @property
    def published_text(self) -> str:
        """What the portal shows: the text written for publication, else the problem's
        own — except for a problem raised from a citizen's report or a patrol finding,
        whose words may name people: nothing until the bureau writes its text."""
        if self.public_text:
            return self.public_text
        return "" if self.case_id or self.finding_id else self.text


class Measure(models.Model):
    """One rectification measure (整改措施), with its responsible unit and deadline."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="measures")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("measure"))
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["problem", "order", "pk"]

    def __str__(self):
        return self.text[:60]


class Milestone(models.Model):
    """A milestone of a long-term problem (长期坚持): what is reached by when."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="milestones")
    due = models.DateField(_("due"))
    text = models.CharField(_("milestone"), max_length=300)
    reached_on = models.DateField(_("reached on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["problem", "due", "pk"]

    def __str__(self):
        return self.text


class MeasureReport(models.Model):
    """Which measure a progress report (an ``ItemEvent`` with its evidence) is about."""

    event = models.OneToOneField(
        "supervision.ItemEvent", on_delete=models.CASCADE, related_name="measure_report"
    )
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="reports")

    class Meta:
        verbose_name = _("measure report")
        verbose_name_plural = _("measure reports")

    def __str__(self):
        return f"{self.measure} ← {self.event}"


class Objection(models.Model):
    """An objection raised during the publicity (公示期间的异议), and what became of it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("to be decided")
        UPHELD = "upheld", _("upheld: rectified again")
        DISMISSED = "dismissed", _("dismissed")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField(_("received on"))
    text = models.TextField(_("objection"))
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    note = models.TextField(_("reason of the decision"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["problem", "received_on", "pk"]

    def __str__(self):
        return self.text[:60]


class LookBack(models.Model):
    """A re-check of a closed-out problem (回头看): drawn at random or picked by the
    bureau, due some time after the close-out; a relapse reopens the problem and is
    recorded here against the unit that had rectified it."""

    class Result(models.TextChoices):
        PENDING = "pending", _("to be checked")
        HOLDS = "holds", _("rectification holds")
        RELAPSED = "relapsed", _("relapsed")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="lookbacks")
    picked = models.BooleanField(_("picked by the bureau"), default=False)
    due = models.DateField(_("due"))
    result = models.CharField(
        _("result"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    # The unit that had rectified the problem: a relapse counts against it.
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("rectifying unit"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("findings"), blank=True)
    file = models.FileField(
        _("check record"), upload_to=StoredName("rectification/%Y/%m/", "file"), blank=True
    )
    file_name = models.CharField(_("document name"), max_length=200, blank=True)
    # The colour and escalation of its clock (close-out to due), as the one scan last
    # computed them: the bureau is reminded before the day and chased after it.
    colour = models.CharField(max_length=8, blank=True)
    stage = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("look-back")
        verbose_name_plural = _("look-backs")
        ordering = ["due", "pk"]

    def __str__(self):
        return f"{self.problem} {self.get_result_display()}"


class TransferredCase(models.Model):
    """A complaint the inspection team transferred (督察交办信访件): handled as a case in
    the case workflow, due by the team's own deadline, its result published in the
    batch's public list (边督边改)."""

    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="transfers"
    )
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="transfer"
    )
    reference = models.CharField(_("transfer number"), max_length=50)  # 交办编号
    received_on = models.DateField(_("received on"))
    due = models.DateField(_("result due"))
    # What is published of the result (查处情况); empty until the bureau writes it.
    result = models.TextField(_("published result"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transferred complaint")
        verbose_name_plural = _("transferred complaints")
        ordering = ["batch", "reference", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "reference"], name="transfer_ref_unique")
        ]

    def __str__(self):
        return self.reference
