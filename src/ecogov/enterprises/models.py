"""Enterprises (seed 003 §(五).4, seed 002 §四.4): the environmental blacklist
(环保"黑名单") with its two-year bar, the overrides of that bar, and the register of
construction projects (建设项目) the bar and the regional approval restriction guard.

An enterprise is known by its unified social credit code (统一社会信用代码): a listing
bars the code, whatever the name or the sources it runs under.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.uploads import StoredName

BAR_YEARS = 2  # seed 003: 两年内不得参与…


class Listing(models.Model):
    """One decision to put an enterprise on the blacklist, until it expires or is
    removed by decision; the history of both is kept."""

    class Ground(models.TextChoices):
        REPEATED = "repeated", _("repeated violations")
        DUTIES = "duties", _("failed its environmental duties")
        INCIDENT = "incident", _("caused a major environmental incident")

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    uscc = models.CharField(_("unified social credit code"), max_length=18, db_index=True)
    name = models.CharField(_("enterprise"), max_length=200)
    source = models.ForeignKey(
        "sources.Source", verbose_name=_("pollution source"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="listings",
    )  # fmt: skip
    ground = models.CharField(_("ground"), max_length=10, choices=Ground.choices)
    grounds = models.TextField(_("grounds"))
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("cases"), blank=True, related_name="+"
    )
    decision_number = models.CharField(_("decision number"), max_length=60, unique=True)
    document = models.FileField(
        _("decision document"), upload_to=StoredName("enterprises/%Y/%m/", "document")
    )
    document_kind = models.CharField(max_length=8, blank=True)
    listed_on = models.DateField(_("listed on"))
    bar_until = models.DateField(_("barred until"))  # inclusive: listed_on + 2 years − 1 day
    published = models.BooleanField(_("published on the portal"), default=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removal_reason = models.TextField(_("reason for removal"), blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("removed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("blacklisting")
        verbose_name_plural = _("blacklistings")
        ordering = ["-listed_on", "-pk"]

    def __str__(self):
        return f"{self.decision_number} {self.name}"

    def get_absolute_url(self):
        return reverse("enterprises:listing", args=[self.pk])

    def in_force_on(self, day: datetime.date) -> bool:
        """Barred on ``day``: listed, not yet expired, not removed before or on it."""
        if day < self.listed_on or day > self.bar_until:
            return False
        return self.removed_on is None or day < self.removed_on


class Override(models.Model):
    """A registration let through the bar by an explicit, recorded decision."""

    class Subject(models.TextChoices):
        PROJECT = "project", _("construction project")
        SOURCE = "source", _("pollution source")
        PERMIT = "permit", _("discharge permit")

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="overrides")
    subject = models.CharField(_("registration"), max_length=8, choices=Subject.choices)
    label = models.CharField(_("what was registered"), max_length=200)
    ref = models.CharField(max_length=40, blank=True)  # "project:3", "source:12", "permit:5"
    reason = models.TextField(_("reason for the override"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("override of the blacklist bar")
        verbose_name_plural = _("overrides of the blacklist bar")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.listing.decision_number}: {self.label}"


class Project(models.Model):
    """A construction project (建设项目) in the light register."""

    class Eia(models.TextChoices):
        NOT_REQUIRED = "exempt", _("no EIA required")
        REGISTERED = "registered", _("EIA registration form filed")
        PENDING = "pending", _("EIA under review")
        APPROVED = "approved", _("EIA approved")
        REFUSED = "refused", _("EIA refused")

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", verbose_name=_("township or street"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    name = models.CharField(_("project"), max_length=200)
    builder = models.CharField(_("builder"), max_length=200)
    builder_uscc = models.CharField(_("builder's unified social credit code"), max_length=18,
                                    db_index=True)  # fmt: skip
    address = models.CharField(_("location"), max_length=300, blank=True)
    lon = models.DecimalField(_("longitude"), max_digits=10, decimal_places=6, null=True,
                              blank=True)  # fmt: skip
    lat = models.DecimalField(_("latitude"), max_digits=10, decimal_places=6, null=True,
                              blank=True)  # fmt: skip
    grid = models.ForeignKey(
        "grid.Grid", verbose_name=_("grid"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    eia = models.CharField(_("EIA status"), max_length=10, choices=Eia.choices)
    eia_number = models.CharField(_("EIA approval number"), max_length=60, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name=_("joint review meeting"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    override = models.OneToOneField(
        Override, verbose_name=_("override of the blacklist bar"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="project",
    )  # fmt: skip
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("construction project")
        verbose_name_plural = _("construction projects")
        ordering = ["-registered_on", "-pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enterprises:project", args=[self.pk])


class Permit(models.Model):
    """A discharge permit (排污许可证) of a pollution source, with what it permits."""

    class Class(models.TextChoices):
        KEY = "key", _("key management (重点管理)")
        SIMPLIFIED = "simplified", _("simplified management (简化管理)")
        REGISTRATION = "registration", _("registration (登记管理)")

    source = models.ForeignKey(
        "sources.Source", verbose_name=_("pollution source"), on_delete=models.PROTECT,
        related_name="permits",
    )  # fmt: skip
    number = models.CharField(_("permit number"), max_length=40, unique=True)
    management = models.CharField(_("management class"), max_length=12, choices=Class.choices)
    issuer = models.CharField(_("issued by"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    # [{"factor": "w01018", "name": "化学需氧量", "limit": "100", "unit": "mg/L",
    #   "tonnes": "12.5"}]: the permitted pollutants, their concentration limits and the
    # permitted annual amount where the permit sets one.
    pollutants = models.JSONField(_("permitted pollutants"), default=list, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    override = models.OneToOneField(
        Override, verbose_name=_("override of the blacklist bar"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="permit",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("discharge permit")
        verbose_name_plural = _("discharge permits")
        ordering = ["-valid_until", "-pk"]

    def __str__(self):
        return self.number

    def valid_on(self, day: datetime.date) -> bool:
        if self.revoked_on is not None and day >= self.revoked_on:
            return False
        return self.valid_from <= day <= self.valid_until
