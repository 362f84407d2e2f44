"""The registry of administrative areas, member units and their duty lists.

Glossary: 行政区划 jurisdiction; 成员单位 member unit; 职责清单 duty list (its clauses are
duty items); 工作科室 contact section; 成员 member; 联络员 liaison; 曾用名 former name.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.domain import unitnames


class Jurisdiction(models.Model):
    """An administrative area: province → city → district/county → township/street → village."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province")
        CITY = 2, _("city")
        COUNTY = 3, _("district / county")
        TOWNSHIP = 4, _("township / street")
        VILLAGE = 5, _("village / community")

    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # GB/T 2260 administrative division code, e.g. 630103 for 城中区, 西宁市.
    code = models.CharField(_("division code"), max_length=12, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["level", "code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="jurisdiction_unique_name"),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(parent__isnull=True),
                name="jurisdiction_unique_root_name",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("jurisdiction_detail", args=[self.pk])


# The attribute under which ecogov.org.selectors.unit_with_names puts the liaison
# accounts of a unit that the viewer may see.
LIAISON_ACCOUNTS = "liaison_accounts"


class Unit(models.Model):
    """A member unit (成员单位): an office, department, court, police unit, township…"""

    class Kind(models.TextChoices):
        GOVERNMENT_OFFICE = unitnames.GOVERNMENT_OFFICE, _("government office")
        PARTY_ORGAN = unitnames.PARTY_ORGAN, _("party organ")
        DEPARTMENT = unitnames.DEPARTMENT, _("government department")
        CENTRE = unitnames.CENTRE, _("public service centre")
        COURT = unitnames.COURT, _("court")
        PROCURATORATE = unitnames.PROCURATORATE, _("procuratorate")
        POLICE = unitnames.POLICE, _("police")
        DISCIPLINE_COMMISSION = unitnames.DISCIPLINE_COMMISSION, _("discipline commission")
        TOWNSHIP_GOVERNMENT = unitnames.TOWNSHIP_GOVERNMENT, _("township government")
        STREET_OFFICE = unitnames.STREET_OFFICE, _("street office")
        OTHER = unitnames.OTHER, _("other")

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Seed 000 §四.(二).2: each unit names a contact section, a member and a liaison.
    contact_section = models.CharField(_("contact section"), max_length=100, blank=True)
    member = models.CharField(_("member"), max_length=100, blank=True)
    member_position = models.CharField(_("member's position"), max_length=100, blank=True)
    liaison = models.CharField(_("liaison"), max_length=100, blank=True)
    liaison_phone = models.CharField(_("liaison's phone"), max_length=40, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("source document"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")
        ordering = ["jurisdiction", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="unit_unique_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("unit_detail", args=[self.pk])

    @property
    def liaison_shown(self) -> str:
        """The liaison the units list and the unit's page show: the one its contact
        details name, else the people with a liaison account in the unit (those the
        viewer may see)."""
        if self.liaison:
            return self.liaison
        return "、".join(str(person) for person in self._liaison_accounts())

    @property
    def liaison_phone_shown(self) -> str:
        if self.liaison:
            return self.liaison_phone
        return "、".join(person.phone for person in self._liaison_accounts() if person.phone)

    def _liaison_accounts(self) -> list:
        # Only what unit_with_names fetched within the viewer's sight: a liaison may not
        # see the people of another unit.
        return getattr(self, LIAISON_ACCOUNTS, [])


class UnitName(models.Model):
    """Another name a unit is found by: an alias, or a former name kept after a rename."""

    class Kind(models.TextChoices):
        ALIAS = "alias", _("alias")
        FORMER = "former", _("former name")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="other_names"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # For a former name: the day the new name took over, when known.
    until = models.DateField(_("used until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("other name")
        verbose_name_plural = _("other names")
        ordering = ["unit", "kind", "until", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="unitname_unique"),
        ]

    def __str__(self):
        return self.name


class DutyItem(models.Model):
    """One clause of a unit's duty list, as the document wrote it. Case routing reads these."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="duties"
    )
    # Numbered per source document: re-importing a document replaces its own items only.
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"))
    source = models.CharField(_("source document"), max_length=200, blank=True)
    section = models.CharField(_("section"), max_length=100, blank=True)
    line = models.PositiveIntegerField(_("line in the source"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("duty item")
        verbose_name_plural = _("duty items")
        ordering = ["unit", "source", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "source", "number"], name="dutyitem_unique_number"
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.number}"


class RouterModel(models.Model):
    """The learned part of a jurisdiction's case router (ecogov.domain.router_model),
    retrained every night from the base set and the bureau's decisions.

    ``data`` is an .npz of plain arrays, read without unpickling: whoever can write this
    row cannot make the server run code by it."""

    jurisdiction = models.OneToOneField(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.CASCADE,
        related_name="router_model",
    )  # fmt: skip
    trained_at = models.DateTimeField(_("trained at"))
    examples = models.PositiveIntegerField(_("training examples"))
    decisions = models.PositiveIntegerField(_("of which the bureau's decisions"), default=0)
    units = models.PositiveIntegerField(_("units it proposes"), default=0)
    digest = models.CharField(_("digest of the model"), max_length=64)
    examples_digest = models.CharField(_("digest of the examples"), max_length=64)
    data = models.BinaryField(_("model"))

    class Meta:
        verbose_name = _("router model")
        verbose_name_plural = _("router models")

    def __str__(self):
        return f"{self.jurisdiction} {self.trained_at:%Y-%m-%d %H:%M}"
