"""The sample district's online monitoring: seven fictional points and their recent data.

The points (``sample/monitoring_points.csv``) are five outlets of the sample sources, an
air station and the river section the 2024–2026 plan names (六一桥入湟断面, seed 004
§二); their MNs, passwords and limits are made up (the limits follow GB 8978-1996 and
GB 13271-2014 in size, not as a statement of any enterprise's permit). The data are
played by the logger simulator's value model and stored through the same ``Ingestor``
the server uses, so alarms, cases and rates come out of the real code path: hours
missing now and then, and exceedances, two of which persist long enough to become
cases. Loading again fills the hours since the last load (up to ``DAYS`` days back),
so the sample site always has recent data.

The plan's two monitored goals are fed: the section's class (III类 counts as 3) and the
PM2.5 annual mean, whose "市控标准" is taken as 35 μg/m³ here (GB 3095-2012 Class 2);
a real bureau sets the number its city gives.
"""

import datetime
import random

from django.utils import timezone

from ecogov.monitoring import simulator
from ecogov.monitoring.aggregates import point_days_refresh
from ecogov.monitoring.alarms import alarm_cases
from ecogov.monitoring.ingest import Ingestor, Upload
from ecogov.monitoring.models import Point, TargetFeed
from ecogov.monitoring.partitions import partitions_ensure
from ecogov.monitoring.services import points_import, table_rows
from ecogov.monitoring.stats import feeds_run
from ecogov.org.sample import SAMPLE_DIR

DAYS = 90
BATCH = 500
# (MN, hours before now) of the exceedances the sample plays on purpose, and how long.
EPISODES = {
    "63010300000003": [(30, 4)],  # 示例2号工业企业 COD: persists, becomes a case
    "63010300000002": [(200, 2)],  # 1号锅炉烟囱 SO2: two hours, an alarm only
    "63010300000004": [(9, 3)],  # 示例1号入河排污口: a case of today
}


def monitoring_sample_load(district, *, days: int = DAYS, now=None) -> int:
    """Register the sample points and play their hours up to the last full hour; the
    number of uploads stored."""
    path = SAMPLE_DIR / "monitoring_points.csv"
    rows = table_rows(path.read_bytes(), path.name)
    points_import(rows=rows, jurisdiction=district)
    now = timezone.localtime(now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    end = now.replace(tzinfo=None)  # the hour in progress is not complete yet
    # Past months too: their rows go to their month rather than a DEFAULT partition.
    partitions_ensure(since=now - datetime.timedelta(days=days))
    ingestor = Ingestor()
    ingestor.refresh()
    stored = 0
    candidates: list[int] = []
    points = Point.objects.filter(jurisdiction=district, mn__in={row[0] for row in rows[1:] if row})
    for point in points.prefetch_related("factors").order_by("mn"):
        logger = simulator.logger_for(point)
        first = end - datetime.timedelta(days=days)
        if point.last_data_time is not None:
            first = max(first, timezone.localtime(point.last_data_time).replace(tzinfo=None))
            first += datetime.timedelta(hours=1)
        rng = random.Random(f"sample-{point.mn}-{first:%Y%m%d%H}")
        episodes = {end - datetime.timedelta(hours=h): n for h, n in EPISODES.get(point.mn, [])}
        uploads = []
        when = first
        while when < end:
            if when in episodes:
                logger.excess_left = episodes[when]
            if rng.random() < 0.004 and not logger.excess_left:
                when += datetime.timedelta(hours=rng.randint(1, 5))  # the logger was down
                continue
            packet = simulator.hourly_packet(logger, when, rng)
            if logger.excess_left:
                logger.excess_left -= 1
            uploads.append(Upload.of(point.pk, packet, timezone.now()))
            when += datetime.timedelta(hours=1)
        for index in range(0, len(uploads), BATCH):
            report = ingestor.store(uploads[index : index + BATCH])
            stored += report.stored
            candidates += report.case_candidates
    if candidates:
        alarm_cases(candidates)
    # The writer counted the days with data; this counts the silent days too.
    point_days_refresh(since=(end - datetime.timedelta(days=days)).date(), until=now.date(),
                       points=points)  # fmt: skip
    _feeds(district)
    feeds_run(now.date())
    return stored


def _feeds(district) -> None:
    from ecogov.plans.models import Target

    targets = Target.objects.filter(plan__jurisdiction=district)
    section = Point.objects.filter(jurisdiction=district, kind=Point.Kind.WATER_SECTION).first()
    station = Point.objects.filter(jurisdiction=district, kind=Point.Kind.AIR_STATION).first()
    wanted = (
        ("六一桥", section, TargetFeed.Metric.WATER_CLASS, "", 3),
        ("PM2.5", station, TargetFeed.Metric.ANNUAL_MEAN, "a34004", 35),
    )
    for words, point, metric, code, goal in wanted:
        target = targets.filter(indicator__contains=words).first()
        if target is None or point is None:
            continue
        TargetFeed.objects.get_or_create(
            target=target, defaults={"point": point, "metric": metric, "code": code, "goal": goal}
        )
