"""Online monitoring: the points that report over HJ 212, what they report, and what it means.

A monitoring point (监测点位) is one data logger, known by its MN and password: an outlet
of a pollution source, an air quality station or a river section (seed 001: online
monitoring of key enterprises, compliance ≥ 96 %; seed 004: 六一桥入湟断面 Class III, the
PM2.5 annual mean). ``Packet`` keeps every accepted upload as it arrived; ``Reading`` is one
pollutant's value of one period (real-time, minute, hour, day) taken from it, with its data
flag, whether the flag makes it valid for statistics, and whether it exceeded the point's
limit at the time. ``Alarm`` is an exceedance or an anomaly, merged while it persists, and
the case it became.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecogov.labels import ChoiceLabels


class Point(models.Model):
    class Kind(models.TextChoices):
        SOURCE = "source", _("pollution source outlet")
        AIR_STATION = "air_station", _("air quality station")
        WATER_SECTION = "water_section", _("river section")

    class Waterbody(models.TextChoices):
        RIVER = "river", _("river")
        LAKE = "lake", _("lake or reservoir")

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="monitoring_points",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    mn = models.CharField(_("MN (device code)"), max_length=32, unique=True)
    # HJ 212 sends PW in clear text in every frame: it identifies a logger, it is not a
    # user's password. It is never shown on pages or in the API.
    password = models.CharField(_("access password (PW)"), max_length=64)
    source = models.ForeignKey(
        "sources.Source",
        verbose_name=_("pollution source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monitoring_points",
    )
    grid = models.ForeignKey(
        "grid.Grid",
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="monitoring_points",
    )
    waterbody = models.CharField(
        _("waterbody"), max_length=8, choices=Waterbody.choices, default=Waterbody.RIVER
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    # Updated by the ingestion server with each stored batch.
    last_seen = models.DateTimeField(_("last data received"), null=True, blank=True)
    last_data_time = models.DateTimeField(_("latest data time"), null=True, blank=True)
    # The first day with daily aggregates (``PointDay``): before it, and for a point
    # without any, the figures are read from the raw readings without asking for them.
    days_from = models.DateField(_("daily figures from"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("monitoring point")
        verbose_name_plural = _("monitoring points")
        ordering = ["jurisdiction", "kind", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("monitoring_point", args=[self.pk])


class Factor(models.Model):
    """A pollutant a point reports, with its emission limit where one applies."""

    point = models.ForeignKey(
        Point, verbose_name=_("monitoring point"), on_delete=models.CASCADE, related_name="factors"
    )
    code = models.CharField(_("pollutant code"), max_length=16)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    limit = models.DecimalField(
        _("concentration limit"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    rate_limit = models.DecimalField(
        _("mass rate limit"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    standard = models.CharField(_("standard of the limit"), max_length=200, blank=True)
    # The instrument's upper range: a value above it is an anomaly, not a measurement.
    range_max = models.DecimalField(
        _("instrument range"), max_digits=14, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("monitored pollutant")
        verbose_name_plural = _("monitored pollutants")
        ordering = ["point", "code"]
        constraints = [models.UniqueConstraint(fields=["point", "code"], name="factor_unique")]

    def __str__(self):
        return f"{self.point} {self.code}"


class Period(models.TextChoices):
    REALTIME = "rtd", _("real-time")
    MINUTE = "minute", _("minute")
    HOUR = "hour", _("hourly")
    DAY = "day", _("daily")


class Packet(models.Model):
    """An accepted upload as it arrived (split packets reassembled), stored once.

    On PostgreSQL the table is partitioned by command and month (``partitions``): the
    unique constraint holds across the partitions, the primary key is each partition's.
    """

    point = models.ForeignKey(
        Point,
        verbose_name=_("monitoring point"),
        on_delete=models.PROTECT,
        related_name="packets",
        # No index of its own: the unique constraint below begins with the point and serves
        # every look-up by point; one index less to update on each insert.
        db_index=False,
    )
    cn = models.CharField(_("command"), max_length=4)
    qn = models.CharField(_("request code"), max_length=20, blank=True)
    data_time = models.DateTimeField(_("data time"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))
    raw = models.TextField(_("frame"))

    class Meta:
        verbose_name = _("packet")
        verbose_name_plural = _("packets")
        constraints = [
            models.UniqueConstraint(
                fields=["point", "cn", "data_time"], name="packet_unique_upload"
            )
        ]
        indexes = [models.Index(fields=["received_at"], name="packet_received")]

    def __str__(self):
        return f"{self.point_id} CN={self.cn} {self.data_time}"


class Reading(models.Model):
    """One pollutant's value of one period. On PostgreSQL the table is partitioned by
    period and month (``partitions``), and its primary key there is (id, period, time)."""

    point = models.ForeignKey(
        Point,
        verbose_name=_("monitoring point"),
        on_delete=models.PROTECT,
        related_name="readings",
        # No index of its own: the unique constraint below begins with the point and serves
        # every look-up by point; one index less to update on each insert.
        db_index=False,
    )
    code = models.CharField(_("pollutant code"), max_length=16)
    period = models.CharField(_("period"), max_length=6, choices=Period.choices)
    time = models.DateTimeField(_("data time"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6, null=True)
    minimum = models.DecimalField(_("minimum"), max_digits=20, decimal_places=6, null=True)
    maximum = models.DecimalField(_("maximum"), max_digits=20, decimal_places=6, null=True)
    total = models.DecimalField(_("cumulative"), max_digits=20, decimal_places=6, null=True)
    flag = models.CharField(_("data flag"), max_length=4, blank=True)
    valid = models.BooleanField(_("valid for statistics"))
    # Against the point's limit when the value arrived; None where there is no limit.
    exceeded = models.BooleanField(_("over the limit"), null=True)

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        constraints = [
            models.UniqueConstraint(
                fields=["point", "period", "time", "code"], name="reading_unique"
            )
        ]

    def __str__(self):
        return f"{self.point_id} {self.code} {self.period} {self.time}: {self.value}"


class PointDay(models.Model):
    """What a point's hourly readings of one local day add up to, for the rates.

    Kept by ``ecogov.monitoring.aggregates`` as data arrive (and by a job for late data):
    ``stats`` reads these for whole days, and their hours (``by_hour``) for the days a
    window cuts.
    A row also says the day has been counted: a day without one is read from the raw
    readings (data stored before aggregates existed, or by other means).
    """

    point = models.ForeignKey(
        Point,
        verbose_name=_("monitoring point"),
        on_delete=models.CASCADE,
        related_name="days",
        db_index=False,  # the unique constraint begins with the point
    )
    date = models.DateField(_("date"))
    received = models.PositiveIntegerField(_("hours received"), default=0)
    valid_hours = models.PositiveIntegerField(_("valid hours"), default=0)
    checked = models.PositiveIntegerField(_("valid pollutant-hours with a limit"), default=0)
    exceeded = models.PositiveIntegerField(_("pollutant-hours over the limit"), default=0)
    first_time = models.DateTimeField(_("first hour"), null=True)
    counted_at = models.DateTimeField(_("counted at"))
    # The same figures up to the end of each hour from the local midnight, four numbers
    # an hour as text: "received,valid_hours,checked,exceeded,…" (the last four are the
    # day's), so that a window that begins or ends inside the day takes its part of the
    # day without reading the raw readings. Empty for a day with a data time off the whole
    # hours, or counted before this existed: where a window cuts it, it is read raw.
    by_hour = models.TextField(_("hour by hour"), blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("monitoring day")
        verbose_name_plural = _("monitoring days")
        constraints = [models.UniqueConstraint(fields=["point", "date"], name="point_day_unique")]

    def __str__(self):
        return f"{self.point_id} {self.date}"


class PointDayValue(models.Model):
    """A pollutant's valid hourly values of one local day: what daily means, the daily
    AQI and water classes need (GB 3095's 24-hour mean, HJ 633's O3 maxima)."""

    point = models.ForeignKey(
        Point,
        verbose_name=_("monitoring point"),
        on_delete=models.CASCADE,
        related_name="day_values",
        db_index=False,  # the unique constraint begins with the point
    )
    date = models.DateField(_("date"))
    code = models.CharField(_("pollutant code"), max_length=16)
    hours = models.PositiveIntegerField(_("valid hours"))
    # The mean of the valid values as ``stats.daily_means`` rounds it (0.001).
    mean = models.DecimalField(_("mean"), max_digits=20, decimal_places=3)
    highest = models.DecimalField(_("highest hourly value"), max_digits=20, decimal_places=6)
    # The highest 8-hour running mean (windows ending 07:00–23:00 lie within the day).
    highest_8h = models.DecimalField(
        _("highest 8-hour mean"), max_digits=20, decimal_places=1, null=True
    )

    class Meta:
        verbose_name = _("daily value")
        verbose_name_plural = _("daily values")
        constraints = [
            models.UniqueConstraint(fields=["point", "date", "code"], name="point_day_value_unique")
        ]

    def __str__(self):
        return f"{self.point_id} {self.date} {self.code}: {self.mean}"


class Rejection(models.Model):
    """A frame the server refused: unreadable, unknown MN, wrong password."""

    received_at = models.DateTimeField(_("received at"))
    peer = models.CharField(_("sender"), max_length=64, blank=True)
    mn = models.CharField(_("MN (device code)"), max_length=32, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    excerpt = models.CharField(_("frame excerpt"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("rejected frame")
        verbose_name_plural = _("rejected frames")
        indexes = [models.Index(fields=["received_at"], name="rejection_received")]

    def __str__(self):
        return f"{self.received_at} {self.peer} {self.reason}"


class Alarm(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        EXCEEDANCE = "exceedance", _("exceedance")
        RATE = "rate", _("mass rate over the limit")
        NEGATIVE = "negative", _("negative value")
        OUT_OF_RANGE = "range", _("outside the instrument range")
        FLAT = "flat", _("flat line")
        MISSING = "missing", _("missing data")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    # A value above a limit (超标): the concentration's or the mass rate's.
    OVER_LIMIT = (Kind.EXCEEDANCE, Kind.RATE)
    # Serious as the pages count it (``grave``), as a query.
    GRAVE = models.Q(serious=True) | models.Q(case__isnull=False)

    point = models.ForeignKey(
        Point, verbose_name=_("monitoring point"), on_delete=models.PROTECT, related_name="alarms"
    )
    code = models.CharField(_("pollutant code"), max_length=16, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    first_time = models.DateTimeField(_("from"))
    last_time = models.DateTimeField(_("until"))
    count = models.PositiveIntegerField(_("occurrences"), default=1)
    worst = models.DecimalField(_("worst value"), max_digits=20, decimal_places=6, null=True)
    limit = models.DecimalField(_("limit"), max_digits=14, decimal_places=4, null=True)
    serious = models.BooleanField(_("serious"), default=False)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alarms",
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        ordering = ["-last_time"]
        indexes = [models.Index(fields=["point", "state", "kind", "code"], name="alarm_lookup")]
        constraints = [
            # Several HJ 212 servers and the silence scan write alarms at once: the
            # database, not a read before the insert, keeps one open alarm per key.
            models.UniqueConstraint(
                fields=["point", "code", "kind"],
                condition=models.Q(state="open"),
                name="alarm_one_open",
            )
        ]

    def __str__(self):
        return f"{self.point} {self.get_kind_display()} {self.code}"

    def get_absolute_url(self):
        return reverse("monitoring_alarm", args=[self.pk])

    @property
    def over_limit(self) -> bool:
        return self.kind in self.OVER_LIMIT

    @property
    def grave(self) -> bool:
        """Serious as the pages count it: a rule made it serious, or it became a case (a
        case is never less than serious)."""
        return self.serious or self.case_id is not None


class AlarmRule(models.Model):
    """An administrator's rule that makes an alarm serious enough for a case at once.

    Without a matching rule an alarm becomes a case when it persists for
    ``ECOGOV_MONITORING_CASE_AFTER`` occurrences (hours of hourly data).
    """

    kind = models.CharField(_("alarm kind"), max_length=12, choices=Alarm.Kind.choices)
    code = models.CharField(
        _("pollutant code"), max_length=16, blank=True, help_text=_("empty: every pollutant")
    )
    ratio = models.DecimalField(
        _("times the limit"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("for exceedances: serious from this multiple of the limit"),
    )
    key_sources_only = models.BooleanField(_("key sources only"), default=False)

    class Meta:
        verbose_name = _("alarm rule")
        verbose_name_plural = _("alarm rules")

    def __str__(self):
        return f"{self.get_kind_display()} {self.code or '*'}"


class TargetFeed(models.Model):
    """A plan target whose measured values come from a station's series."""

    class Metric(models.TextChoices):
        ANNUAL_MEAN = "annual_mean", _("mean of the year so far")
        WATER_CLASS = "water_class", _("water class of the year so far")

    target = models.OneToOneField(
        "plans.Target", verbose_name=_("target"), on_delete=models.CASCADE, related_name="feed"
    )
    point = models.ForeignKey(
        Point, verbose_name=_("monitoring point"), on_delete=models.PROTECT, related_name="feeds"
    )
    metric = models.CharField(_("metric"), max_length=12, choices=Metric.choices)
    code = models.CharField(_("pollutant code"), max_length=16, blank=True)
    # What a qualitative goal means in numbers: "市控标准" → 35 μg/m³, "III类" → 3.
    goal = models.DecimalField(
        _("goal as a number"), max_digits=14, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("target fed by monitoring")
        verbose_name_plural = _("targets fed by monitoring")

    def __str__(self):
        return f"{self.target} ← {self.point}"

    @property
    def op(self) -> str:
        """How a value meets the goal: a class number at most the goal's; a mean at most."""
        return "<="
