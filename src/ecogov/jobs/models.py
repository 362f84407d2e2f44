"""Which scheduled job ran for which of its times.

With several huey consumers on one Redis (production runs one per machine) each
consumer's scheduler enqueues every periodic task; the first worker to insert the row of
a job's time does the work, the others find it there and skip.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    job = models.CharField(_("job"), max_length=200)
    # The time the schedule named, as the scheduler reads its clock ("2026-03-02 01:10"):
    # the same text in every consumer whatever the moment a worker picks the task up.
    slot = models.CharField(_("scheduled for"), max_length=16)
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled job run")
        verbose_name_plural = _("scheduled job runs")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="jobrun_once")]

    def __str__(self):
        return f"{self.job} {self.slot}"
