"""Public consultation on major decisions (征求意见; seed 003 §(五).1: 重大决策、发展规划和
开发建设项目 go through 论证会、听证会和社会公示).

A consultation is drafted by its organiser unit, opened for a period (its documents on
the portal, comments from anyone), closed when the period ends, and answered: every
published comment gets an answer (adopted, partly adopted, not adopted with the reason),
alone or with others, and the overall explanation is published. Hearings (听证会) and
expert argument meetings (论证会) are announced on it and their record added.

Who commented is confidential like a case's reporter: the identity lives in its own
table (``Commenter``), with no history copying it, read only through
``consultations.rules.commenter_for``. The public reads consultations through
``Consultation.public_objects`` and published comments only.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ecogov.uploads import StoredName


class Kind(models.TextChoices):
    DECISION = "decision", _("draft decision")
    PLAN = "plan", _("plan")
    PROJECT = "project", _("construction project")
    OTHER = "other", _("other")


class State(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open for comments")
    CLOSED = "closed", _("closed, being answered")
    ANSWERED = "answered", _("answered")


PUBLIC_STATES = (State.OPEN, State.CLOSED, State.ANSWERED)


class PublicManager(models.Manager):
    """What the portal may show: consultations once opened."""

    def get_queryset(self):
        return super().get_queryset().filter(state__in=PUBLIC_STATES)


class Consultation(models.Model):
    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", verbose_name=_("district"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    organiser = models.ForeignKey(
        "org.Unit", verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    body = models.TextField(_("text"), blank=True)
    project = models.ForeignKey(
        "enterprises.Project", verbose_name=_("construction project"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    opens_on = models.DateField(_("open from"), null=True, blank=True)
    closes_on = models.DateField(_("open until"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The response (反馈): the overall explanation, published at the end.
    explanation = models.TextField(_("explanation of the response"), blank=True)
    answered_at = models.DateTimeField(_("response published at"), null=True, blank=True)

    history = HistoricalRecords()
    private_objects = models.Manager()
    public_objects = PublicManager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        default_manager_name = "private_objects"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:detail", args=[self.pk])

    def accepts_comments(self, today) -> bool:
        """Open, and today within its period (the scan closes it the day after)."""
        return (
            self.state == State.OPEN
            and self.opens_on is not None
            and self.opens_on <= today <= self.closes_on
        )

    def days_left(self, today) -> int:
        return max((self.closes_on - today).days + 1, 0)


class Document(models.Model):
    """A document put up for comment (the draft, the plan, the EIA report's summary)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="documents")  # fmt: skip
    file = models.FileField(_("file"), upload_to=StoredName("consultations/%Y/%m/", "file"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(max_length=8, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class Answer(models.Model):
    """The answer to one published comment or to a group of them."""

    class Verdict(models.TextChoices):
        ADOPTED = "adopted", _("adopted")
        PARTLY = "partly", _("partly adopted")
        NOT_ADOPTED = "rejected", _("not adopted")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="answers")  # fmt: skip
    verdict = models.CharField(_("answer"), max_length=10, choices=Verdict.choices)
    reason = models.TextField(_("reason"), blank=True)
    answered_at = models.DateTimeField(_("answered at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["pk"]

    def __str__(self):
        return self.get_verdict_display()


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("comment", "awaiting moderation")
        PUBLISHED = "published", pgettext_lazy("comment", "published")
        REJECTED = "rejected", pgettext_lazy("comment", "not published")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="comments")  # fmt: skip
    number = models.PositiveIntegerField(_("number"))  # within its consultation, shown publicly
    text = models.TextField(_("comment"))
    submitted_at = models.DateTimeField(_("submitted at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)  # fmt: skip
    reason = models.TextField(_("reason for not publishing"), blank=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.ForeignKey(Answer, verbose_name=_("answer"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="comments")  # fmt: skip

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="comment_number")
        ]

    def __str__(self):
        return f"#{self.number}"


class Commenter(models.Model):
    """Who sent a comment and how to reach them, if they said: confidential, read only
    through ``consultations.rules.commenter_for``; no history table copies it."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="commenter")
    name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("commenter")
        verbose_name_plural = _("commenters")

    def __str__(self):
        return self.name or str(_("anonymous"))


class Hearing(models.Model):
    """A hearing (听证会) or an expert argument meeting (论证会) on a consultation."""

    class Kind(models.TextChoices):
        HEARING = "hearing", _("public hearing")
        ARGUMENT = "argument", _("expert argument meeting")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="hearings")  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=200)
    how_to_apply = models.TextField(_("how to take part"), blank=True)
    summary = models.TextField(_("record summary"), blank=True)
    record = models.FileField(_("record"), blank=True,
                              upload_to=StoredName("consultations/%Y/%m/", "record"))  # fmt: skip
    record_kind = models.CharField(max_length=8, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["held_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_at:%Y-%m-%d}"
