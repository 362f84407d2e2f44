"""The leaders' page of a batch's progress (counts, burn-down) and its downloads: the
progress table (Excel) and the progress report (Word) for the upper level.

Whoever may see the batch sees the page; every figure and every row is over the
problems the person may see (a unit's liaison: its own problems)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.rectification import reports
from ecogov.rectification.models import Batch, Problem
from ecogov.rectification.services import Progress
from ecogov.spreadsheets import DOCX, download


def _batch_and_problems(request, pk: int):
    batch = access.obtain(request.user, Batch, pk)
    problems = access.scope(request.user, Problem.objects.filter(batch=batch))
    return batch, problems


def _whole(batch: Batch, problems) -> bool:
    """Whether the person sees every problem of the batch (else the figures say so)."""
    return problems.count() == batch.problems.count()


@login_required
def batch_progress(request, pk: int):
    request.section = "supervision"
    batch, problems = _batch_and_problems(request, pk)
    today = timezone.localdate()
    rows = reports.rows_of(batch, today, problems=problems)
    chart = reports.burndown(batch, today, problems=problems)
    chart["labels"] = {
        "open": _("not closed out"),
        "ideal": _("ideal line to the last deadline"),
        "closed": _("closed out (cumulative)"),
        "relapses": _("relapses (cumulative)"),
        "problems": _("problems"),
    }
    context = {
        "batch": batch,
        "today": today,
        "counts": reports.counts_of(rows),
        "behind": [row for row in rows if row.progress == Progress.BEHIND],
        "relapsed": [row for row in rows if row.problem.relapses],
        "chart": chart,
        "whole": _whole(batch, problems),
    }
    return render(request, "rectification/report_progress.html", context)


@login_required
def batch_progress_xlsx(request, pk: int):
    batch, problems = _batch_and_problems(request, pk)
    today = timezone.localdate()
    data = reports.progress_workbook(batch, today, problems=problems)
    return download(data, f"{batch.title}-整改进展情况表-{today:%Y%m%d}.xlsx",
                    ascii_name=f"rectification-progress-{batch.pk}.xlsx")  # fmt: skip


@login_required
def batch_progress_docx(request, pk: int):
    batch, problems = _batch_and_problems(request, pk)
    today = timezone.localdate()
    data = reports.progress_report_docx(batch, today, problems=problems)
    return download(data, f"{batch.title}-整改进展情况报告-{today:%Y%m%d}.docx", DOCX,
                    ascii_name=f"rectification-report-{batch.pk}.docx")  # fmt: skip
