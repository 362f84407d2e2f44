"""Is a new report the same problem as a case already open? Is a place a hotspot?

Two reports are about the same problem when they come from the same place (within
``RADIUS_M`` when both have a position, else the same village grid) within
``WINDOW_DAYS``, and name the same kind of problem (the same sub-category, or the same
category and much the same words). The later one is linked to the earlier and not
handled twice. A place with ``HOTSPOT_REPORTS`` reports in ``HOTSPOT_DAYS`` is a hotspot:
the problem keeps coming back and the bureau should look at it as a whole.

Pure: no Django; the caller passes what it knows of each case.
"""

import datetime
import math
from dataclasses import dataclass

from ecogov.domain.router import bigrams

WINDOW_DAYS = 14
RADIUS_M = 300.0
SAME_WORDS = 0.35  # Dice coefficient of the texts' character bigrams
HOTSPOT_DAYS = 30
HOTSPOT_REPORTS = 3


@dataclass(frozen=True)
class Report:
    key: object
    at: datetime.datetime
    text: str
    category: str
    subcategory: str = ""
    grid: int | None = None
    lon: float | None = None
    lat: float | None = None


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine, mean Earth radius)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(h)))


def words_alike(a: str, b: str) -> float:
    ga, gb = bigrams(a), bigrams(b)
    total = sum(ga.values()) + sum(gb.values())
    if not total:
        return 0.0
    return 2 * sum((ga & gb).values()) / total


def same_place(a: Report, b: Report, radius_m: float = RADIUS_M) -> bool:
    if None not in (a.lon, a.lat, b.lon, b.lat):
        return distance_m(a.lon, a.lat, b.lon, b.lat) <= radius_m
    return a.grid is not None and a.grid == b.grid


def same_problem(a: Report, b: Report) -> bool:
    if a.subcategory and b.subcategory:
        return a.subcategory == b.subcategory
    return a.category == b.category and words_alike(a.text, b.text) >= SAME_WORDS


def duplicate_of(new: Report, earlier: list[Report], window_days: int = WINDOW_DAYS):
    """The key of the earliest report ``new`` repeats, or None."""
    since = new.at - datetime.timedelta(days=window_days)
    matches = [
        old
        for old in earlier
        if since <= old.at <= new.at and same_place(new, old) and same_problem(new, old)
    ]
    return min(matches, key=lambda old: old.at).key if matches else None


def place_reports(new: Report, earlier: list[Report], days: int = HOTSPOT_DAYS) -> int:
    """How many reports (``new`` included) came from its place in the last ``days``."""
    since = new.at - datetime.timedelta(days=days)
    return 1 + sum(1 for old in earlier if since <= old.at <= new.at and same_place(new, old))
