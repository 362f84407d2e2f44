"""Assessment (考核): schemes kept as data, results computed from the record with every
point traced to the records that produced it, objections, publication and ranking.

Seed 001: tasks enter the annual performance assessment of every unit, "dispatched
monthly, assessed quarterly", the ranking published; seed 004 §四.(三): monthly dispatch,
quarterly supervision, annual notice; seed 002 §五 and seed 003 §(四): the one-vote veto
(一票否决) and a target-responsibility assessment that weighs in promotion.

A ``Scheme`` (考核方案) is versioned: once a result was computed with a version, that
version is frozen and a change makes the next version; an ``Assessment`` (one period's
result) keeps the version it was computed with.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ecogov.uploads import StoredName


class Bodies(models.TextChoices):
    UNITS = "units", _("member units")
    TOWNSHIPS = "townships", _("townships and streets")
    # The environmental credit rating (企业环境信用评价, 环发〔2013〕150号) is a scheme
    # like the others: indicators computed from the record, manual items with evidence,
    # a publicity period with objections, publication; its grades are the four colours.
    ENTERPRISES = "companies", _("enterprises (environmental credit)")


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


class Scheme(models.Model):
    """考核方案: who is assessed on what, for a quarter or a year."""

    class State(models.TextChoices):
        DRAFT = "draft", _("being drawn up")
        ACTIVE = "active", _("in force")
        RETIRED = "retired", _("superseded")

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # Versions of one scheme share their code: 城中区成员单位年度考核 v1, v2 …
    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source document"), max_length=300, blank=True)
    period = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    bodies = models.CharField(_("assessed bodies"), max_length=10, choices=Bodies.choices)
    units = models.ManyToManyField(
        "org.Unit", verbose_name=_("assessed units"), blank=True, related_name="+"
    )
    sources = models.ManyToManyField(
        "sources.Source", verbose_name=_("rated enterprises"), blank=True, related_name="+"
    )
    total = models.DecimalField(_("full marks"), max_digits=6, decimal_places=2, default=100)
    bonus_cap = models.DecimalField(_("bonus points at most"), max_digits=5, decimal_places=2,
                                    default=5)  # fmt: skip
    excellent = models.DecimalField(_("excellent from"), max_digits=6, decimal_places=2, default=90)
    good = models.DecimalField(_("good from"), max_digits=6, decimal_places=2, default=80)
    pass_mark = models.DecimalField(_("passed from"), max_digits=6, decimal_places=2, default=60)
    objection_workdays = models.PositiveSmallIntegerField(
        _("objections within (working days)"), default=5
    )
    public = models.BooleanField(_("ranking published on the portal"), default=False)
    auto_run = models.BooleanField(_("computed when a period ends"), default=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["jurisdiction", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "code", "version"], name="scheme_unique_version"
            ),
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"

    def get_absolute_url(self):
        return reverse("assess:scheme", args=[self.pk])

    @property
    def weights(self) -> Decimal:
        return sum((i.weight for i in self.indicators.all()), Decimal(0))


class Method(models.TextChoices):
    # points = weight × the share of the records that were right (each wrong one costs
    # its part of the weight)
    RATE = "rate", _("share of the weight")
    # points = weight − deduction × each event, the deductions capped
    DEDUCT = "deduct", _("deduction per event")


class Indicator(models.Model):
    """One line of a scheme: what is counted (a rule computed from the record), its weight
    and how the records turn into points."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("indicator"), max_length=100)
    rule = models.CharField(_("computed from"), max_length=40)
    method = models.CharField(_("scoring"), max_length=8, choices=Method.choices)
    weight = models.DecimalField(_("weight (points)"), max_digits=6, decimal_places=2)
    per_event = models.DecimalField(_("deduction per event"), max_digits=5, decimal_places=2,
                                    default=Decimal(1))  # fmt: skip
    cap = models.DecimalField(_("deductions at most"), max_digits=6, decimal_places=2, null=True,
                              blank=True)  # fmt: skip
    # The rule's own settings: {"kinds": ["resolution"]} …
    params = models.JSONField(_("settings"), default=dict, blank=True)
    description = models.TextField(_("how it is scored"), blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["scheme", "order", "pk"]

    def __str__(self):
        return self.name


class Veto(models.Model):
    """一票否决: a condition that makes the result "not passed" whatever the score."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="vetoes")
    name = models.CharField(_("condition"), max_length=100)
    # A rule computed from the record, or "incident": recorded by the bureau with evidence.
    rule = models.CharField(_("computed from"), max_length=40)

    class Meta:
        verbose_name = _("veto condition")
        verbose_name_plural = _("veto conditions")
        ordering = ["scheme", "pk"]

    def __str__(self):
        return self.name


class Assessment(models.Model):
    """One period's result of a scheme version: computed (draft), released to the
    assessed bodies for objections, then published."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        RELEASED = "released", _("open for objections")
        PUBLISHED = "published", pgettext_lazy("assessment", "published")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="assessments")
    period = models.CharField(_("period"), max_length=8)  # 2026Q4, 2026
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    computed_at = models.DateTimeField(_("computed at"))
    # What the computation saw, for "the same result twice": a digest of every line.
    digest = models.CharField(max_length=64, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    objections_until = models.DateField(_("objections until"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    notice_number = models.CharField(_("notice number"), max_length=60, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-end", "scheme"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "period"], name="assessment_unique_period"),
        ]

    def __str__(self):
        return f"{self.scheme.name} {self.period}"

    def get_absolute_url(self):
        return reverse("assess:assessment", args=[self.pk])


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("excellent")
    GOOD = "good", _("good")
    PASSED = "passed", _("passed")
    FAILED = "failed", _("not passed")
    # The credit grades, best first (the scheme's three lines split them as they split
    # the assessment's; a veto gives red whatever the score).
    GREEN = "green", _("environmentally trustworthy (green)")
    BLUE = "blue", _("environmentally good (blue)")
    YELLOW = "yellow", _("environmental warning (yellow)")
    RED = "red", _("environmentally untrustworthy (red)")


CREDIT_GRADES = (Grade.GREEN, Grade.BLUE, Grade.YELLOW, Grade.RED)


class Score(models.Model):
    """One assessed body's result in a period."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    # The assessed body: a unit, or for a credit rating an enterprise (pollution source).
    unit = models.ForeignKey("org.Unit", verbose_name=_("assessed unit"), on_delete=models.PROTECT,
                             null=True, blank=True, related_name="+")  # fmt: skip
    source = models.ForeignKey("sources.Source", verbose_name=_("rated enterprise"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")  # fmt: skip
    total = models.DecimalField(_("score"), max_digits=7, decimal_places=2, default=0)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    vetoed = models.BooleanField(_("vetoed"), default=False)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    # A credit grade raised by an approved credit repair (信用修复); ``Repair`` keeps how.
    repaired_grade = models.CharField(_("grade after credit repair"), max_length=10,
                                      choices=Grade.choices, blank=True)  # fmt: skip

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["assessment", "rank", "unit__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "unit"], name="score_unique_unit"),
            models.UniqueConstraint(fields=["assessment", "source"], name="score_unique_source"),
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False, source__isnull=True)
                | models.Q(unit__isnull=True, source__isnull=False),
                name="score_one_body",
            ),
        ]

    GRADES = Grade.choices  # for templates: the name of a grade held in another field

    def __str__(self):
        return f"{self.body} {self.total}"

    def get_absolute_url(self):
        return reverse("assess:score", args=[self.pk])

    @property
    def body(self):
        """The assessed unit or the rated enterprise."""
        return self.unit if self.unit_id else self.source


class Line(models.Model):
    """One line of a score: an indicator's points, a manual bonus or deduction, or a veto."""

    class Kind(models.TextChoices):
        COMPUTED = "computed", _("computed")
        MANUAL = "manual", _("manual")
        VETO = "veto", _("veto")

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    indicator = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")  # fmt: skip
    veto = models.ForeignKey(Veto, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")  # fmt: skip
    name = models.CharField(_("item"), max_length=200)
    # The computed points, and the points that count (an accepted objection changes them).
    computed = models.DecimalField(_("computed points"), max_digits=7, decimal_places=2,
                                   null=True, blank=True)  # fmt: skip
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2, default=0)
    # "12 of 15 on time"
    summary = models.CharField(_("basis"), max_length=300, blank=True)
    # A manual item's or a veto's reason, with its evidence.
    reason = models.TextField(_("reason"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=StoredName("assess/%Y/%m/", "evidence"),
                                blank=True)  # fmt: skip
    evidence_kind = models.CharField(max_length=8, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score line")
        verbose_name_plural = _("score lines")
        ordering = ["score", "kind", "indicator__order", "pk"]

    def __str__(self):
        return f"{self.name} {self.points}"

    @property
    def changed(self) -> bool:
        return self.computed is not None and self.points != self.computed


class Trace(models.Model):
    """A record that moved a line's points: 案件 CZ-2026-0012 finished 6 days late: −1."""

    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="traces")
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    # What the record is and where it is: "case:12", its number and its page.
    ref = models.CharField(max_length=40)
    label = models.CharField(_("record"), max_length=100)
    url = models.CharField(_("link"), max_length=200, blank=True)
    note = models.CharField(_("what"), max_length=300)
    # When it happened, for the order and for the drill-down
    on = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        verbose_name = _("trace")
        verbose_name_plural = _("traces")
        ordering = ["line", "on", "pk"]

    def __str__(self):
        return f"{self.label} {self.note} {self.points}"


class Objection(models.Model):
    """异议: an assessed body disputes a line, with evidence, inside the window."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="objections")
    text = models.TextField(_("objection"))
    points_claimed = models.DecimalField(_("points claimed"), max_digits=7, decimal_places=2,
                                         null=True, blank=True)  # fmt: skip
    evidence = models.FileField(_("evidence"), upload_to=StoredName("assess/%Y/%m/", "evidence"))
    evidence_kind = models.CharField(max_length=8, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"),
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    entered_at = models.DateTimeField(_("entered at"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.PENDING)  # fmt: skip
    decision = models.TextField(_("decision"), blank=True)
    points_before = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    points_after = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["entered_at", "pk"]

    def __str__(self):
        return f"{self.line} {self.get_state_display()}"


class Repair(models.Model):
    """信用修复: an enterprise rated yellow or red that has rectified applies, with
    evidence and after a waiting time, for its grade to be raised; the bureau approves
    (the grade rises one step) or refuses with a reason."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    score = models.ForeignKey(Score, on_delete=models.PROTECT, related_name="repairs")
    text = models.TextField(_("what was rectified"))
    evidence = models.FileField(_("evidence"), upload_to=StoredName("assess/%Y/%m/", "evidence"))
    evidence_kind = models.CharField(max_length=8, blank=True)
    applied_at = models.DateTimeField(_("applied at"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"),
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.PENDING)  # fmt: skip
    grade_before = models.CharField(_("grade before"), max_length=10, choices=Grade.choices)
    grade_after = models.CharField(_("grade after"), max_length=10, choices=Grade.choices,
                                   blank=True)  # fmt: skip
    decision = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("credit repair")
        verbose_name_plural = _("credit repairs")
        ordering = ["-applied_at", "-pk"]

    def __str__(self):
        return f"{self.score.body} {self.get_grade_before_display()}"
