"""The pollution-source base (污染源基础数据库, seed 000 各镇办 duties; seed 002 §三.(三)):
one file per source, kept up to date by the township that supervises it."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.labels import ChoiceLabels


class SourceType(models.Model):
    """工业企业, 建筑工地, 餐饮单位, …; an administrator adds others."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("source type")
        verbose_name_plural = _("source types")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Source(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("in operation")
        SUSPENDED = "suspended", _("suspended")
        CLOSED = "closed", _("closed")

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="sources",
    )
    type = models.ForeignKey(
        SourceType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="sources"
    )
    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    lon = models.DecimalField(
        _("longitude"), max_digits=10, decimal_places=6, null=True, blank=True
    )
    lat = models.DecimalField(_("latitude"), max_digits=10, decimal_places=6, null=True, blank=True)
    # Derived from the location (the most local grid containing it); kept for queries.
    grid = models.ForeignKey(
        "grid.Grid",
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sources",
    )
    key = models.BooleanField(_("key source (重点)"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    # Type-specific facts: {"permit": "…", "outlets": [{"name": …, "mn": …}], …}
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pollution source")
        verbose_name_plural = _("pollution sources")
        ordering = ["jurisdiction", "type__order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="source_unique_name"),
            models.UniqueConstraint(
                fields=["uscc"], condition=~models.Q(uscc=""), name="source_unique_uscc"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("source_detail", args=[self.pk])
