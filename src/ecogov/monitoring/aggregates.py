"""Daily aggregates of the hourly readings, and the retention of raw minute data.

A city's year is hundreds of millions of readings: the rates, daily means, AQI calendars
and water classes of whole days are read from ``PointDay`` and ``PointDayValue`` (one
row per point and local day, one per point, day and pollutant), which are counted here
from that day's hourly readings (a day's ``PointDay`` also keeps its figures hour by hour, for
the windows that begin or end inside it):

- by the writer, after each committed batch, for the (point, day) pairs it touched;
- by a job for yesterday and today of every point (late data, and a row for a silent
  point's empty day, so that the day counts as counted);
- by ``ecogov monitoring aggregates --since`` for what was stored before.

Counting a day again gives the same rows (an upsert): all three can run at once.
Day boundaries are the bureau's local time (settings.TIME_ZONE), as in ``stats``.

Minute and real-time readings, and the packets of those uploads, are kept for
``ECOGOV_MONITORING_MINUTE_DAYS`` days and then deleted in batches; hourly and daily data
are kept for ever. On PostgreSQL they are removed a month at a time, by dropping the
month's partition once the whole month is past the retention (``partitions``).
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ecogov.monitoring import partitions
from ecogov.monitoring.models import Packet, Period, Point, PointDay, PointDayValue, Reading
from ecogov.monitoring.partitions import SUBHOURLY_COMMANDS, SUBHOURLY_PERIODS
from ecogov.monitoring.stats import day_values_of, midnight  # the same arithmetic as raw

log = logging.getLogger(__name__)

# Points counted per query by the job and the command: a day of hourly readings of this
# many points (about 24 × 6 rows each) fits in memory easily.
POINTS_PER_QUERY = 200
# Rows deleted per transaction by the retention: short transactions, no long locks.
PRUNE_BATCH = 10_000
HOUR = datetime.timedelta(hours=1)


def point_days_count(pairs: Iterable[tuple[int, datetime.date]]) -> int:
    """Count (point id, local date) pairs again from their hourly readings: one query
    per date, one upsert per table. A pair without readings gets a row of zeros (the
    day is counted: nothing arrived). Returns the number of pairs counted."""
    by_day: dict[datetime.date, set[int]] = defaultdict(set)
    for point_id, day in pairs:
        by_day[day].add(point_id)
    now = timezone.now()
    days, values = [], []
    for day, point_ids in sorted(by_day.items()):
        rows = Reading.objects.filter(
            point_id__in=point_ids,
            period=Period.HOUR,
            time__gte=midnight(day),
            time__lt=midnight(day + datetime.timedelta(days=1)),
        ).values_list("point_id", "code", "time", "value", "valid", "exceeded")
        # point → data time → [every value valid, checked, exceeded]
        hours: dict[int, dict[datetime.datetime, list]] = defaultdict(dict)
        kept = []
        for point_id, code, time, value, valid, exceeded in rows:
            hour = hours[point_id].setdefault(time, [True, 0, 0])
            hour[0] = hour[0] and valid
            if valid and exceeded is not None:
                hour[1] += 1
                hour[2] += exceeded
            kept.append((point_id, code, time, value, valid))
        begin = midnight(day)
        n_hours = round((midnight(day + datetime.timedelta(days=1)) - begin) / HOUR)
        for point_id in point_ids:
            own = hours.get(point_id, {})
            days.append(
                PointDay(
                    point_id=point_id, date=day, received=len(own),
                    valid_hours=sum(valid for valid, _checked, _exceeded in own.values()),
                    checked=sum(checked for _valid, checked, _exceeded in own.values()),
                    exceeded=sum(exceeded for *_rest, exceeded in own.values()),
                    first_time=min(own, default=None), counted_at=now,
                    by_hour=_by_hour(own, begin, n_hours),
                )
            )  # fmt: skip
        for (point_id, code), by_date in day_values_of(kept).items():
            for date, value in by_date.items():
                values.append(
                    PointDayValue(point_id=point_id, date=date, code=code, hours=value.hours,
                                  mean=value.mean, highest=value.highest,
                                  highest_8h=value.highest_8h)
                )  # fmt: skip
    with transaction.atomic():
        PointDay.objects.bulk_create(
            days,
            update_conflicts=True,
            unique_fields=["point", "date"],
            update_fields=["received", "valid_hours", "checked", "exceeded", "first_time",
                           "counted_at", "by_hour"],
        )  # fmt: skip
        PointDayValue.objects.bulk_create(
            values,
            update_conflicts=True,
            unique_fields=["point", "date", "code"],
            update_fields=["hours", "mean", "highest", "highest_8h"],
        )
        for day, point_ids in by_day.items():
            Point.objects.filter(pk__in=point_ids).filter(
                Q(days_from__isnull=True) | Q(days_from__gt=day)
            ).update(days_from=day)
    return len(days)


def _by_hour(hours: dict[datetime.datetime, list], begin: datetime.datetime, n_hours: int) -> str:
    """``PointDay.by_hour`` of a day's data times (time → [every value valid, checked,
    exceeded]) from ``begin``, its midnight; empty when a time is off the whole hours."""
    own = [(0, 0, 0, 0)] * n_hours
    for time, (valid, checked, exceeded) in hours.items():
        index, rest = divmod(time - begin, HOUR)
        if rest or not 0 <= index < n_hours:
            return ""
        own[index] = (1, int(valid), checked, exceeded)
    figures, totals = [], [0, 0, 0, 0]
    for hour in own:
        totals = [total + figure for total, figure in zip(totals, hour, strict=True)]
        figures.extend(totals)
    return ",".join(map(str, figures))


def point_days_after_store(pairs: set[tuple[int, datetime.date]]) -> None:
    """The writer's call after a committed batch. A failure is logged, not raised: the
    uploads are stored and answered; the job counts the day again."""
    try:
        point_days_count(pairs)
    except Exception:
        log.exception("counting %d monitoring days failed", len(pairs))


def point_days_refresh(
    *, since: datetime.date, until: datetime.date | None = None, points=None
) -> int:
    """Count every day of [since, until] (default: until today) of ``points`` (default:
    all) again; the number of (point, day) rows written."""
    until = until or timezone.localdate()
    ids = list((points if points is not None else Point.objects.all()).values_list("pk", flat=True))
    counted = 0
    day = since
    while day <= until:
        for start in range(0, len(ids), POINTS_PER_QUERY):
            counted += point_days_count((pk, day) for pk in ids[start : start + POINTS_PER_QUERY])
        day += datetime.timedelta(days=1)
    return counted


def readings_prune(*, now: datetime.datetime | None = None, days: int | None = None,
                   batch: int = PRUNE_BATCH) -> dict:  # fmt: skip
    """Delete minute and real-time readings, and the packets of those uploads, older
    than ``days`` (ECOGOV_MONITORING_MINUTE_DAYS), ``batch`` rows per transaction. Hourly
    and daily readings and packets are never deleted. Nothing refers to a packet.

    On PostgreSQL, the month partitions that end before the cut-off are dropped instead,
    and only the DEFAULT partitions' expired rows are deleted: the rest of a month waits
    for the month to go (see ``partitions``). Returns the rows deleted, by table, and the
    names of the partitions dropped (``dropped``)."""
    days = settings.ECOGOV_MONITORING_MINUTE_DAYS if days is None else days
    before = (now or timezone.now()) - datetime.timedelta(days=days)
    if partitions.partitioned():
        dropped = partitions.partitions_drop(before=before)
        return {**partitions.defaults_prune(before=before, batch=batch), "dropped": dropped}
    deleted = {"readings": 0, "packets": 0, "dropped": []}
    # Point by point: the unique constraints begin with (point, period, time) and (point,
    # cn, data_time), so each batch is an index range, not a scan of the whole table.
    for point_id in Point.objects.values_list("pk", flat=True):
        deleted["readings"] += _delete_in_batches(
            Reading.objects.filter(
                point_id=point_id, period__in=SUBHOURLY_PERIODS, time__lt=before
            ),
            batch,
        )
        deleted["packets"] += _delete_in_batches(
            Packet.objects.filter(
                point_id=point_id, cn__in=SUBHOURLY_COMMANDS, data_time__lt=before
            ),
            batch,
        )
    return deleted


def _delete_in_batches(rows, batch: int) -> int:
    deleted = 0
    while True:
        with transaction.atomic():
            count, _ = rows.model.objects.filter(pk__in=rows.values("pk")[:batch]).delete()
        deleted += count
        if count < batch:
            return deleted
