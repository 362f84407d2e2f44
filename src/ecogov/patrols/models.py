"""Patrols of pollution sources by grid workers (seed 002 §三.(四) 巡查 → 上报), and the
findings they report to the upper grid."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.uploads import StoredName


class Patrol(models.Model):
    # Generated on the phone: a submission retried after a lost answer is stored once.
    client_id = models.UUIDField(_("submission id"), unique=True, default=uuid.uuid4)
    source = models.ForeignKey(
        "sources.Source", verbose_name=_("source"), on_delete=models.PROTECT, related_name="patrols"
    )
    grid = models.ForeignKey(
        "grid.Grid", verbose_name=_("grid"), on_delete=models.PROTECT, related_name="patrols"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("patrolled by"),
        on_delete=models.PROTECT,
        related_name="patrols",
    )
    patrolled_at = models.DateTimeField(_("patrolled at"))
    lon = models.DecimalField(
        _("longitude"), max_digits=10, decimal_places=6, null=True, blank=True
    )
    lat = models.DecimalField(_("latitude"), max_digits=10, decimal_places=6, null=True, blank=True)
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)  # {"item": true/false}
    finding = models.BooleanField(_("problem found"), default=False)
    note = models.TextField(_("what was seen"), blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-patrolled_at"]

    def __str__(self):
        return f"{self.source} {self.patrolled_at:%Y-%m-%d %H:%M}"


class PatrolPhoto(models.Model):
    patrol = models.ForeignKey(
        Patrol, verbose_name=_("patrol"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to=StoredName("patrols/%Y/%m/", "image"))

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.image.name


class Finding(models.Model):
    """A problem found on patrol, reported to the upper grid; the case workflow takes it
    over when it arrives (issue 6)."""

    class Status(models.TextChoices):
        REPORTED = "reported", _("reported to the upper grid")
        TAKEN_OVER = "taken_over", _("taken over as a case")

    patrol = models.OneToOneField(
        Patrol, verbose_name=_("patrol"), on_delete=models.CASCADE, related_name="report"
    )
    to_grid = models.ForeignKey(
        "grid.Grid",
        verbose_name=_("reported to"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REPORTED
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self):
        return f"{self.patrol} → {self.to_grid}"


class GridEvaluation(models.Model):
    """A quarterly evaluation of a grid's operation (seed 002 §三.(五).5 评价): the grid
    evaluates itself, and the grid above evaluates it; results are reported level by level.

    ``figures`` keeps the quarter's figures as the evaluator saw them, so a late patrol
    does not change what was scored.
    """

    class Kind(models.TextChoices):
        SELF = "self", _("self-evaluation")
        UPPER = "upper", _("evaluation by the upper grid")

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("excellent")
        GOOD = "good", _("good")
        PASS = "pass", _("pass")
        FAIL = "fail", _("fail")

    grid = models.ForeignKey(
        "grid.Grid", verbose_name=_("grid"), on_delete=models.PROTECT, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=[(q, str(q)) for q in (1, 2, 3, 4)]
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    remarks = models.TextField(_("remarks"), blank=True)
    improvements = models.TextField(_("improvement measures"), blank=True)
    figures = models.JSONField(_("figures of the quarter"), default=dict)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("evaluated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grid evaluation")
        verbose_name_plural = _("grid evaluations")
        ordering = ["-year", "-quarter", "grid"]
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "year", "quarter", "kind"], name="gridevaluation_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(score__lte=100), name="gridevaluation_score_max"
            ),
        ]

    def __str__(self):
        return f"{self.grid} {self.year}Q{self.quarter} {self.get_kind_display()}"
