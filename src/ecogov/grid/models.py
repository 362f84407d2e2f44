"""The three-level environmental supervision grid (seed 002 §三).

Only the tree is here so far, because accounts and access rules refer to grids; the
boundaries, the five fixes and patrols come with the grid issue.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
