"""The targets of a plan: those of its objectives section and those inside its tasks.

A goal stated in the objectives and again inside a task (seed 004: forest cover
31.48 % in §二 and in task 3) is one target, which belongs to the task. It is aspirational
only if every statement of it strives (seed 004 task 3 says 争取, §二 does not).
"""

import dataclasses
import re

from ecogov.domain.plandoc import PlanDocument
from ecogov.domain.targets import Target, extract_targets


def _key(target: Target) -> tuple:
    return (target.indicator, target.op, target.value, target.reference, target.year)


def plan_targets(document: PlanDocument) -> list[tuple[Target, str | None]]:
    """(target, task number or None) in document order, each goal once."""
    goal_year = _goal_year(document)
    stated = [
        target
        for _line, paragraph in document.goals
        for target in extract_targets(paragraph, default_year=goal_year)
    ]
    # When the objectives aim at one year ("2020年，…" of a 2020 plan, 浙江 2020), a goal
    # inside a task that names no year aims at it too, unless the task has a deadline.
    years = {target.year for target in stated if target.year is not None}
    target_year = years.pop() if len(years) == 1 else None
    if target_year is not None and goal_year is None:
        # The objectives' paragraphs without a year of their own aim at the one year the
        # others name ("具体指标：到2020年，…" then "县城生活污水处理率85%…", 屯昌 2018).
        stated = [
            target
            for _line, paragraph in document.goals
            for target in extract_targets(paragraph, default_year=target_year)
        ]
    in_tasks: list[tuple[Target, str | None]] = []
    for task in document.tasks:
        # A goal inside a task that names no year is due by the task's deadline.
        year = int(task.deadline[:4]) if task.deadline and task.deadline[:4].isdigit() else None
        for target in extract_targets(task.text, default_year=year or target_year or goal_year):
            in_tasks.append((target, task.number))
    firm = {_key(target) for target in stated if not target.aspirational}
    firm |= {_key(target) for target, _number in in_tasks if not target.aspirational}
    seen: set[tuple] = set()
    kept: list[tuple[Target, str | None]] = []
    for target, number in in_tasks:
        if _key(target) not in seen:
            seen.add(_key(target))
            if target.aspirational and _key(target) in firm:
                target = dataclasses.replace(target, aspirational=False)
            kept.append((target, number))
    general: list[tuple[Target, str | None]] = []
    for target in stated:
        if _key(target) not in seen:
            seen.add(_key(target))
            general.append((target, None))
    return general + kept


def _goal_year(document: PlanDocument) -> int | None:
    """The year of an annual plan ("佳木斯市2018年度水污染防治重点工作实施方案"): its
    objectives that name no year are that year's. A plan over several years has none."""
    years = set(re.findall(r"((?:19|20)\d{2})\s*年", document.title))
    if len(years) == 1 and not re.search(r"\d{4}\s*年?\s*[—–\-~至]", document.title):
        return int(years.pop())
    return None
