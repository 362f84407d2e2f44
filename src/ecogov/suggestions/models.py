"""Representatives' suggestions and CPPCC proposals (建议提案, seed 003 §(五).6: the
representatives' channel 两代表一委员直通车): registered with their authors, assigned by
the bureau to a main handling unit (主办) and co-handling units (会办), answered by the
main unit with a class and a letter, rated by each author.

The deadline, colour, escalation, extension and verification of the handling live on the
suggestion's ``supervision.Item`` (kind "suggestion"); the records here say who wrote it,
who handles it, what the co-handling units said, what was answered and how the authors
rated it.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.domain.supervision import Colour, Stage
from ecogov.uploads import StoredName


class Kind(models.TextChoices):
    SUGGESTION = "suggestion", _("people's congress deputy's suggestion")  # 人大代表建议
    PROPOSAL = "proposal", _("CPPCC member's proposal")  # 政协提案
    OPINION = "opinion", _("Party congress delegate's opinion")  # 党代表意见


# How the document names each kind: 第12号建议, 第5号提案, 第3号意见.
NOUNS = {Kind.SUGGESTION: "建议", Kind.PROPOSAL: "提案", Kind.OPINION: "意见"}


class Body(models.TextChoices):
    DEPUTY = "deputy", _("people's congress deputy")  # 人大代表
    MEMBER = "member", _("CPPCC member")  # 政协委员
    DELEGATE = "delegate", _("Party congress delegate")  # 党代表


# How a letter addresses an author: 张三代表, 李四委员.
TITLES = {Body.DEPUTY: "代表", Body.MEMBER: "委员", Body.DELEGATE: "代表"}


class AnswerClass(models.TextChoices):
    A = "A", _("A: solved or basically solved")  # 已解决或基本解决
    B = "B", _("B: being solved or planned")  # 正在解决或列入计划解决
    C = "C", _("C: cannot be solved now (explained)")  # 因条件限制暂不能解决（已说明）
    D = "D", _("D: kept for reference")  # 留作参考


# The words of the class in the answer letter.
CLASS_TEXT = {
    AnswerClass.A: "A类（已解决或基本解决）",
    AnswerClass.B: "B类（正在解决或列入计划解决）",
    AnswerClass.C: "C类（因条件限制暂不能解决，已作说明）",
    AnswerClass.D: "D类（留作参考）",
}
PROMISING = frozenset({AnswerClass.B, AnswerClass.C})


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY = "basically", _("basically satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


class Suggestion(models.Model):
    class State(models.TextChoices):
        REGISTERED = "registered", _("to be assigned")
        HANDLING = "handling", _("being handled")
        RETURNED = "returned", _("returned by the main unit, to be reassigned")
        ANSWERED = "answered", _("answered, ratings awaited")
        CONCLUDED = "concluded", _("rated")

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # 区十八届人大三次会议, 区政协十三届三次会议 …
    session = models.CharField(_("session"), max_length=100)
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    received_on = models.DateField(_("received on"))
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.REGISTERED
    )
    item = models.OneToOneField(
        "supervision.Item", verbose_name=_("supervised item"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="suggestion",
    )  # fmt: skip
    rehandled = models.PositiveSmallIntegerField(_("times re-handled"), default=0)
    registered_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("suggestion or proposal")
        verbose_name_plural = _("suggestions and proposals")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "kind", "session", "number"],
                name="suggestion_unique_number",
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("suggestion_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """As the documents cite it: 区十八届人大三次会议第12号建议."""
        return f"{self.session}第{self.number}号{NOUNS[Kind(self.kind)]}"


class Author(models.Model):
    """A deputy, member or delegate who wrote or co-signed it. The contact is for the
    bureau's dispatchers and the handling units only (``rules.may_see_contacts``)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="authors")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=50)
    body = models.CharField(_("body"), max_length=10, choices=Body.choices)
    # 代表团 of a deputy, 界别 of a CPPCC member: 总寨镇代表团, 农业界
    group = models.CharField(_("delegation or sector"), max_length=100, blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["suggestion", "order", "pk"]

    def __str__(self):
        return f"{self.name}{TITLES[Body(self.body)]}"


class Handler(models.Model):
    """A unit assigned to handle it, main or co-handling, from the day of its
    assignment; it may return it within ten days, and a co-handling unit owes its written
    opinion to the main unit within a month (a clock of ``supervision.clocks``)."""

    class Role(models.TextChoices):
        MAIN = "main", _("main handling unit")  # 主办
        CO = "co", _("co-handling unit")  # 会办

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="handlers")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=4, choices=Role.choices)
    assigned_on = models.DateField(_("assigned on"))
    opinion_due = models.DateField(_("opinion due"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    return_reason = models.TextField(_("reason for the return"), blank=True)
    ended_on = models.DateField(_("no longer handling since"), null=True, blank=True)
    colour = models.CharField(_("colour"), max_length=8, blank=True,
                              choices=[(c.value, c.name.lower()) for c in Colour])  # fmt: skip
    stage = models.PositiveSmallIntegerField(
        _("escalation"), default=Stage.NONE, choices=[(s.value, s.name.lower()) for s in Stage]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["suggestion", "ended_on", "role", "pk"]

    def __str__(self):
        return f"{self.unit} ({self.get_role_display()})"

    @property
    def jurisdiction(self):
        return self.suggestion.jurisdiction

    @property
    def current(self) -> bool:
        return self.ended_on is None


class Opinion(models.Model):
    """A co-handling unit's written opinion (会办意见) to the main unit."""

    handler = models.ForeignKey(Handler, on_delete=models.PROTECT, related_name="opinions")
    text = models.TextField(_("opinion"))
    file = models.FileField(
        _("file"), blank=True, upload_to=StoredName("suggestions/%Y/%m/", "file")
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("co-handling opinion")
        verbose_name_plural = _("co-handling opinions")
        ordering = ["handler", "sent_at", "pk"]

    def __str__(self):
        return f"{self.handler.unit} {self.sent_on}"

    @property
    def late(self) -> bool:
        due = self.handler.opinion_due
        return due is not None and self.sent_on > due


class Extension(models.Model):
    """The main unit's request for more time; the bureau approves or refuses it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("awaiting the bureau")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("deadline asked for"))
    reason = models.TextField(_("reason"))
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    note = models.TextField(_("the bureau's note"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["suggestion", "requested_at", "pk"]

    def __str__(self):
        return f"{self.suggestion.reference} → {self.deadline}"


class Answer(models.Model):
    """The main unit's answer (答复): its class, the letter, and for a B or C answer what
    was promised and by when. A re-handled suggestion gets a further answer (round 2…)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="answers")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("answering unit"), on_delete=models.PROTECT, related_name="+"
    )
    answer_class = models.CharField(_("class"), max_length=1, choices=AnswerClass.choices)
    letter = models.TextField(_("answer letter"))
    promise = models.TextField(_("what is promised"), blank=True)
    promised_by = models.DateField(_("promised by"), null=True, blank=True)
    contact = models.CharField(_("contact person and telephone"), max_length=100, blank=True)
    answered_on = models.DateField(_("answered on"))
    deadline = models.DateField(_("deadline then"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["suggestion", "round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "round"], name="answer_unique_round")
        ]

    def __str__(self):
        return f"{self.suggestion.reference} {self.answer_class}"

    @property
    def late(self) -> bool:
        return self.deadline is not None and self.answered_on > self.deadline


class Rating(models.Model):
    """One author's rating of an answer, from the feedback form (征询意见表) the bureau
    received and entered on the author's behalf."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="ratings")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="ratings")
    satisfaction = models.CharField(_("rating"), max_length=12, choices=Satisfaction.choices)
    comment = models.TextField(_("comment"), blank=True)
    rated_on = models.DateField(_("form received on"))
    entered_at = models.DateTimeField(_("entered at"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["answer", "author__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "author"], name="rating_unique_author")
        ]

    def __str__(self):
        return f"{self.author} {self.get_satisfaction_display()}"
