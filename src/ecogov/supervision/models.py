"""The supervision ledger (督办台账): everything a unit must finish by a date under
supervision that is not a case or a plan task — meeting resolutions (议定事项), leaders'
instructions (领导批示), special supervision items (专项督办), representatives'
suggestions and proposals (建议提案), the implementation plans units owe (实施方案), and
the problems that inspections found (整改问题). Each kind's own record (a resolution, a suggestion)
lives in its app and points to its ``Item`` here; the deadline, colour, escalation,
progress reports, completion and verification live here, once, for every kind.

Cases and plan tasks keep their own records and stored deadlines but are timed by the
same rules (``domain.supervision``) and listed in the same ledger (``ledger.py``).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.domain.supervision import Colour, Level, Stage
from ecogov.labels import ChoiceLabels
from ecogov.uploads import StoredName


class Kind(models.TextChoices):
    """Every kind of supervised item, those with their own records included."""

    TASK = "task", _("plan task")
    CASE = "case", _("case")
    RESOLUTION = "resolution", _("meeting resolution")
    INSTRUCTION = "instruction", _("leader's instruction")
    SPECIAL = "special", _("special supervision item")
    SUGGESTION = "suggestion", _("suggestion or proposal")
    IMPLEMENTATION = "implementation", _("implementation plan")
    RECTIFICATION = "rectification", _("rectification problem")
    COMMITMENT = "commitment", _("admonition commitment")


class LevelChoice(models.TextChoices):
    IMPORTANT = Level.IMPORTANT, _("important: supervised throughout")
    URGENT = Level.URGENT, _("urgent: supervised at once")
    GENERAL = Level.GENERAL, _("general: supervised periodically")


class Item(ChoiceLabels, models.Model):
    """A supervised item (督办事项) of the ledger's own kinds."""

    class State(models.TextChoices):
        OPEN = "open", _("being handled")
        COMPLETION_ASKED = "completion_asked", _("completion requested")
        CLOSED = "closed", _("closed (verified)")
        CANCELLED = "cancelled", _("cancelled")

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("content"), blank=True)
    # Where it comes from, as people cite it: 城环委纪〔2026〕3号, 区长批示件 …
    source = models.CharField(_("source document"), max_length=300, blank=True)
    lead = models.ForeignKey(
        "org.Unit", verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="+"
    )
    support = models.ManyToManyField(
        "org.Unit", verbose_name=_("supporting units"), blank=True, related_name="+"
    )
    # Who verifies completion and closes the item: the convener, the bureau, the office.
    supervisor = models.ForeignKey(
        "org.Unit", verbose_name=_("supervising unit"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    level = models.CharField(
        _("supervision level"), max_length=10, choices=LevelChoice.choices,
        default=LevelChoice.GENERAL,
    )  # fmt: skip
    # The deadline, or ongoing (持续推进) with a report every ``report_every`` months.
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    ongoing = models.BooleanField(_("ongoing"), default=False)
    report_every = models.PositiveSmallIntegerField(
        _("reports every (months)"),
        default=1,
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    # The clock that runs now (completion, the next report of an ongoing item, or the
    # supervisor's verification); colour and escalation as last computed.
    clock_start = models.DateField(_("clock started"), null=True, blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    clock_workdays = models.BooleanField(default=False)
    colour = models.CharField(
        _("colour"), max_length=8, blank=True, choices=[(c.value, c.name.lower()) for c in Colour]
    )
    stage = models.PositiveSmallIntegerField(
        _("escalation"), default=Stage.NONE, choices=[(s.value, s.name.lower()) for s in Stage]
    )
    # Raised by a decision, not by the clock (a rectified problem that relapsed goes to
    # the discipline commission): while the item is open it is red and escalated at least
    # this far, whatever its clock says.
    raised = models.PositiveSmallIntegerField(
        _("raised to"), default=Stage.NONE, choices=[(s.value, s.name.lower()) for s in Stage]
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervised item")
        verbose_name_plural = _("supervised items")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "colour"]), models.Index(fields=["kind", "state"])]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("item_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.OPEN, self.State.COMPLETION_ASKED)


class Step(models.Model):
    """What every supervised record's history says of a step: when, who, for which unit,
    the note, and the colour a supervision notice had. Cases' and items' events are
    steps; each kind adds its own ``kind`` choices."""

    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    note = models.TextField(_("note"), blank=True)
    colour = models.CharField(max_length=8, blank=True)

    class Meta:
        abstract = True


class ItemEvent(Step):
    """One step in an item's history: created, reported, asked to close, verified, sent
    back, extended, reassigned, noticed, escalated. Never edited, never deleted."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        REPORTED = "reported", _("progress reported")
        COMPLETION_ASKED = "completion_asked", _("completion requested")
        CLOSED = "closed", _("verified and closed")
        SENT_BACK = "sent_back", _("sent back")
        EXTENDED = "extended", _("deadline extended")
        REASSIGNED = "reassigned", _("reassigned")
        CANCELLED = "cancelled", _("cancelled")
        NOTICE = "notice", _("supervision notice")
        ESCALATED = "escalated", _("escalated")
        NOTE = "note", _("note")
        REOPENED = "reopened", _("reopened")
        ACCEPTED = "accepted", _("accepted on site")
        SIGNED_OFF = "signed_off", _("signed off")
        OBJECTION = "objection", _("objection")
        LOOKED_BACK = "looked_back", _("looked back on")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    percent = models.PositiveSmallIntegerField(_("percent complete"), null=True, blank=True)

    class Meta:
        verbose_name = _("item event")
        verbose_name_plural = _("item events")
        ordering = ["item", "at", "pk"]

    def __str__(self):
        return f"{self.item} {self.get_kind_display()}"

    @property
    def label(self) -> str:
        """What the step is called for its item's kind (a rectification problem's
        completion request is its application for acceptance)."""
        named = EVENT_LABELS.get(self.item.kind, {}).get(self.kind)
        return str(named) if named else self.get_kind_display()


# Kinds that call some steps by their own names register them here: {item kind: {event
# kind: label}}.
EVENT_LABELS: dict[str, dict[str, str]] = {}


class Evidence(models.Model):
    """A file that supports a progress report or a request for completion."""

    event = models.ForeignKey(ItemEvent, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=StoredName("supervision/%Y/%m/", "file"))
    kind = models.CharField(_("kind"), max_length=8)
    name = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.name or self.file.name


class Notice(models.Model):
    """An in-app notice (站内通知) to one person: a reminder, an escalation, a new item."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
        related_name="notices",
    )  # fmt: skip
    at = models.DateTimeField(_("at"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=200, blank=True)
    colour = models.CharField(max_length=8, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.subject
