"""Coordination meetings (协调议事) and what they decide.

Seed 000 §四.(一): daily coordination meetings (日常协调议事会议) called by the ecology
bureau when needed, the annual coordination meeting (年度协调议事会议) called by the
government office, key-work meetings (重点工作协调议事会议) called by the unit that asks
for them; §四.(二).1 consultations on key problems (会商) ending in a 会商纪要; seed 002
§四.2 the quarterly joint meeting (联席会议) called by the deputy district head, §四.4 the
joint project review (联审会议).

Units propose topics (议题申报); the convener builds the agenda, invites the units (the
discipline commission always, 000 §四.(二).3), records who came, drafts the minutes
(会议纪要), circulates them for corrections and issues them with a document number. Each
resolution (议定事项) of issued minutes becomes an item of the supervision ledger.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.supervision.models import LevelChoice
from ecogov.uploads import StoredName


class MeetingKind(models.TextChoices):
    DAILY = "daily", _("daily coordination meeting")
    ANNUAL = "annual", _("annual coordination meeting")
    KEY_WORK = "key_work", _("key-work coordination meeting")
    JOINT = "joint", _("joint meeting")
    CONSULTATION = "consultation", _("consultation on key problems")
    REVIEW = "review", _("joint project review")


class Meeting(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        MINUTES_ISSUED = "minutes_issued", _("minutes issued")
        CANCELLED = "cancelled", _("cancelled")

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    convener = models.ForeignKey(
        "org.Unit", verbose_name=_("convening unit"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.CharField(_("chair"), max_length=100, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PLANNED
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meeting_detail", args=[self.pk])

    @property
    def minutes_name(self) -> str:
        """A consultation ends in a 会商纪要, every other meeting in a 会议纪要."""
        return "会商纪要" if self.kind == MeetingKind.CONSULTATION else "会议纪要"


class Topic(models.Model):
    """A topic a unit proposes for a meeting, or for the next one (议题申报)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="topics",
    )  # fmt: skip
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("proposing unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("content"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    proposed_at = models.DateTimeField(_("proposed at"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-proposed_at", "-pk"]

    def __str__(self):
        return self.title


class TopicFile(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=StoredName("meetings/%Y/%m/", "file"))
    kind = models.CharField(_("kind"), max_length=8)
    name = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("topic material")
        verbose_name_plural = _("topic materials")

    def __str__(self):
        return self.name or self.file.name


class AgendaEntry(models.Model):
    """One entry of a meeting's agenda, in order: a topic, a case for the coordination
    meeting or of the disputed-responsibility queue, a red supervised item, an earlier
    resolution to review, or free text."""

    class Kind(models.TextChoices):
        TOPIC = "topic", _("proposed topic")
        CASE = "case", _("case")
        ITEM = "item", _("supervised item in red")
        REVIEW = "review", _("earlier resolution to review")
        TEXT = "text", _("other business")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "supervision.Item", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("agenda entry")
        verbose_name_plural = _("agenda entries")
        ordering = ["meeting", "order", "pk"]

    def __str__(self):
        return f"{self.order}. {self.title}"


class Invitation(models.Model):
    """A unit invited to a meeting, and who came for it."""

    class Attendance(models.TextChoices):
        INVITED = "invited", _("invited")
        PRESENT = "present", _("present")
        SUBSTITUTE = "substitute", _("sent a substitute")
        ABSENT = "absent", _("absent")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.INVITED
    )
    person = models.CharField(_("name"), max_length=60, blank=True)
    position = models.CharField(_("position"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "unit"], name="invitation_unique")
        ]

    def __str__(self):
        return f"{self.meeting}: {self.unit}"

    @property
    def came(self) -> bool:
        return self.attendance in (self.Attendance.PRESENT, self.Attendance.SUBSTITUTE)


class Minutes(models.Model):
    """会议纪要 (会商纪要 for a consultation): drafted, circulated, issued with a number;
    issued minutes never change, a correction is new minutes that ``corrects`` them."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        CIRCULATING = "circulating", _("circulating for corrections")
        ISSUED = "issued", _("issued")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes")
    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    text = models.TextField(_("text"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    corrects = models.ForeignKey(
        "self", verbose_name=_("corrects"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="corrections",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self):
        return f"{self.title} {self.number}".strip()

    def get_absolute_url(self):
        return reverse("minutes_detail", args=[self.pk])

    @property
    def issued(self) -> bool:
        return self.state == self.State.ISSUED


class Resolution(models.Model):
    """A resolution (议定事项) of minutes; on issue it becomes a supervised item. A
    correction's resolution that repeats one unchanged keeps its item."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="resolutions")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text"))
    lead = models.ForeignKey(
        "org.Unit", verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="+"
    )
    support = models.ManyToManyField(
        "org.Unit", verbose_name=_("supporting units"), blank=True, related_name="+"
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    ongoing = models.BooleanField(_("ongoing"), default=False)
    report_every = models.PositiveSmallIntegerField(_("reports every (months)"), default=1)
    level = models.CharField(
        _("supervision level"), max_length=10, choices=LevelChoice.choices,
        default=LevelChoice.GENERAL,
    )  # fmt: skip
    replaces = models.ForeignKey(
        "self", verbose_name=_("replaces"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    item = models.ForeignKey(
        "supervision.Item", verbose_name=_("supervised item"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="resolutions",
    )  # fmt: skip

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["minutes", "order", "pk"]

    def __str__(self):
        return f"{self.order}. {self.text[:40]}"


class Correction(models.Model):
    """A unit's correction to circulating minutes (会签意见)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("correction"))
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["minutes", "at", "pk"]

    def __str__(self):
        return f"{self.unit}: {self.text[:40]}"
