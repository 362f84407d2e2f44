"""Registering monitoring points, in bulk from the table the bureau keeps of them."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.domain.textfile import UnreadableFile, decode_text
from ecogov.monitoring.models import Factor, Point
from ecogov.sources.models import Source
from ecogov.spreadsheets import cell_text, sheet_rows
from ecogov.standards import hj212_codes

COLUMNS = ("mn", "pw", "name", "kind", "source", "pollutant", "limit", "unit")
# Read when present: where the limit comes from, a mass-rate limit (kg/h, against each
# hour's Cou), the instrument's range.
OPTIONAL = ("standard", "rate_limit", "range_max")
KINDS = {
    "source": Point.Kind.SOURCE, "air_station": Point.Kind.AIR_STATION,
    "water_section": Point.Kind.WATER_SECTION,
    "污染源": Point.Kind.SOURCE, "空气站": Point.Kind.AIR_STATION, "断面": Point.Kind.WATER_SECTION,
}  # fmt: skip


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    factors: int = 0


def table_rows(data: bytes, filename: str) -> list[tuple]:
    """The rows of a CSV (UTF-8 or GB18030) or Excel file, header included."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return sheet_rows(data)
    try:
        text = decode_text(data, filename)
    except UnreadableFile:
        raise ValidationError(_("The file is neither UTF-8 nor GB18030 text.")) from None
    return [tuple(row) for row in csv.reader(io.StringIO(text))]


def _limit(text: str, row: int) -> tuple[Decimal | None, str]:
    if not text:
        return None, ""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, _("row %(row)d: the limit %(text)r is not a number") % {
            "row": row,
            "text": text,
        }
    if not value.is_finite() or value < 0 or value >= 10**10:
        return None, _("row %(row)d: the limit %(text)r is out of range") % {
            "row": row,
            "text": text,
        }
    return value, ""


@transaction.atomic
def points_import(*, rows: list[tuple], jurisdiction) -> ImportReport:
    """Register points and their pollutants: one row per point and pollutant. Every bad
    row is reported and then nothing is stored; importing the same table again changes
    nothing."""
    if not rows:
        raise ValidationError(_("The table is empty."))
    header = [cell_text(c).lower() for c in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ValidationError(
            _("Columns missing: %(columns)s (expected %(expected)s).")
            % {"columns": ", ".join(missing), "expected": ",".join(COLUMNS)}
        )
    index = {name: header.index(name) for name in (*COLUMNS, *OPTIONAL) if name in header}
    sources = {s.name: s for s in Source.objects.filter(jurisdiction=jurisdiction)}
    problems: list[str] = []
    points: dict[str, dict] = {}
    for number, raw in enumerate(rows[1:], start=2):
        cells = {name: cell_text(raw[i]) if i < len(raw) else "" for name, i in index.items()}
        if not any(cells.values()):
            continue
        mn, pw, kind = cells["mn"], cells["pw"], KINDS.get(cells["kind"].lower())
        bad = []
        if not mn or len(mn) > 32 or not mn.isascii() or not mn.isalnum():
            bad.append(_("the MN must be 1–32 letters or digits"))
        if not pw or len(pw) > 64 or ";" in pw or "=" in pw:
            bad.append(_("the password must be 1–64 characters without ; or ="))
        if not cells["name"]:
            bad.append(_("the name is empty"))
        if kind is None:
            bad.append(_("the kind must be source, air_station or water_section"))
        source = None
        if kind == Point.Kind.SOURCE:
            source = sources.get(cells["source"])
            if source is None:
                bad.append(_("no pollution source %(name)r here") % {"name": cells["source"]})
        code = cells["pollutant"]
        if not code or len(code) > 16:
            bad.append(_("the pollutant code is empty or too long"))
        limit, why = _limit(cells["limit"], number)
        rate_limit, why_rate = _limit(cells.get("rate_limit", ""), number)
        range_max, why_range = _limit(cells.get("range_max", ""), number)
        why = why or why_rate or why_range
        if bad:
            problems.append(_("row %(row)d: %(what)s") % {"row": number, "what": "；".join(bad)})
            continue
        if why:
            problems.append(why)
            continue
        entry = points.setdefault(
            mn, {"row": number, "pw": pw, "name": cells["name"], "kind": kind, "source": source,
                 "factors": {}},
        )  # fmt: skip
        if (entry["pw"], entry["name"], entry["kind"], entry["source"]) != (
            pw, cells["name"], kind, source):  # fmt: skip
            problems.append(
                _("row %(row)d: MN %(mn)s is described differently in row %(first)d")
                % {"row": number, "mn": mn, "first": entry["row"]}
            )
            continue
        if code in entry["factors"]:
            problems.append(_("row %(row)d: pollutant %(code)s appears twice for MN %(mn)s")
                            % {"row": number, "code": code, "mn": mn})  # fmt: skip
            continue
        pollutant = hj212_codes.pollutant(code)
        wanted = {"limit": limit, "unit": cells["unit"] or (pollutant.unit if pollutant else ""),
                  "rate_limit": rate_limit, "range_max": range_max,
                  "standard": cells.get("standard", "")[:200]}  # fmt: skip
        # A column the table does not have leaves what the back office set alone.
        entry["factors"][code] = {k: v for k, v in wanted.items() if k in COLUMNS or k in index}
    taken = Point.objects.filter(mn__in=points).exclude(jurisdiction=jurisdiction)
    for point in taken:
        problems.append(_("MN %(mn)s belongs to another jurisdiction") % {"mn": point.mn})
    if problems:
        raise ValidationError(problems)
    report = ImportReport()
    existing = {p.mn: p for p in Point.objects.filter(mn__in=points)}
    for mn, entry in points.items():
        point = existing.get(mn)
        fields = {"password": entry["pw"], "name": entry["name"], "kind": entry["kind"],
                  "source": entry["source"]}  # fmt: skip
        if entry["source"] is not None:
            fields["grid"] = entry["source"].grid
        changed = point is None
        if point is None:
            point = Point(mn=mn, jurisdiction=jurisdiction)
        for name, value in fields.items():
            if getattr(point, name) != value:
                setattr(point, name, value)
                changed = True
        if changed:
            (report.updated if point.pk else report.created).append(mn)
            point.full_clean()
            point.save()
        factors = {f.code: f for f in point.factors.all()}
        for code, wanted in entry["factors"].items():
            factor = factors.get(code) or Factor(point=point, code=code)
            if factor.pk is None or any(getattr(factor, k) != v for k, v in wanted.items()):
                for name, value in wanted.items():
                    setattr(factor, name, value)
                factor.save()
                report.factors += 1
                if not changed and mn not in report.updated:
                    report.updated.append(mn)
                    changed = True
        if not changed:
            report.unchanged += 1
    return report
