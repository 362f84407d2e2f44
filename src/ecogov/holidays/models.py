"""The holiday table an administrator keeps: the days that the chinese-calendar package
does not know yet (next year's arrangement, published each autumn by the State Council)
or gets wrong. Its entries win over the package (ecogov.standards.workdays)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CalendarDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("day off (public holiday)")
        WORKDAY = "workday", _("working day (exchanged weekend day, 调休上班)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("holiday"), max_length=50, blank=True, help_text=_("e.g. 春节"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class CalendarYear(models.Model):
    """A year whose whole arrangement is in the table, so deadlines may cross into it."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_("the State Council notice, e.g. 国办发明电〔2026〕×号"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("complete year")
        verbose_name_plural = _("complete years")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)
