"""The three-level environmental supervision grid (seed 002 §三).

Glossary: 网格 grid; 五定 five fixes (定区域 area, 定人员 people, 定职责 duties,
定任务 tasks, 定奖惩 rewards and penalties); 网格长 grid leader; 网格员 grid worker;
监督员 supervisor; 责任状 responsibility contract.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.uploads import StoredName


def within(grid_ids, prefix: str = "grid") -> models.Q:
    """Rows whose grid (at ``prefix``; "" for grids themselves) is one of ``grid_ids`` or
    lies below one of them: the tree has three levels, so two steps up suffice."""
    path = f"{prefix}__" if prefix else ""
    return (
        models.Q(**{f"{path}pk__in": grid_ids})
        | models.Q(**{f"{path}parent__in": grid_ids})
        | models.Q(**{f"{path}parent__parent__in": grid_ids})
    )


class Grid(models.Model):
    class Level(models.IntegerChoices):
        DISTRICT = 1, _("level 1 (district)")
        TOWNSHIP = 2, _("level 2 (township / street)")
        VILLAGE = 3, _("level 3 (village / community)")

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="grids",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=40, blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grids",
    )
    # The boundary as a GeoJSON Polygon or MultiPolygon in WGS 84 longitude/latitude.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    # The five fixes (seed 002 §三.(二)); the people are the grid's members below.
    area_description = models.TextField(_("area (定区域)"), blank=True)
    duties = models.TextField(_("duties (定职责)"), blank=True)
    # [{"what": "重点企业", "every_days": 30}, …]: what must be patrolled how often.
    patrol_tasks = models.JSONField(_("tasks (定任务)"), default=list, blank=True)
    rewards_penalties = models.TextField(_("rewards and penalties (定奖惩)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["jurisdiction", "level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "parent", "name"], name="grid_unique"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grid_detail", args=[self.pk])


class GridMember(models.Model):
    """A person of a grid (定人员), and whether their phone may be published."""

    class Role(models.TextChoices):
        LEADER = "leader", _("grid leader")
        WORKER = "worker", _("grid worker")
        SUPERVISOR = "supervisor", _("supervisor")

    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="grid_roles",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    publish_phone = models.BooleanField(_("phone may be published"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grid member")
        verbose_name_plural = _("grid members")
        ordering = ["grid", "role"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "user", "role"], name="gridmember_unique")
        ]

    def __str__(self):
        return f"{self.grid} {self.get_role_display()} {self.user}"


class ResponsibilityContract(models.Model):
    """A responsibility contract (责任状) signed between a grid and the grid above it."""

    upper = models.ForeignKey(
        Grid, verbose_name=_("upper grid"), on_delete=models.PROTECT, related_name="+"
    )
    lower = models.ForeignKey(
        Grid, verbose_name=_("lower grid"), on_delete=models.PROTECT, related_name="contracts"
    )
    signed_on = models.DateField(_("signed on"))
    file = models.FileField(_("file"), upload_to=StoredName("contracts/%Y/", "file"), blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsibility contract")
        verbose_name_plural = _("responsibility contracts")
        ordering = ["-signed_on"]

    def __str__(self):
        return f"{self.upper} – {self.lower} {self.signed_on}"
