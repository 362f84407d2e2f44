"""Working days for legal deadlines: the Chinese calendar with its 调休 exchanges.

A deadline of "2 working days" skips weekends and public holidays but counts the
weekend days worked in exchange for a holiday (调休上班). The calendar comes from the
chinese-calendar package plus a holiday table that an administrator extends each year
once the State Council publishes the next year's arrangement (usually in November):
the package learns a new year only when it is upgraded, and a date it does not know
must not be guessed, because a wrong deadline is a wrong legal deadline.

Rules:
- the table's own entries win over the package;
- a year is known when the package knows it or the table declares it complete;
- a date in an unknown year raises CalendarUnknown.
"""

import datetime
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

import chinese_calendar

Day = datetime.date


class CalendarUnknown(LookupError):
    """No calendar knows the year: add it to the holiday table."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"no working-day calendar for {year}: add that year's public holidays and "
            "exchanged working days (国务院办公厅关于部分节假日安排的通知) to the holiday table"
        )


@dataclass(frozen=True)
class HolidayTable:
    """Days that differ from the plain Mon–Fri week, as an administrator records them.

    ``holidays`` are days off (public holidays falling on weekdays and their bridges);
    ``workdays`` are weekend days worked in exchange (调休上班); ``complete_years``
    are the years for which the table holds the whole arrangement, so that the
    calendar may answer for them even when the package does not know them.
    """

    holidays: frozenset[Day] = field(default_factory=frozenset)
    workdays: frozenset[Day] = field(default_factory=frozenset)
    complete_years: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self):
        both = self.holidays & self.workdays
        if both:
            raise ValueError(f"days both holiday and working day: {sorted(both)}")


def _as_date(day: Day) -> Day:
    return day.date() if isinstance(day, datetime.datetime) else day


def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(Day(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class WorkCalendar:
    """Working days of the years the package or the table knows, cached per year."""

    def __init__(
        self,
        table: HolidayTable | None = None,
        *,
        use_package: bool = True,
        weekdays_when_unknown: bool = False,
    ):
        """``weekdays_when_unknown``: for a year neither the package nor the table knows,
        count Monday to Friday instead of raising CalendarUnknown (a clock that must
        run, such as a case's, rather than a report that may wait for the table)."""
        self.table = table or HolidayTable()
        self.use_package = use_package
        self.weekdays_when_unknown = weekdays_when_unknown
        self._years: dict[int, tuple[list[int], frozenset[int]]] = {}

    def knows(self, year: int) -> bool:
        """Whether deadlines may fall in ``year``: the package knows it or the table
        declares it complete (counting Monday to Friday instead is not knowing)."""
        return (self.use_package and _package_knows(year)) or year in self.table.complete_years

    def _year(self, year: int) -> tuple[list[int], frozenset[int]]:
        """Sorted ordinals of the working days of ``year``, and the same as a set."""
        cached = self._years.get(year)
        if cached is not None:
            return cached
        from_package = self.use_package and _package_knows(year)
        if not self.knows(year) and not self.weekdays_when_unknown:
            raise CalendarUnknown(year)
        ordinals = []
        day = Day(year, 1, 1)
        one = datetime.timedelta(days=1)
        while day.year == year:
            if day in self.table.workdays:
                working = True
            elif day in self.table.holidays:
                working = False
            elif from_package:
                working = chinese_calendar.is_workday(day)
            else:
                working = day.weekday() < 5
            if working:
                ordinals.append(day.toordinal())
            day += one
        cached = (ordinals, frozenset(ordinals))
        self._years[year] = cached
        return cached

    def is_workday(self, day: Day) -> bool:
        day = _as_date(day)
        return day.toordinal() in self._year(day.year)[1]

    def add_workdays(self, start: Day, n: int) -> Day:
        """The n-th working day after ``start`` (start itself not counted).

        n = 0 returns ``start``; a negative n counts backwards (the n-th working day
        before ``start``), which is how reminders before a deadline are placed.
        """
        start = _as_date(start)
        if n == 0:
            return start
        if n < 0:
            return self._subtract(start, -n)
        year = start.year
        days = self._year(year)[0]
        index = bisect_right(days, start.toordinal())
        remaining = n
        while remaining > len(days) - index:
            remaining -= len(days) - index
            year += 1
            days, index = self._year(year)[0], 0
        return Day.fromordinal(days[index + remaining - 1])

    def _subtract(self, start: Day, n: int) -> Day:
        year = start.year
        days = self._year(year)[0]
        index = bisect_right(days, start.toordinal() - 1)  # working days before start
        remaining = n
        while remaining > index:
            remaining -= index
            year -= 1
            days = self._year(year)[0]
            index = len(days)
        return Day.fromordinal(days[index - remaining])

    def workdays_between(self, a: Day, b: Day) -> int:
        """Working days d with a < d ≤ b (negative when b is before a).

        So ``workdays_between(a, add_workdays(a, n)) == n``: the count a deadline used.
        """
        a, b = _as_date(a), _as_date(b)
        if b < a:
            return -self.workdays_between(b, a)
        count = 0
        for year in range(a.year, b.year + 1):
            days = self._year(year)[0]
            low = bisect_right(days, a.toordinal()) if year == a.year else 0
            high = bisect_right(days, b.toordinal()) if year == b.year else len(days)
            count += high - low
        return count


_default = WorkCalendar()


def configure(table: HolidayTable) -> None:
    """Install the administrator's holiday table for the module-level functions."""
    global _default
    _default = WorkCalendar(table)


def table_from(
    holidays: Iterable[Day] = (), workdays: Iterable[Day] = (), complete_years: Iterable[int] = ()
) -> HolidayTable:
    return HolidayTable(frozenset(holidays), frozenset(workdays), frozenset(complete_years))


def is_workday(day: Day) -> bool:
    return _default.is_workday(day)


def add_workdays(start: Day, n: int) -> Day:
    return _default.add_workdays(start, n)


def workdays_between(a: Day, b: Day) -> int:
    return _default.workdays_between(a, b)
