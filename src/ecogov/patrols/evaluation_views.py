"""Pages of the quarterly grid evaluation: the roll-up, the form, the Excel export."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.grid.models import Grid
from ecogov.patrols.evaluation import (
    GRADE_FLOORS,
    Kind,
    RollupRow,
    evaluation_rollup,
    evaluation_save,
    may_evaluate,
    quarter_bounds,
    quarter_figures,
    quarter_of,
)
from ecogov.patrols.models import GridEvaluation
from ecogov.spreadsheets import download, table_workbook


def _quarters(today: datetime.date, count: int = 8) -> list[tuple[int, int]]:
    year, quarter = quarter_of(today)
    found = []
    for _n in range(count):
        found.append((year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return found


def _chosen_quarter(request, today: datetime.date) -> tuple[int, int]:
    """The quarter asked for, else the last one that has ended (evaluations follow it)."""
    quarters = _quarters(today)
    wanted = request.GET.get("quarter", "")
    for year, quarter in quarters:
        if wanted == f"{year}Q{quarter}":
            return year, quarter
    return quarters[1]


@login_required
def evaluation_overview(request):
    request.section = "grid"
    today = timezone.localdate()
    year, quarter = _chosen_quarter(request, today)
    rows = evaluation_rollup(request.user, year=year, quarter=quarter, today=today)
    start, end = quarter_bounds(year, quarter)
    context = {
        "rows": rows,
        "year": year,
        "quarter": quarter,
        "chosen": f"{year}Q{quarter}",
        "quarters": [f"{y}Q{q}" for y, q in _quarters(today)],
        "start": start,
        "end": min(end, today),
    }
    return render(request, "patrols/evaluation_overview.html", context)


EXPORT_HEADER = (
    "网格", "层级", "上级网格", "污染源", "应巡查", "已巡查", "按期完成率%", "未巡查污染源",
    "发现问题", "平均上报用时(小时)", "自评得分", "自评等次", "上级评价得分", "上级评价等次",
    "上级评价意见", "下级网格已评价", "下级网格平均得分",
)  # fmt: skip


def _export_row(row: RollupRow) -> list:
    figures = row.figures
    own, upper = row.self_evaluation, row.upper_evaluation
    return [
        "　" * (row.grid.level - 1) + row.grid.name,
        row.grid.level,
        row.grid.parent.name if row.grid.parent else "",
        figures.sources, figures.due, figures.done, figures.completion,
        figures.not_patrolled, figures.findings, figures.average_report_hours,
        own.score if own else None, own.get_grade_display() if own else "",
        upper.score if upper else None, upper.get_grade_display() if upper else "",
        upper.remarks if upper else "",
        f"{row.children_evaluated}/{row.children}" if row.children else "",
        row.children_average,
    ]  # fmt: skip


@login_required
def evaluation_export(request):
    today = timezone.localdate()
    year, quarter = _chosen_quarter(request, today)
    rows = evaluation_rollup(request.user, year=year, quarter=quarter, today=today)
    data = table_workbook(
        sheet_title=f"{year}年第{quarter}季度",
        title=f"网格化环境监管{year}年第{quarter}季度运行评价汇总表",
        subtitle=f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}",
        header=EXPORT_HEADER,
        rows=(_export_row(row) for row in rows),
        widths=(24, 6, 14, 8, 8, 8, 10, 10, 8, 12, 8, 8, 10, 10, 30, 10, 10),
    )
    return download(data, f"网格运行评价-{year}年第{quarter}季度.xlsx",
                    ascii_name=f"grid-evaluation-{year}Q{quarter}.xlsx")  # fmt: skip


@login_required
def evaluation_form(request, pk: int, year: int, quarter: int, kind: str):
    request.section = "grid"
    grid = access.obtain(request.user, Grid.objects.select_related("parent", "unit"), pk)
    if kind not in Kind.values:
        raise Http404(_("Unknown kind of evaluation."))
    if not may_evaluate(request.user, grid, kind):
        raise PermissionDenied(_("You do not evaluate this grid."))
    today = timezone.localdate()
    try:
        figures = quarter_figures([grid], year=year, quarter=quarter, today=today)[grid.pk]
    except ValidationError as error:
        raise Http404(error.messages[0]) from None
    existing = GridEvaluation.objects.filter(
        grid=grid, year=year, quarter=quarter, kind=kind
    ).first()
    values = {
        "score": existing.score if existing else "",
        "remarks": existing.remarks if existing else "",
        "improvements": existing.improvements if existing else "",
    }
    error = ""
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in values}
        try:
            evaluation_save(
                user=request.user, grid=grid, year=year, quarter=quarter, kind=kind,
                score=values["score"], remarks=values["remarks"],
                improvements=values["improvements"], today=today,
            )  # fmt: skip
        except ValidationError as failure:
            error = "; ".join(failure.messages)
        else:
            messages.success(request, _("The evaluation is saved."))
            return redirect(reverse("evaluation_overview") + f"?quarter={year}Q{quarter}")
    start, end = quarter_bounds(year, quarter)
    context = {
        "grid": grid,
        "year": year,
        "quarter": quarter,
        "kind": kind,
        "kind_label": Kind(kind).label,
        "figures": figures,
        "existing": existing,
        "values": values,
        "error": error,
        "start": start,
        "end": min(end, today),
        "grades": [(floor, GridEvaluation.Grade(grade).label) for floor, grade in GRADE_FLOORS],
        "self_evaluation": GridEvaluation.objects.filter(
            grid=grid, year=year, quarter=quarter, kind=Kind.SELF
        ).first()
        if kind == Kind.UPPER
        else None,
    }
    return render(request, "patrols/evaluation_form.html", context, status=422 if error else 200)
