"""Cases: one environmental problem from whichever channel it came, until it is closed,
answered and disclosed (seeds 002 §三.(五), 003 §三.(五), 004 tasks 16–19).

A case is assigned to units (``Assignment``): the lead, supporting units and, in joint
enforcement, several units that each report their part. A transfer (移交移送) ends one
unit's assignment and opens the competent unit's, which must accept on its own clock;
the assignments in order are the transfer chain. Every step is a ``CaseEvent``; events
marked public make the reporter's timeline. The reporter's identity lives in its own
table (``Reporter``) that only the bureau's dispatchers read.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ecogov.domain.supervision import Colour, Level, Stage
from ecogov.labels import ChoiceLabels
from ecogov.supervision.models import Step
from ecogov.uploads import StoredName

# Tracking codes avoid letters and digits people confuse (0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


class Channel(models.TextChoices):
    PATROL = "patrol", _("grid patrol")
    PUBLIC = "public", _("public report (web)")
    HOTLINE = "hotline", _("12369 hotline")
    PETITION = "petition", _("petition")
    REPRESENTATIVE = "representative", _("representatives' suggestion")
    INSPECTION = "inspection", _("inspection feedback")
    MONITORING = "monitoring", _("monitoring alarm")
    LEADER = "leader", _("leader's instruction")


class Category(models.TextChoices):
    AIR = "air", _("air")
    WATER = "water", _("water")
    SOIL = "soil", _("soil")
    SOLID_WASTE = "solid_waste", _("solid waste")
    NOISE = "noise", _("noise")
    ECOLOGY = "ecology", _("ecology")
    RADIATION = "radiation", _("radiation")
    OTHER = "other", _("other")


class State(models.TextChoices):
    REGISTERED = "registered", _("registered")
    RETURNED = "returned", _("returned to the dispatcher")
    ASSIGNED = "assigned", _("assigned")
    TRANSFERRED = "transferred", _("transferred, awaiting acceptance")
    ACCEPTED = "accepted", _("accepted")
    IN_PROGRESS = "in_progress", _("in progress")
    REPORTED = "reported", _("result reported")
    VERIFIED = "verified", _("verified")
    CLOSED = "closed", pgettext_lazy("case", "closed")
    REOPENED = "reopened", _("reopened")
    SUSPENDED = "suspended", pgettext_lazy("case", "suspended")
    MERGED = "merged", _("merged into an earlier case")


OPEN_STATES = frozenset(
    {
        State.REGISTERED,
        State.RETURNED,
        State.ASSIGNED,
        State.TRANSFERRED,
        State.ACCEPTED,
        State.IN_PROGRESS,
        State.REPORTED,
        State.VERIFIED,
        State.REOPENED,
        State.SUSPENDED,
    }
)
# States in which the dispatcher must act (the disputed-responsibility queue among them).
DISPATCHER_STATES = frozenset({State.REGISTERED, State.RETURNED})
# The cases the discipline commission watches: overdue, escalated to it, returned or reopened.
WATCHED = (
    models.Q(colour=Colour.RED) | models.Q(stage=Stage.DISCIPLINE)
    | models.Q(returned__gt=0) | models.Q(reopened__gt=0)
)  # fmt: skip
# Cases whose lead unit asked to suspend them: the dispatcher's queue of suspensions to decide.
SUSPENSION_ASKED = ~models.Q(suspension_requested="")


class Supervision(models.TextChoices):
    IMPORTANT = Level.IMPORTANT, _("important: supervised throughout")
    URGENT = Level.URGENT, _("urgent: supervised at once")
    GENERAL = Level.GENERAL, _("general: supervised periodically")


class Outcome(models.TextChoices):
    NONE = "", pgettext_lazy("case outcome", "not yet")
    NO_VIOLATION = "no_violation", _("no violation found")
    RECTIFIED = "rectified", _("ordered to rectify, rectified")
    PENALTY = "penalty", _("administrative penalty")
    SEALED = "sealed", _("sealed up or seized")
    DETENTION = "detention", _("transferred for administrative detention")
    JUDICIARY = "judiciary", _("transferred to the judiciary")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY = "basically", _("basically satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


class Case(ChoiceLabels, models.Model):
    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
        related_name="cases",
    )  # fmt: skip
    # The public number (disclosure, documents) and the reporter's secret tracking code.
    number = models.CharField(_("case number"), max_length=20, unique=True)
    tracking_code = models.CharField(
        _("tracking code"), max_length=12, unique=True, default=new_tracking_code, editable=False
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    text = models.TextField(_("what was reported"))
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    subcategory = models.CharField(_("sub-category"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lon = models.DecimalField(
        _("longitude"), max_digits=10, decimal_places=6, null=True, blank=True
    )
    lat = models.DecimalField(_("latitude"), max_digits=10, decimal_places=6, null=True, blank=True)
    grid = models.ForeignKey(
        "grid.Grid", verbose_name=_("grid"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="cases",
    )  # fmt: skip
    source = models.ForeignKey(
        "sources.Source", verbose_name=_("pollution source"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="cases",
    )  # fmt: skip
    finding = models.OneToOneField(
        "patrols.Finding", verbose_name=_("patrol finding"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="case",
    )  # fmt: skip
    supervision = models.CharField(
        _("supervision"), max_length=10, choices=Supervision.choices, default=Supervision.GENERAL
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.REGISTERED
    )
    lead = models.ForeignKey(
        "org.Unit", verbose_name=_("lead unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="led_cases",
    )  # fmt: skip
    joint = models.BooleanField(_("joint enforcement"), default=False)
    # The router's proposal as it was made: lead, support, clause, candidates.
    routing = models.JSONField(_("routing proposal"), default=dict, blank=True)
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("repeats case"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="repeats",
    )  # fmt: skip
    hotspot = models.BooleanField(_("hotspot"), default=False)
    coordination = models.BooleanField(_("on the coordination meeting's agenda"), default=False)

    registered_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    # The clock of the step the case is in; colour and escalation are kept as last computed.
    due = models.DateField(_("due"), null=True, blank=True)
    clock_start = models.DateField(_("clock started"), null=True, blank=True)
    clock_workdays = models.BooleanField(default=True)
    finish_due = models.DateField(_("to be finished by"), null=True, blank=True)
    colour = models.CharField(
        _("colour"), max_length=8, blank=True, choices=[(c.value, c.name.lower()) for c in Colour]
    )
    stage = models.PositiveSmallIntegerField(
        _("escalation"), default=Stage.NONE, choices=[(s.value, s.name.lower()) for s in Stage]
    )
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    suspension_requested = models.TextField(_("suspension requested"), blank=True)

    # The result, as the lead unit reports it.
    investigation = models.TextField(_("investigation"), blank=True)
    measures = models.TextField(_("measures taken"), blank=True)
    outcome = models.CharField(
        _("legal outcome"), max_length=16, choices=Outcome.choices, blank=True
    )
    decision_number = models.CharField(_("penalty decision number"), max_length=60, blank=True)
    penalty_amount = models.DecimalField(
        _("penalty (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    reported_at = models.DateTimeField(_("result reported at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    verification = models.TextField(_("verification on site"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    answer = models.TextField(_("answer to the reporter"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    rating_comment = models.TextField(_("reporter's comment"), blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    returned = models.PositiveSmallIntegerField(_("times returned"), default=0)
    disclosed_at = models.DateTimeField(_("disclosed at"), null=True, blank=True)
    public_summary = models.TextField(_("disclosed result"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-registered_at"]
        indexes = [
            models.Index(fields=["state", "due"]),
            # A city's lists: a jurisdiction's newest first, whole or by state (the
            # queues), without sorting its tens of thousands of cases for each page.
            # (The second begins with what the old (jurisdiction, state) index held.)
            models.Index(fields=["jurisdiction", "-registered_at"], name="case_recent"),
            models.Index(
                fields=["jurisdiction", "state", "-registered_at"], name="case_state_recent"
            ),  # fmt: skip
            # Which units lead a jurisdiction's cases (the lists' unit filter), read
            # from the index alone.
            models.Index(fields=["jurisdiction", "lead"], name="case_jurisdiction_lead"),
            # The leaders' overview: its figures and the cases closed by month, read from
            # the index alone (cases.oversight).
            models.Index(
                fields=["jurisdiction", "closed_at", "state", "colour", "stage"],
                name="case_figures",
            ),  # fmt: skip
            # The discipline commission's lists (a few hundred of a city's 100,000 cases),
            # counted and paged without reading the rest.
            models.Index(fields=["jurisdiction", "due"], condition=WATCHED, name="case_watched"),
            # The dispatcher's suspensions to decide: none or a few, newest first, without
            # reading a jurisdiction's other cases.
            models.Index(
                fields=["jurisdiction", "-registered_at"],
                condition=SUSPENSION_ASKED,
                name="case_suspension_asked",
            ),  # fmt: skip
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def disputed(self) -> bool:
        """Waiting for the bureau to decide who leads (the disputed-responsibility queue)."""
        return self.state in DISPATCHER_STATES and not (self.routing or {}).get("lead")


class Reporter(models.Model):
    """Who reported a case and how to reach them: confidential (003 §三.(五).5).

    Read only by the bureau's dispatchers of the case's jurisdiction, through
    ``cases.rules.reporter_for``; no history table copies it and the back office does
    not list it.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="reporter")
    anonymous = models.BooleanField(_("anonymous"), default=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    organisation = models.CharField(_("organisation or delegation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reporter")
        verbose_name_plural = _("reporters")

    def __str__(self):
        return self.name or str(_("anonymous"))


class Assignment(models.Model):
    """A unit's part in a case. In order of creation, a case's assignments are its
    transfer chain."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead")
        SUPPORT = "support", _("support")
        JOINT = "joint", _("joint enforcement")

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting acceptance")
        ACCEPTED = "accepted", _("accepted")
        RETURNED = "returned", _("returned")
        TRANSFERRED = "transferred", _("transferred on")
        REPORTED = "reported", _("part reported")
        ENDED = "ended", _("ended")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    accept_due = models.DateField(_("to be accepted by"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    transferred_from = models.ForeignKey(
        "self", verbose_name=_("transferred from"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="transfers",
    )  # fmt: skip
    reason = models.TextField(_("reason"), blank=True)  # of a return or a transfer
    part = models.TextField(_("part reported"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["case", "assigned_at", "pk"]

    def __str__(self):
        return f"{self.case} → {self.unit} ({self.get_role_display()})"


class CaseEvent(ChoiceLabels, Step):
    class Kind(models.TextChoices):
        REGISTERED = "registered", _("registered")
        ROUTED = "routed", _("routed")
        DUPLICATE = "duplicate", _("linked to an earlier case")
        HOTSPOT = "hotspot", _("hotspot warning")
        ASSIGNED = "assigned", _("assigned")
        ACCEPTED = "accepted", _("accepted")
        RETURNED = "returned", _("returned")
        TRANSFERRED = "transferred", _("transferred")
        STARTED = "started", _("handling started")
        PART = "part", _("part reported")
        RESULT = "result", _("result reported")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("result rejected")
        CLOSED = "closed", pgettext_lazy("case", "closed")
        ANSWERED = "answered", _("reporter answered")
        RATED = "rated", _("rated by the reporter")
        REOPENED = "reopened", _("reopened")
        SUSPENSION_ASKED = "suspension_asked", _("suspension requested")
        SUSPENDED = "suspended", pgettext_lazy("case", "suspended")
        RESUMED = "resumed", _("resumed")
        DISCLOSED = "disclosed", _("disclosed")
        NOTICE = "notice", _("supervision notice")
        ESCALATED = "escalated", _("escalated")
        TOLD_GRID = "told_grid", _("result told to the lower grid")
        NOTE = "note", _("note")
        REWARD = "reward", _("reward decided")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    # Shown on the reporter's public timeline (with ``public_note``, never ``note``).
    public = models.BooleanField(default=False)
    public_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "at", "pk"]

    def __str__(self):
        return f"{self.case} {self.get_kind_display()}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=StoredName("cases/%Y/%m/", "file"))
    kind = models.CharField(_("kind"), max_length=8)  # as sniffed: jpeg, png, webp, pdf, zip
    name = models.CharField(_("name"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name or self.file.name


class ClockRule(models.Model):
    """The deadlines of a channel and category; the most specific rule wins, and without
    any rule the defaults apply (accept in 2 working days, finish in 30 days, answer in
    3 working days of closing)."""

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, blank=True)
    accept_workdays = models.PositiveSmallIntegerField(_("accept within (working days)"), default=2)
    finish_days = models.PositiveSmallIntegerField(_("finish within (days)"), default=30)
    finish_in_workdays = models.BooleanField(_("finish counted in working days"), default=False)
    answer_workdays = models.PositiveSmallIntegerField(
        _("answer within (working days after closing)"), default=3
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case deadline rule")
        verbose_name_plural = _("case deadline rules")
        constraints = [
            models.UniqueConstraint(fields=["channel", "category"], name="clockrule_unique")
        ]

    def __str__(self):
        return f"{self.get_channel_display() or '*'} / {self.get_category_display() or '*'}"


class RewardRule(models.Model):
    """A reward an administrator sets for verified reports of major violations
    (003 §三.(五).5: 1,000 to 30,000 yuan)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("when it applies"), blank=True)
    minimum = models.DecimalField(
        _("minimum (yuan)"), max_digits=9, decimal_places=2,
        validators=[MinValueValidator(1000), MaxValueValidator(30000)],
    )  # fmt: skip
    maximum = models.DecimalField(
        _("maximum (yuan)"), max_digits=9, decimal_places=2,
        validators=[MinValueValidator(1000), MaxValueValidator(30000)],
    )  # fmt: skip
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reward rule")
        verbose_name_plural = _("reward rules")
        ordering = ["minimum", "name"]

    def __str__(self):
        return f"{self.name} ({self.minimum:.0f}–{self.maximum:.0f})"


class Reward(models.Model):
    """A reward decided for a case and its payment: the ledger."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="reward")
    rule = models.ForeignKey(RewardRule, verbose_name=_("rule"), on_delete=models.PROTECT)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=9, decimal_places=2)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=60, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["-decided_on"]

    def __str__(self):
        return f"{self.case} {self.amount}"


class RateLimitHit(models.Model):
    """One request of a rate-limited public action, by a digest of the client's address
    (not the address itself); old rows are pruned as new ones arrive."""

    bucket = models.CharField(max_length=20)
    client = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["bucket", "client", "at"])]

    def __str__(self):
        return f"{self.bucket} {self.at:%Y-%m-%d %H:%M}"


class RoutingExample(models.Model):
    """A decision of the bureau on who leads a case: a training example of its
    jurisdiction's router (ecogov.cases.learning). One per case: a later decision on the
    same case replaces the earlier one.

    The text is the case's, with the reporter's name, phone and e-mail and anything
    shaped like a phone, ID number or e-mail address masked: an example never carries who
    reported (nor does it link to the reporter; ``case`` only lets a re-decision replace
    it)."""

    class Decision(models.TextChoices):
        ASSIGNED = "assigned", _("assigned by the bureau")
        REASSIGNED = "reassigned", _("reassigned by the bureau")
        TRANSFERRED = "transferred", _("transferred by the bureau")

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.CASCADE,
        related_name="routing_examples",
    )  # fmt: skip
    case = models.OneToOneField(
        Case, verbose_name=_("case"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="routing_example",
    )  # fmt: skip
    text = models.TextField(_("text"))
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("lead unit"), on_delete=models.CASCADE, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices)
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("routing example")
        verbose_name_plural = _("routing examples")
        ordering = ["jurisdiction", "decided_at", "pk"]

    def __str__(self):
        return f"{self.unit} {self.decided_at:%Y-%m-%d}"
