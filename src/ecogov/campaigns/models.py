"""Joint enforcement campaigns (联合执法专项行动, seed 002 §四.3): organised by the level-1
grid (the district; the ecology bureau's dispatchers run them), with an action plan,
participating units, a period and what they target (pollution-source types, grids). The
inspections done during a campaign are patrols (``patrols.Patrol``) recorded by the
participating units; a finding becomes a case as a patrol's does; the closing summary
keeps the figures computed from that record.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.uploads import StoredName


class Campaign(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("under way")
        CLOSED = "closed", _("closed with its summary")

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    action_plan = models.TextField(_("action plan"))
    plan_file = models.FileField(
        _("action plan document"), upload_to=StoredName("campaigns/%Y/%m/", "plan_file"),
        blank=True,
    )  # fmt: skip
    plan_file_name = models.CharField(_("document name"), max_length=200, blank=True)
    units = models.ManyToManyField(
        "org.Unit", verbose_name=_("participating units"), related_name="campaigns"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    source_types = models.ManyToManyField(
        "sources.SourceType", verbose_name=_("targeted source types"), blank=True,
        related_name="+",
    )  # fmt: skip
    grids = models.ManyToManyField(
        "grid.Grid", verbose_name=_("targeted grids"), blank=True, related_name="+"
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    summary = models.TextField(_("closing summary"), blank=True)
    # The figures as computed from the record when the campaign closed.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("joint enforcement campaign")
        verbose_name_plural = _("joint enforcement campaigns")
        ordering = ["-start", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaign_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class Inspection(models.Model):
    """An inspection done during a campaign: a patrol of a source, by participating units."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="inspections"
    )
    patrol = models.OneToOneField(
        "patrols.Patrol", verbose_name=_("patrol"), on_delete=models.PROTECT,
        related_name="campaign_inspection",
    )  # fmt: skip
    units = models.ManyToManyField(
        "org.Unit", verbose_name=_("participating units"), related_name="+"
    )
    inspectors = models.CharField(_("inspectors"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign inspection")
        verbose_name_plural = _("campaign inspections")
        ordering = ["campaign", "-patrol__patrolled_at"]

    def __str__(self):
        return f"{self.campaign} · {self.patrol}"
