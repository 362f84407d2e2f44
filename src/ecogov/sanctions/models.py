"""Sanctions (seed 002 §五, seed 004 §四.(三)): criticism notices (通报批评), admonition
talks (约谈) and the commitments made in them, regional approval restrictions (区域限批)
and referrals to the discipline commission (移交纪委监委) or to judicial organs
(移交司法机关). Each is a record with its own life and history.

A commitment made in an admonition talk is a ``supervision.Item`` of kind "commitment":
its deadline, colour and escalation live there, once, as for every supervised kind.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PublicNotices(models.Manager):
    """What the public may read: issued notices marked for publication."""

    def get_queryset(self):
        return super().get_queryset().filter(state=CriticismNotice.State.ISSUED, published=True)


class CriticismNotice(models.Model):
    """A criticism notice (通报批评), e.g. 城环委通〔2026〕3号."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        ISSUED = "issued", _("issued")

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    number = models.CharField(_("number"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    units = models.ManyToManyField("org.Unit", verbose_name=_("units concerned"), related_name="+")
    facts = models.TextField(_("facts"))
    items = models.ManyToManyField(
        "supervision.Item", verbose_name=_("supervised items"), blank=True, related_name="+"
    )
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("cases"), blank=True, related_name="+"
    )
    issuer = models.ForeignKey(
        "org.Unit", verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    published = models.BooleanField(_("published on the portal"), default=False)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    private_objects = models.Manager()
    public_objects = PublicNotices()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criticism notice")
        verbose_name_plural = _("criticism notices")
        ordering = ["-created_at", "-pk"]
        base_manager_name = "private_objects"
        default_manager_name = "private_objects"

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("sanctions_notice", args=[self.pk])


class Admonition(models.Model):
    """An admonition talk (约谈): who summoned whom, when, where, the problems raised."""

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    number = models.CharField(_("number"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    convener = models.ForeignKey(
        "org.Unit", verbose_name=_("convening unit"), on_delete=models.PROTECT, related_name="+"
    )
    # 区政府分管副区长: the position of the person who holds the talk.
    convener_position = models.CharField(_("held by (position)"), max_length=100)
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=200)
    problems = models.TextField(_("problems raised"))
    items = models.ManyToManyField(
        "supervision.Item", verbose_name=_("supervised items"), blank=True, related_name="+"
    )
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("cases"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("admonition talk")
        verbose_name_plural = _("admonition talks")
        ordering = ["-held_at", "-pk"]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("sanctions_admonition", args=[self.pk])


class Summons(models.Model):
    """A unit summoned to an admonition talk and the person who attended for it."""

    admonition = models.ForeignKey(Admonition, on_delete=models.CASCADE, related_name="summoned")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit summoned"), on_delete=models.PROTECT, related_name="+"
    )
    attendee = models.CharField(_("attended by"), max_length=100)

    class Meta:
        verbose_name = _("unit summoned")
        verbose_name_plural = _("units summoned")
        ordering = ["admonition", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["admonition", "unit"], name="summons_unique_unit")
        ]

    def __str__(self):
        return f"{self.unit} ({self.attendee})"


class Commitment(models.Model):
    """A commitment made in the talk: a supervised item of kind "commitment"."""

    admonition = models.ForeignKey(Admonition, on_delete=models.PROTECT, related_name="commitments")
    item = models.OneToOneField(
        "supervision.Item", verbose_name=_("supervised item"), on_delete=models.PROTECT,
        related_name="commitment",
    )  # fmt: skip

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["admonition", "pk"]

    def __str__(self):
        return str(self.item)


class Restriction(models.Model):
    """A regional approval restriction (区域限批) on a township or street: no new
    construction project there is approved from ``starts_on`` to ``ends_on`` unless
    it is lifted earlier by decision."""

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", verbose_name=_("township or street"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    number = models.CharField(_("decision number"), max_length=60, unique=True)
    reason = models.TextField(_("reason"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    decided_by = models.ForeignKey(
        "org.Unit", verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    lift_reason = models.TextField(_("reason for lifting"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regional approval restriction")
        verbose_name_plural = _("regional approval restrictions")
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return f"{self.number} {self.jurisdiction}"

    def get_absolute_url(self):
        return reverse("sanctions_restriction", args=[self.pk])

    def active_on(self, day) -> bool:
        end = (
            min(self.ends_on, self.lifted_on - datetime.timedelta(days=1))
            if self.lifted_on
            else self.ends_on
        )
        return self.starts_on <= day <= end


class Referral(models.Model):
    """A referral (移交) to the discipline commission or to the judicial organs, with
    the records referred; the commission acknowledges it and later records the outcome."""

    class Target(models.TextChoices):
        DISCIPLINE = "discipline", _("discipline inspection and supervision commission")
        JUDICIAL = "judicial", _("judicial organs")

    class State(models.TextChoices):
        REFERRED = "referred", _("referred")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        CONCLUDED = "concluded", _("concluded")

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    number = models.CharField(_("number"), max_length=60, unique=True)
    target = models.CharField(_("referred to"), max_length=12, choices=Target.choices)
    units = models.ManyToManyField("org.Unit", verbose_name=_("units concerned"), related_name="+")
    people = models.TextField(_("people concerned"), blank=True)
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.REFERRED
    )
    referred_on = models.DateField(_("referred on"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("referred by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    acknowledgement = models.TextField(_("acknowledgement note"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-pk"]

    def __str__(self):
        return f"{self.number} {self.get_target_display()}"

    def get_absolute_url(self):
        return reverse("sanctions_referral", args=[self.pk])


class ReferredRecord(models.Model):
    """One record referred: a supervised item or a case."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="records")
    item = models.ForeignKey(
        "supervision.Item", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("referred record")
        verbose_name_plural = _("referred records")
        ordering = ["referral", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(item__isnull=False, case__isnull=True)
                | models.Q(item__isnull=True, case__isnull=False),
                name="referred_record_one_kind",
            )
        ]

    def __str__(self):
        return str(self.item or self.case)
