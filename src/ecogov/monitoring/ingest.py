"""Storing what the data loggers send: packets, readings, and the alarms they raise.

``Ingestor`` is the one writer the HJ 212 server uses (the sample loader and the tests
use it too). It keeps what it needs per frame in memory: the registered points by MN
with their limits (reloaded by ``refresh``), and per point and pollutant the last few
hourly values, for the flat-line and missing-data checks. ``store`` writes a whole batch
of uploads in one transaction: an upload the server answers has been committed.

Duplicates (same point, command and data time) are stored once; a repeated upload is
acknowledged, and its readings and checks are not repeated.
"""

import contextlib
import datetime
import hmac
import logging
import operator
import zoneinfo
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max

from ecogov.domain import monitorchecks
from ecogov.domain.monitorchecks import Finding, Limits, above_range
from ecogov.monitoring.aggregates import point_days_after_store
from ecogov.monitoring.models import (
    Alarm,
    AlarmRule,
    Factor,
    Packet,
    Period,
    Point,
    Reading,
    Rejection,
)
from ecogov.standards import hj212, hj212_codes

log = logging.getLogger(__name__)

PERIODS = {"2011": Period.REALTIME, "2051": Period.MINUTE, "2061": Period.HOUR, "2031": Period.DAY}
# The value of a period's reading: the average, or the real-time value.
VALUE_FIELDS = ("Avg", "Rtd", "ZsAvg", "ZsRtd")
# HJ/T 212-2005 system codes → the medium of their old pollutant codes.
_OLD_MEDIUM = {"31": "air", "32": "water", "22": "air", "21": "water"}


class Upload(NamedTuple):
    """One authenticated upload (split packets already joined) in the plain values the
    writer needs: cheap to send to the server's writer process (``wire``; a parsed
    ``Packet`` costs several times as much to pickle). Made by ``Upload.of``."""

    point_id: int
    cn: str
    qn: str
    data_time: str | None  # DataTime as sent
    # Per pollutant with a value or a total (2005 codes translated), its texts as sent,
    # None where absent: (code, value, minimum, maximum, total (Cou), flag). Plain
    # tuples: they cost a fraction of named ones to send.
    readings: tuple[tuple[str, str | None, str | None, str | None, str | None, str], ...]
    raw: str  # the data segment(s) as received
    received_at: datetime.datetime

    @classmethod
    def of(
        cls, point_id: int, packet: hj212.Packet, received_at: datetime.datetime, raw=None
    ) -> "Upload":
        return cls(
            point_id, (packet.cn or "")[:4], (packet.qn or "")[:20], packet.data_time,
            readings_of(packet), packet.segment if raw is None else raw, received_at,
        )  # fmt: skip

    def wire(self) -> tuple:
        """To the writer process: plain values, the time in POSIX seconds. The event loop
        sends a message of a few uploads per turn, and a pickle pays a look-up per message
        for each class and time zone it names: 8.9 µs for a one-upload message of
        ``Upload``s, 1.2 µs as plain values."""
        return (*self[:6], self.received_at.timestamp())

    @classmethod
    def from_wire(cls, values: tuple) -> "Upload":
        *head, seconds = values
        return cls(*head, datetime.datetime.fromtimestamp(seconds, datetime.UTC))


@dataclass
class Refusal:
    received_at: datetime.datetime
    reason: str
    peer: str = ""
    mn: str = ""
    excerpt: str = ""


@dataclass
class PointInfo:
    id: int
    mn: str
    password: str
    active: bool
    key_source: bool
    limits: dict[str, Limits] = field(default_factory=dict)


@dataclass
class StoreReport:
    stored: int = 0
    duplicates: int = 0
    readings: int = 0
    rejected: int = 0
    alarms: int = 0  # alarms opened or extended
    case_candidates: list[int] = field(default_factory=list)
    # (point id, local date) of the hourly readings stored: their daily aggregates.
    days: set[tuple[int, datetime.date]] = field(default_factory=set)


_MICRO = Decimal("0.000001")  # the readings' six decimal places
_TOO_LARGE = Decimal(10**14)


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        number = Decimal(text)
    except ArithmeticError:
        return None
    if not number.is_finite() or abs(number) >= _TOO_LARGE:
        return None
    return number.quantize(_MICRO)


def readings_of(packet: hj212.Packet) -> tuple:
    """``Upload.readings`` of a packet: the pollutants with a value or a cumulative
    total, 2005 codes translated."""
    medium = _OLD_MEDIUM.get(packet.st or "") if packet.version == "2005" else None
    old = hj212_codes.OLD_CODES.get(medium, {}) if medium else {}
    sent = []
    for code, values in packet.pollutants.items():
        for name in VALUE_FIELDS:
            value = values.get(name)
            if value is not None:
                break
        total = values.get("Cou")
        if value is None and total is None:
            continue
        sent.append((old.get(code, code)[:16], value, values.get("Min"), values.get("Max"), total,
                     values.get("Flag", "N")[:4]))  # fmt: skip
    return tuple(sent)


NO_LIMITS = Limits()
_TIME = operator.itemgetter(2)  # of an Hourly


class Hourly(NamedTuple):
    """A reading as the checks see it (not a model instance: those are costly to build)."""

    point_id: int
    code: str
    time: datetime.datetime
    value: Decimal | None
    flag: str
    valid: bool
    exceeded: bool | None
    total: Decimal | None  # the hour's amount (Cou)


def _insert(model, fields: tuple[str, ...], rows: list[tuple], *, returning=()) -> list[tuple]:
    """INSERT … ON CONFLICT DO NOTHING (SQLite ≥ 3.35, PostgreSQL): a repeat is skipped.
    Returns the ``returning`` columns of the rows inserted (none unless asked).

    One statement per batch where the database allows it: on PostgreSQL the columns go
    as arrays through ``unnest``, bound by the server (Django's cursor quotes every value
    in Python, which costs more than the insert itself); on SQLite ``executemany``
    steps one prepared statement, or, to learn what was inserted, multi-row VALUES."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    model_fields = [model._meta.get_field(name) for name in fields]
    columns = ", ".join(quote(f.column) for f in model_fields)
    back = (
        " RETURNING " + ", ".join(quote(model._meta.get_field(n).column) for n in returning)
        if returning
        else ""
    )
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%b::{f.db_type(connection)}[]" for f in model_fields)
        with _server_cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) "
                f"ON CONFLICT DO NOTHING{back}",
                [list(column) for column in zip(*rows, strict=True)],
            )
            return cursor.fetchall() if returning else []
    marks = f"({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        if not returning:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES {marks} ON CONFLICT DO NOTHING", rows
            )
            return []
        inserted = []
        for chunk in _chunks(rows, len(fields)):
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([marks] * len(chunk))} "
                f"ON CONFLICT DO NOTHING{back}",
                [value for row in chunk for value in row],
            )
            inserted += cursor.fetchall()
        return inserted


def _chunks(rows: list, per_row: int, *, spare: int = 0):
    """``rows`` in pieces whose parameters stay within the database's limit (SQLite: 999
    as Django counts; PostgreSQL: none, one piece); ``spare`` parameters more per query."""
    limit = connection.features.max_query_params
    size = max(1, (limit - spare) // per_row) if limit else max(len(rows), 1)
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


@contextlib.contextmanager
def _server_cursor():
    """PostgreSQL: a cursor whose parameters the server binds (arrays go as arrays), in
    the transaction of Django's connection, and whose statements are prepared once per
    connection: the writer runs the same few statements for every batch, and planning
    them again cost more than running them when batches are small. (Django leaves its own
    statements unprepared, for the sake of connection poolers: the writer prepares only
    these, and only while it runs them. Behind PgBouncer in transaction mode that needs
    its ``max_prepared_statements``, 1.21 and later.)"""
    import psycopg  # the PostgreSQL driver; not needed on SQLite

    connection.ensure_connection()
    raw = connection.connection
    threshold = raw.prepare_threshold
    raw.prepare_threshold = 0
    try:
        with psycopg.Cursor(raw) as cursor:
            yield cursor
    finally:
        raw.prepare_threshold = threshold


def _digest(*querysets) -> str | None:
    """PostgreSQL: a digest of the rows of ``querysets``, computed by the database.

    The HJ 212 server reads the catalogue every minute (and when an unknown MN calls),
    and it rarely changes: building it again holds the server's event loop up (its
    thread takes turns with the event loop on the GIL), at 50,000 points for seconds, and
    the loggers' answers with it. (SQLite installs are small: None, always rebuilt.)"""
    if connection.vendor != "postgresql":
        return None
    parts, params = [], []
    for queryset in querysets:
        sql, values = queryset.query.sql_with_params()
        parts.append(f"(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) "
                     f"FROM ({sql}) AS t)")  # fmt: skip
        params += values
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " || ".join(parts), params)
        return cursor.fetchone()[0]


def _lock_points(point_ids: list[int]) -> None:
    """PostgreSQL: lock the batch's points, in the order of their ids, until the commit.

    Several servers may write for one point at once (a logger that moved to another
    server and resends, two loggers of one MN): the alarms of a point are read, then
    extended or opened, and the missing-data check reads the point's last hour. Holding
    the point's row serialises those steps per point across servers, and taking the
    locks in one order means two batches never wait for each other in a circle.
    (SQLite lets one writer at a time in: nothing to do.) ``FOR NO KEY UPDATE`` does not
    block the readings' foreign-key checks, only other writers of the same point."""
    if connection.vendor != "postgresql" or not point_ids:
        return
    table = connection.ops.quote_name(Point._meta.db_table)
    with _server_cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE id = ANY(%s::bigint[]) ORDER BY id FOR NO KEY UPDATE",
            [point_ids],
        )


def _last_hour_before(point_id: int, time: datetime.datetime) -> datetime.datetime | None:
    """The latest hourly data time stored for a point before ``time``, by any writer."""
    return (
        Reading.objects.filter(point_id=point_id, period=Period.HOUR, time__lt=time)
        .order_by("-time")
        .values_list("time", flat=True)
        .first()
    )


class _Moments:
    """Times of one batch as the database takes them, each converted once (uploads share
    their hours): on SQLite the text stored, on PostgreSQL the aware datetime."""

    def __init__(self):
        self._db: dict[datetime.datetime, object] = {}
        self.adapt = connection.ops.adapt_datetimefield_value

    def db(self, moment: datetime.datetime | None):
        if moment is None:
            return None
        value = self._db.get(moment)
        if value is None:
            value = self._db[moment] = self.adapt(moment)
        return value


class Ingestor:
    def __init__(self, *, flat_hours=None, missing_hours=None, merge_hours=None):
        self.flat_hours = flat_hours or settings.ECOGOV_MONITORING_FLAT_HOURS
        self.missing_hours = missing_hours or settings.ECOGOV_MONITORING_MISSING_HOURS
        self.merge_window = datetime.timedelta(
            hours=merge_hours or settings.ECOGOV_MONITORING_MERGE_HOURS
        )
        self.points: dict[str, PointInfo] = {}
        self._by_id: dict[int, PointInfo] = {}
        self._key_sources: set[int] = set()
        # (point id, code) → the last valid hourly values, oldest first.
        self._recent: dict[tuple[int, str], deque] = {}
        # point id → the latest hourly data time seen.
        self._last_hour: dict[int, datetime.datetime | None] = {}
        # DataTime text → local time: loggers send the same few hours over and over.
        self._times: dict[str, datetime.datetime | None] = {}
        self._zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)  # the loggers' clocks
        self._digest: str | None = None  # of the catalogue as last loaded (PostgreSQL)

    # --- the catalogue ----------------------------------------------------------------

    def refresh(self) -> bool:
        """Reload the registered points and their limits (new points, changed limits);
        whether anything changed."""
        point_rows = Point.objects.values_list("pk", "mn", "password", "active", "source__key")
        factor_rows = Factor.objects.values_list(
            "point_id", "code", "limit", "range_max", "rate_limit"
        )
        digest = _digest(point_rows, factor_rows)
        if digest is not None and digest == self._digest:
            return False
        points = {
            mn: PointInfo(pk, mn, password, active, bool(key))
            for pk, mn, password, active, key in point_rows
        }
        by_id = {info.id: info for info in points.values()}
        for point_id, code, limit, range_max, rate_limit in factor_rows:
            if point_id in by_id:
                by_id[point_id].limits[code] = Limits(limit, range_max, rate_limit)
        changed = points != self.points
        self._digest = digest
        self.points, self._by_id = points, by_id
        self._key_sources = {info.id for info in by_id.values() if info.key_source}
        return changed

    def authenticate(self, mn: str | None, pw: str | None) -> tuple[PointInfo | None, str]:
        """The point of an upload, or None and why it is refused."""
        info = self.points.get(mn or "")
        if info is None:
            return None, f"unknown MN {mn!r}"
        if not info.active:
            return None, f"MN {mn} is not active"
        if not hmac.compare_digest((pw or "").encode(), info.password.encode()):
            return None, f"wrong PW for MN {mn}"
        return info, ""

    # --- storing ----------------------------------------------------------------------

    def store(self, uploads: Sequence[Upload], refusals: Iterable[Refusal] = ()) -> StoreReport:
        """Write a batch in one transaction; returns what was stored and raised."""
        report = StoreReport()
        refusals = list(refusals)
        with transaction.atomic():
            if refusals:
                Rejection.objects.bulk_create(
                    Rejection(
                        received_at=r.received_at, reason=r.reason[:300], peer=r.peer[:64],
                        mn=r.mn[:32], excerpt=r.excerpt[:200],
                    )
                    for r in refusals
                )  # fmt: skip
                report.rejected = len(refusals)
            if uploads:
                _lock_points(sorted({upload.point_id for upload in uploads}))
                moments = _Moments()
                fresh = self._new_uploads(uploads, report, moments)
                if fresh:
                    self._write(fresh, report, moments)
        if report.days:
            point_days_after_store(report.days)
        return report

    def _local_time(self, text: str | None) -> datetime.datetime | None:
        """DataTime (the logger's local clock, Beijing time) as an aware datetime."""
        if text is None:
            return None
        try:
            return self._times[text]
        except KeyError:
            if len(self._times) > 10_000:
                self._times.clear()
            moment = hj212.data_datetime(text)
            local = self._times[text] = moment and moment.replace(tzinfo=self._zone)
            return local

    def _new_uploads(self, uploads: Sequence[Upload], report: StoreReport, moments) -> list:
        """Store the packets not stored before; the uploads whose packet was new, each
        with its local data time.

        The unique constraint decides (INSERT … ON CONFLICT DO NOTHING RETURNING): one
        statement, no separate look-up, and no race with another writer."""
        keyed = []
        rows = []
        seen = set()
        db = moments.db
        for upload in uploads:
            time = self._local_time(upload.data_time)
            stored_time = db(time)
            if time is not None:
                key = (upload.point_id, upload.cn, stored_time)
                if key in seen:
                    report.duplicates += 1
                    continue
                seen.add(key)
            keyed.append((upload, time, stored_time))
            rows.append((upload.point_id, upload.cn, upload.qn, stored_time,
                         db(upload.received_at), upload.raw))  # fmt: skip
        inserted = _insert(
            Packet, ("point", "cn", "qn", "data_time", "received_at", "raw"), rows,
            returning=("point", "cn", "data_time"),
        )  # fmt: skip
        if connection.vendor == "sqlite":  # read back as naive datetimes, stored as text
            inserted = [(point_id, cn, time and str(time)) for point_id, cn, time in inserted]
        new = set(inserted)
        fresh = [
            (upload, time)
            for upload, time, stored_time in keyed
            if time is None or (upload.point_id, upload.cn, stored_time) in new
        ]
        report.duplicates += len(keyed) - len(fresh)
        return fresh

    def _write(self, fresh: list, report: StoreReport, moments) -> None:
        # Plain INSERTs: building model instances and compiling them cost several times
        # the database's own work at thousands of uploads a second. This loop runs for
        # every value that arrives: keep it lean.
        report.stored = len(fresh)
        rows = []
        hourly = []
        valid_flags = hj212_codes.VALID_FLAGS
        for upload, time in fresh:
            period = PERIODS.get(upload.cn)
            if period is None or time is None:
                continue
            point_id = upload.point_id
            info = self._by_id.get(point_id)
            limits = info.limits if info else {}
            stored_time = moments.db(time)
            hour = period == Period.HOUR
            if hour:
                report.days.add((point_id, time.date()))  # the loggers' clock: local
            for code, sent, minimum, maximum, total, flag in upload.readings:
                value = _decimal(sent)
                if value is None and total is None:
                    continue  # an unreadable value and no total: not a reading
                valid = value is not None and flag in valid_flags
                factor = limits.get(code, NO_LIMITS)
                limit = factor.limit if valid else None
                exceeded = value > limit if limit is not None else None
                if exceeded is False and above_range(value, factor):
                    exceeded = None  # its true value is not known: not proof of compliance
                amount = _decimal(total)
                rows.append((point_id, code, period, stored_time, value, _decimal(minimum),
                             _decimal(maximum), amount, flag, valid, exceeded))  # fmt: skip
                if hour:
                    hourly.append(
                        Hourly(point_id, code, time, value, flag, valid, exceeded, amount)
                    )
        if hourly:
            self._seed_last_hours({r.point_id for r in hourly})
        _insert(
            Reading,
            ("point", "code", "period", "time", "value", "minimum", "maximum", "total", "flag",
             "valid", "exceeded"),
            rows,
        )  # fmt: skip
        report.readings = len(rows)
        self._mark_seen(fresh, moments)
        if hourly:
            self._check(hourly, report)

    def _mark_seen(self, fresh: list, moments) -> None:
        """Point.last_seen and last_data_time, moved forward only: one statement a batch."""
        latest: dict[int, list] = {}
        for upload, time in fresh:
            moment = latest.setdefault(upload.point_id, [upload.received_at, time])
            if upload.received_at > moment[0]:
                moment[0] = upload.received_at
            if time is not None and (moment[1] is None or time > moment[1]):
                moment[1] = time
        table = connection.ops.quote_name(Point._meta.db_table)
        # CASE rather than GREATEST (PostgreSQL) or max() (SQLite): one text for both.
        newer = (
            "CASE WHEN v.{0} IS NOT NULL AND ({1} IS NULL OR {1} < v.{0}) THEN v.{0} ELSE {1} END"
        )
        update = (
            f"UPDATE {table} SET last_seen = {newer.format('column2', 'last_seen')}, "
            f"last_data_time = {newer.format('column3', 'last_data_time')} "
            "FROM {source} WHERE " + f"{table}.id = v.column1"
        )
        rows = [(pk, moments.db(seen), moments.db(time)) for pk, (seen, time) in latest.items()]
        if connection.vendor == "postgresql":
            with _server_cursor() as cursor:  # typed arrays: a NULL column is still a time
                cursor.execute(
                    update.format(
                        source="unnest(%b::bigint[], %b::timestamptz[], %b::timestamptz[]) "
                        "AS v (column1, column2, column3)"
                    ),
                    [list(column) for column in zip(*rows, strict=True)],
                )
            return
        with connection.cursor() as cursor:
            for chunk in _chunks(rows, 3):
                cursor.execute(
                    update.format(
                        source=f"(VALUES {', '.join(['(%s, %s, %s)'] * len(chunk))}) AS v"
                    ),
                    [value for row in chunk for value in row],
                )

    # --- checks and alarms ------------------------------------------------------------

    def _seed_last_hours(self, point_ids: set[int]) -> None:
        """The latest hourly data time stored for points seen for the first time; read
        before the batch is written, so that a gap is measured from what was there."""
        new_points = point_ids - self._last_hour.keys()
        if not new_points:
            return
        latest = dict(
            Reading.objects.filter(period=Period.HOUR, point_id__in=new_points)
            .values("point_id")
            .annotate(latest=Max("time"))
            .values_list("point_id", "latest")
        )
        for point_id in new_points:
            self._last_hour[point_id] = latest.get(point_id)

    def _history(self, readings: list[Hourly]) -> None:
        """Load the recent hourly values of pairs seen for the first time (``readings`` in
        time order)."""
        recent = self._recent
        missing = {pair for r in readings if (pair := (r[0], r[1])) not in recent}
        if not missing:
            return
        first = readings[0].time  # they are in time order
        rows = (
            Reading.objects.filter(
                period=Period.HOUR,
                point_id__in={p for p, _ in missing},
                time__gte=first - monitorchecks.HOUR * self.flat_hours,
                time__lt=first,
                valid=True,
            )
            .order_by("time")
            .values_list("point_id", "code", "time", "value")
        )
        for pair in missing:
            self._recent[pair] = deque(maxlen=self.flat_hours)
        for point_id, code, time, value in rows:
            if (point_id, code) in missing:
                self._recent[(point_id, code)].append((time, value))

    def _check(self, hourly: list[Hourly], report: StoreReport) -> None:
        hourly.sort(key=_TIME)
        self._history(hourly)
        findings: list[tuple[int, Finding]] = []
        times_by_point: dict[int, set[datetime.datetime]] = {}
        # (point, code, kind) back within a limit: the alarm of that kind ends
        compliant: set[tuple[int, str, str]] = set()
        check_hour, flat_hours = monitorchecks.check_hour, self.flat_hours
        rate_exceeded = monitorchecks.rate_exceeded
        for point_id, code, time, value, flag, valid, exceeded, total in hourly:
            times = times_by_point.get(point_id)
            if times is None:
                times = times_by_point[point_id] = set()
            times.add(time)
            if value is None:
                continue  # a total alone: nothing to check
            if exceeded is False:  # (valid, with a limit, within the instrument's range)
                compliant.add((point_id, code, monitorchecks.EXCEEDANCE))
            info = self._by_id.get(point_id)
            limits = info.limits.get(code, NO_LIMITS) if info else NO_LIMITS
            if (
                limits.rate_limit is not None
                and rate_exceeded(total, valid, limits) is False
                and not above_range(value, limits)  # the amount derives from the value
            ):
                compliant.add((point_id, code, monitorchecks.RATE))
            recent = self._recent[(point_id, code)]
            in_order = not recent or recent[-1][0] < time  # as it nearly always is
            previous = recent if in_order else [item for item in recent if item[0] < time]
            for finding in check_hour(
                code, time, value, flag=flag, valid=valid, limits=limits, previous=previous,
                flat_hours=flat_hours, total=total,
            ):  # fmt: skip
                findings.append((point_id, finding))
            if valid and in_order:
                recent.append((time, value))
        for point_id, times in times_by_point.items():
            for time in sorted(times):
                last = self._last_hour.get(point_id)
                if last is not None and time <= last:
                    continue  # a late or repeated hour fills a gap, it opens none
                hole = monitorchecks.gap(last, time, missing_hours=self.missing_hours)
                if hole is not None:
                    # Memory knows what this writer stored; another server may have
                    # stored the hours between (a logger that moved to it and back).
                    last = _last_hour_before(point_id, time)
                    hole = monitorchecks.gap(last, time, missing_hours=self.missing_hours)
                if hole is not None:
                    findings.append((point_id, hole))
                self._last_hour[point_id] = time
        raise_alarms(findings, compliant=compliant, resumed=set(times_by_point),
                     window=self.merge_window, report=report,
                     key_sources=self._key_sources)  # fmt: skip


def case_threshold(kind: str) -> int:
    """Occurrences (hours) after which an alarm becomes a case."""
    if kind == monitorchecks.MISSING:
        return settings.ECOGOV_MONITORING_CASE_AFTER_MISSING
    return settings.ECOGOV_MONITORING_CASE_AFTER


def raise_alarms(
    findings: list[tuple[int, Finding]],
    *,
    window: datetime.timedelta,
    report: StoreReport,
    compliant: set[tuple[int, str, str]] = frozenset(),
    resumed: set[int] = frozenset(),
    key_sources: set[int] = frozenset(),
) -> None:
    """Open alarms for findings, or extend the alarm of the same point, pollutant and
    kind whose last occurrence lies within ``window``. Close the alarms of ``compliant``
    (point, pollutant, kind: back within the concentration or mass-rate limit) and the
    missing-data alarms of points whose data has resumed. A missing-data alarm counts
    the hours missing. At most one alarm of a point, pollutant and kind is open: one
    that opens closes the one before.

    Several writers may do this at once (servers, the silence scan): the alarms are
    locked as they are read, and the database keeps one open alarm per key
    (``alarm_one_open``). A writer that lost the race to open one (its insert refused)
    reads again, in a savepoint, and extends the alarm the other writer opened."""
    for attempt in range(_ALARM_ATTEMPTS):
        try:
            with transaction.atomic():
                return _raise_alarms(
                    findings, window=window, report=report, compliant=compliant,
                    resumed=resumed, key_sources=key_sources,
                )  # fmt: skip
        except IntegrityError:
            if attempt == _ALARM_ATTEMPTS - 1:
                raise
            log.info("an alarm was opened by another writer meanwhile: read again")


_ALARM_ATTEMPTS = 3


def _raise_alarms(
    findings: list[tuple[int, Finding]],
    *,
    window: datetime.timedelta,
    report: StoreReport,
    compliant: set[tuple[int, str, str]],
    resumed: set[int],
    key_sources: set[int],
) -> None:
    points = {point_id for point_id, _ in findings} | {p for p, _, _ in compliant} | set(resumed)
    if not points:
        return
    latest: dict[tuple[int, str, str], Alarm] = {}
    # Every open alarm of a key, not only its latest: a gap that opens a new missing-data
    # alarm must not leave an older one open when the data resume.
    still_open: dict[tuple[int, str, str], list[Alarm]] = defaultdict(list)
    # Open alarms, and closed ones a finding may still merge into: not the whole history.
    # Nearly every batch has compliant values and resumed points, and nearly none has an
    # open alarm for them: a plain query for the keys first, the alarms only when needed.
    since = min(f.time for _, f in findings) - window if findings else None
    ids = []
    if keys := _alarm_keys(sorted(points), since):
        wanted = {(p, f.code, f.kind) for p, f in findings}
        wanted |= compliant
        wanted |= {(p, "", monitorchecks.MISSING) for p in resumed}
        ids = [pk for pk, *key in keys if tuple(key) in wanted]
    if ids:
        # Locked (in the order of their ids, as every writer locks them) and read as
        # they are now: another writer may have extended or closed them since.
        locked = Alarm.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        for alarm in sorted(locked, key=lambda a: (a.last_time, a.pk)):
            latest[(alarm.point_id, alarm.code, alarm.kind)] = alarm
            if alarm.state == Alarm.State.OPEN:
                still_open[(alarm.point_id, alarm.code, alarm.kind)].append(alarm)
    rules = list(AlarmRule.objects.all()) if findings else []
    touched: dict[int, Alarm] = {}
    for point_id, finding in sorted(findings, key=lambda item: item[1].time):
        key = (point_id, finding.code, finding.kind)
        alarm = latest.get(key)
        missing = finding.kind == monitorchecks.MISSING
        hours = int(finding.value) if missing else 1
        if (
            alarm is not None
            and finding.time - alarm.last_time <= window
            and (alarm.case_id is None or alarm.state == Alarm.State.OPEN)
        ):
            if missing and finding.time == alarm.first_time:
                alarm.count = max(alarm.count, hours)  # the same gap, seen again
            else:
                alarm.count += hours
            if finding.time > alarm.last_time:
                alarm.last_time = finding.time
            if alarm.state != Alarm.State.OPEN:
                _close_others(still_open[key], alarm)
                alarm.state = Alarm.State.OPEN
            if (
                not missing
                and finding.value is not None
                and (alarm.worst is None or finding.value > alarm.worst)
            ):
                alarm.worst = finding.value
        else:
            _close_others([*still_open[key], *([alarm] if alarm else [])], None)
            alarm = Alarm(
                point_id=point_id, code=finding.code, kind=finding.kind,
                first_time=finding.time, last_time=finding.time, count=hours,
                worst=None if missing else finding.value, limit=finding.limit,
            )  # fmt: skip
            latest[key] = alarm
            still_open[key].append(alarm)
        if missing:
            alarm.last_time = max(alarm.last_time, finding.time + monitorchecks.HOUR * (hours - 1))
        alarm.serious = alarm.serious or _serious(alarm, rules, point_id in key_sources)
        alarm.save()
        touched[alarm.pk] = alarm
    closing = [*compliant, *((p, "", monitorchecks.MISSING) for p in resumed)]
    for key in closing:
        alarms = {a.pk: a for a in (*still_open.get(key, ()), latest.get(key)) if a is not None}
        for alarm in alarms.values():
            if alarm.state != Alarm.State.OPEN:
                continue
            if alarm.kind != monitorchecks.MISSING and alarm.pk in touched:
                continue  # over the limit again in this very batch
            alarm.state = Alarm.State.CLOSED
            alarm.save(update_fields=["state"])
    report.alarms += len(touched)
    report.case_candidates += [
        pk
        for pk, alarm in touched.items()
        if alarm.case_id is None and (alarm.serious or alarm.count >= case_threshold(alarm.kind))
    ]


def _close_others(alarms: list[Alarm], keep: Alarm | None) -> None:
    """Close the open alarms of a key but ``keep``, before another opens: a new episode
    (beyond the merge window, or after a closed alarm that became a case) ends the last."""
    for alarm in alarms:
        if alarm is not keep and alarm.pk is not None and alarm.state == Alarm.State.OPEN:
            alarm.state = Alarm.State.CLOSED
            alarm.save(update_fields=["state"])


def _alarm_keys(points: list[int], since: datetime.datetime | None) -> list[tuple]:
    """(id, point, code, kind) of the open alarms of these points, and of those whose last
    occurrence is ``since`` or later."""
    table = connection.ops.quote_name(Alarm._meta.db_table)
    recent = " OR last_time >= %s" if since is not None else ""
    if connection.vendor == "postgresql":  # one statement text whatever the points
        with _server_cursor() as cursor:
            cursor.execute(
                f"SELECT id, point_id, code, kind FROM {table} "
                f"WHERE point_id = ANY(%s::bigint[]) AND (state = %s{recent})",
                [points, Alarm.State.OPEN.value] + ([since] if since is not None else []),
            )
            return cursor.fetchall()
    keys = []
    with connection.cursor() as cursor:
        for chunk in _chunks(points, 1, spare=2):
            cursor.execute(
                f"SELECT id, point_id, code, kind FROM {table} WHERE point_id IN "
                f"({', '.join(['%s'] * len(chunk))}) AND (state = %s{recent})",
                [*chunk, Alarm.State.OPEN.value]
                + ([connection.ops.adapt_datetimefield_value(since)] if since else []),
            )
            keys += cursor.fetchall()
    return keys


def _serious(alarm: Alarm, rules: list[AlarmRule], key_source: bool) -> bool:
    for rule in rules:
        if rule.kind != alarm.kind or (rule.code and rule.code != alarm.code):
            continue
        if rule.key_sources_only and not key_source:
            continue
        if rule.ratio is not None:
            ratio = monitorchecks.exceedance_ratio(alarm.worst, alarm.limit)
            if ratio is None or ratio < rule.ratio:
                continue
        return True
    return False
